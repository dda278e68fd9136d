"""A study's design points: the axes' values combined (a grid, or a seeded random or Latin-hypercube sample),
described by the point kind, and kept when they meet the constraints.

A Latin-hypercube sample of ``n`` points gives each axis ``n`` equal strata of its value list, one point per
stratum, the strata paired across axes by independent seeded permutations (McKay, Beckman, Conover, 1979); a
random sample draws ``n`` distinct grid positions. The same study file always yields the same points.

>>> from stationary.study.spec import study_from_yaml
>>> s = study_from_yaml("study: t\\nfixed: {network: lenet5, layers: [F6]}\\n"
...                     "axes: {pe_array: [[4, 4], [8, 8], [16, 16]]}\\nconstraints: {pes: {max: 64}}\\n")
>>> plan = plan_points(s)
>>> [p.coords for p in plan.points], plan.generated
([{'pe_array': [4, 4]}, {'pe_array': [8, 8]}], 3)
"""
from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import dataclass

from stationary.core import StationaryError, prod
from stationary.study.kinds import get_kind
from stationary.study.spec import Bound, Study

GRID_LIMIT = 1_000_000


@dataclass(frozen=True, slots=True)
class Point:
    """One design point: its position in the study, its axis values, and its kind's complete description."""
    index: int
    point_id: str
    coords: dict
    description: dict


@dataclass(frozen=True, slots=True)
class Plan:
    study: Study
    points: tuple[Point, ...]
    generated: int          # points drawn before the constraints

    @property
    def digest(self) -> str:
        """The study's identity in a store: its kind and every point's description, in order."""
        h = hashlib.sha256(self.study.kind.encode())
        for p in self.points:
            h.update(p.point_id.encode())
        return h.hexdigest()


def canonical(data) -> str:
    """The one JSON text of plain data (sorted keys, exact floats): equal data, equal text."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=True, default=_plain)


def _plain(value):
    """numpy scalars (a search's flags and counts) as the Python values they hold."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not plain data: {type(value).__name__}")


def plan_points(study: Study) -> Plan:
    """Every design point of ``study``, described and checked against its constraints."""
    kind = get_kind(study.kind)
    for bound in study.constraints:
        if bound.quantity not in kind.measures:
            raise StationaryError(f"the {kind.name} kind measures {', '.join(kind.measures) or 'nothing'}",
                                  source=study.source, where="constraints", field=bound.quantity)
    combos = list(_combinations(study))
    refs = {b.equal_to: kind.reference(study.fixed, study.source, study.base_dir, b.equal_to)
            for b in study.constraints if isinstance(b.equal_to, str)}
    points, seen, measured = [], set(), []
    for coords in combos:
        desc = kind.describe({**study.fixed, **coords}, f"{study.source}: point {_label(coords)}",
                             study.base_dir)
        desc = {"kind": kind.name, **desc}
        point_id = hashlib.sha256(canonical(desc).encode()).hexdigest()[:20]
        if point_id in seen:
            continue
        seen.add(point_id)
        if study.constraints:
            values = kind.measure(desc)
            measured.append(values)
            if not all(_holds(b, values, refs) for b in study.constraints):
                continue
        points.append(Point(len(points), point_id, coords, desc))
    if not points:
        raise StationaryError("no design point satisfies the constraints (" + _ranges(study, measured, refs) + ")",
                              source=study.source, where="constraints")
    return Plan(study, tuple(points), len(combos))


def _label(coords: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in coords.items()) or "(fixed only)"


def _holds(bound: Bound, values: dict, refs: dict) -> bool:
    v = values[bound.quantity]
    if bound.low is not None and v < bound.low or bound.high is not None and v > bound.high:
        return False
    if bound.equal_to is not None:
        ref = refs[bound.equal_to][bound.quantity] if isinstance(bound.equal_to, str) else bound.equal_to
        return abs(v - ref) <= bound.tolerance * abs(ref) * (1 + 1e-12)
    return True


def _ranges(study: Study, measured: list[dict], refs: dict) -> str:
    out = []
    for b in study.constraints:
        got = [m[b.quantity] for m in measured]
        want = []
        if b.low is not None:
            want.append(f">= {b.low:g}")
        if b.high is not None:
            want.append(f"<= {b.high:g}")
        if b.equal_to is not None:
            ref = refs[b.equal_to][b.quantity] if isinstance(b.equal_to, str) else b.equal_to
            want.append(f"within {100 * b.tolerance:g} % of {ref:g} ({b.equal_to})")
        out.append(f"{b.quantity} ranged {min(got):g} to {max(got):g}, wanted {' and '.join(want)}")
    return "; ".join(out)


def _combinations(study: Study):
    """Axis values per point, as {name: value}, in the study's order."""
    axes = study.axes
    sizes = [len(a.values) for a in axes]
    method, n = study.sampling.method, study.sampling.points
    if method == "grid":
        total = prod(sizes)
        if total > GRID_LIMIT:
            raise StationaryError(f"the grid has {total:,} points (more than {GRID_LIMIT:,}): sample it instead "
                                  "(sample: {method: latin-hypercube, points: N})", source=study.source,
                                  where="axes")
        picks = itertools.product(*(range(s) for s in sizes))
    else:
        import numpy as np
        rng = np.random.default_rng(study.sampling.seed)
        if method == "random":
            total = prod(sizes)
            flat = rng.choice(total, size=min(n, total), replace=False) if total < 2**62 else rng.integers(
                0, total, size=n)
            picks = [tuple(int(v) for v in np.unravel_index(int(f), sizes)) for f in flat] if sizes else [()]
        else:
            columns = [[math.floor((p + rng.random()) / n * s) for p in rng.permutation(n)] for s in sizes]
            picks = list(zip(*columns)) if sizes else [()]
    for pick in picks:
        coords = {}
        for axis, i in zip(axes, pick):
            coords.update(zip(axis.names, axis.values[i]))
        yield coords
