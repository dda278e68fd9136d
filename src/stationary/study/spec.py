"""Study files: what is fixed, what varies (the axes), how points are drawn, and which points are allowed.

The format (docs/studies.md has the long form; examples/studies/ whole files)::

    study: glb-vs-array          # a name, required
    kind: accelerator            # what a design point is (default accelerator; see stationary.study.kinds)
    fixed:                       # settings every point shares
      network: alexnet           # zoo name or network YAML (paths relative to this file)
      arch: eyeriss              # preset name or arch YAML
      dataflow: rs
      objective: energy
      batch: 1
    axes:                        # settings that vary: a list of values each
      levels.GLB.size_kb: [64, 108, 128, 256]     # any arch field by its path
      pe_array: [[12, 14], [16, 16]]              # the PE array's shape [x, y]
      together:                                   # axes that vary in step (the i-th values go together)
        dataflow: [ws, rs]
        arch: [isca2016-ws, isca2016-rs]
    sample: grid                 # or {method: random | latin-hypercube, points: 20, seed: 1}
    constraints:                 # on quantities known before evaluating (area, pes, on_chip_kb)
      area: {equal_to: base, tolerance: 0.10}     # within 10 % of the fixed arch's storage area
      pes: {max: 256}

Every error names the file, the field and the value (a :class:`StationaryError`).

>>> s = study_from_yaml("study: t\\nfixed: {network: lenet5, arch: eyeriss}\\naxes: {batch: [1, 2]}\\n")
>>> s.name, s.kind, [a.names for a in s.axes], s.axes[0].values, s.sampling.method
('t', 'accelerator', [('batch',)], ((1,), (2,)), 'grid')
>>> study_from_yaml("study: t\\naxes: {batch: []}\\n", "s.yaml")
Traceback (most recent call last):
...
stationary.core.StationaryError: s.yaml: axes: field 'batch' = []: an axis needs a non-empty list of values
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from stationary.arch.yaml_io import check_keys, number, parse_yaml, read_text, text_field
from stationary.core import StationaryError

_TOP = ("study", "kind", "fixed", "axes", "sample", "constraints", "description")
TOGETHER = "together"
METHODS = ("grid", "random", "latin-hypercube")
QUANTITIES = ("area", "pes", "on_chip_kb")
_BOUND = ("min", "max", "equal_to", "tolerance")


@dataclass(frozen=True, slots=True)
class Axis:
    """One axis: ``names`` vary in step (one name for a plain axis); ``values[i]`` holds one value per name."""
    names: tuple[str, ...]
    values: tuple[tuple, ...]


@dataclass(frozen=True, slots=True)
class Sampling:
    """``grid`` (every combination), or ``points`` drawn by ``random`` or ``latin-hypercube`` with ``seed``."""
    method: str = "grid"
    points: int | None = None
    seed: int = 0


@dataclass(frozen=True, slots=True)
class Bound:
    """A constraint on a quantity a point kind measures before evaluation: ``low <= value <= high``, or within
    ``tolerance`` (a fraction) of ``equal_to`` (a number, ``base`` for the fixed settings' own value, or an arch
    preset's name)."""
    quantity: str
    low: float | None = None
    high: float | None = None
    equal_to: float | str | None = None
    tolerance: float = 0.0


@dataclass(frozen=True, slots=True)
class Study:
    name: str
    kind: str
    fixed: dict = field(hash=False)
    axes: tuple[Axis, ...]
    sampling: Sampling
    constraints: tuple[Bound, ...]
    source: str = "<study>"
    base_dir: str = "."
    text: str = ""

    @property
    def axis_names(self) -> tuple[str, ...]:
        return tuple(name for axis in self.axes for name in axis.names)


def load_study(path: str) -> Study:
    """Read and validate a study file (paths inside it are relative to the file)."""
    text, source = read_text(path, "study")
    return study_from_yaml(text, source, base_dir=os.path.dirname(os.path.abspath(source)))


def study_from_yaml(text: str, source: str = "<study>", base_dir: str = ".") -> Study:
    data = parse_yaml(text, source)
    check_keys(data, _TOP, ("study",), source, None)
    name = text_field(data["study"], source, None, "study")
    kind = text_field(data.get("kind", "accelerator"), source, None, "kind")
    fixed = data.get("fixed") or {}
    check_keys(fixed, tuple(fixed) if isinstance(fixed, dict) else (), (), source, "fixed", "fixed")
    for key in fixed:
        if not isinstance(key, str):
            raise StationaryError("setting names must be strings", source=source, where="fixed", field=str(key),
                                  value=fixed[key])
    axes = _axes(data.get("axes") or {}, source)
    clash = sorted({n for a in axes for n in a.names} & set(fixed))
    if clash:
        raise StationaryError("a setting is both fixed and an axis", source=source, where="axes", field=clash[0],
                              value=fixed[clash[0]])
    return Study(name, kind, dict(fixed), axes, _sampling(data.get("sample", "grid"), source),
                 _constraints(data.get("constraints") or {}, source), source, base_dir, text)


def _values(raw, source, where, name) -> list:
    if isinstance(raw, dict) and set(raw) <= {"from", "to", "step"} and {"from", "to"} <= set(raw):
        lo, hi = (number(raw[k], source, where, f"{name}.{k}") for k in ("from", "to"))
        step = number(raw.get("step", 1), source, where, f"{name}.step", positive=True)
        count = int((hi - lo) / step + 1e-9) + 1
        if count > 100_000:
            raise StationaryError("a range of more than 100,000 values", source=source, where=where,
                                  field=name, value=raw)
        values = [lo + i * step for i in range(count)]
        return [int(v) if all(float(x).is_integer() for x in (lo, step)) else v for v in values]
    if not isinstance(raw, list) or not raw:
        raise StationaryError("an axis needs a non-empty list of values", source=source, where=where, field=name,
                              value=raw, has_value=True)
    return raw


def _axes(raw, source) -> tuple[Axis, ...]:
    check_keys(raw, tuple(raw) if isinstance(raw, dict) else (), (), source, "axes", "axes")
    axes, seen = [], set()
    for name, values in raw.items():
        if name == TOGETHER:
            check_keys(values, tuple(values) if isinstance(values, dict) else (), (), source, "axes",
                       TOGETHER)
            if not values:
                raise StationaryError("needs at least one axis", source=source, where="axes", field=TOGETHER,
                                      value=values)
            columns = {n: _values(v, source, f"axes.{TOGETHER}", n) for n, v in values.items()}
            lengths = {n: len(v) for n, v in columns.items()}
            if len(set(lengths.values())) != 1:
                raise StationaryError("axes that vary together need lists of one length", source=source,
                                      where="axes", field=TOGETHER, value=lengths)
            names = tuple(columns)
            axes.append(Axis(names, tuple(zip(*columns.values()))))
        else:
            names = (str(name),)
            axes.append(Axis(names, tuple((v,) for v in _values(values, source, "axes", str(name)))))
        twice = seen & set(names)
        if twice:
            raise StationaryError("an axis is named twice", source=source, where="axes", field=twice.pop())
        seen |= set(names)
    return tuple(axes)


def _sampling(raw, source) -> Sampling:
    if isinstance(raw, str):
        raw = {"method": raw}
    check_keys(raw, ("method", "points", "seed"), ("method",), source, "sample", "sample")
    method = str(raw["method"]).strip().lower().replace("_", "-").replace("lhs", "latin-hypercube")
    if method not in METHODS:
        raise StationaryError(f"unknown sampling method (expected {', '.join(METHODS)})", source=source,
                              where="sample", field="method", value=raw["method"])
    seed = raw.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise StationaryError("must be a non-negative integer", source=source, where="sample", field="seed",
                              value=seed)
    points = raw.get("points")
    if method == "grid":
        if points is not None:
            raise StationaryError("a grid takes every combination (points is for random or latin-hypercube)",
                                  source=source, where="sample", field="points", value=points)
    elif isinstance(points, bool) or not isinstance(points, int) or points < 1:
        raise StationaryError(f"{method} sampling needs a positive number of points", source=source,
                              where="sample", field="points", value=points)
    return Sampling(method, points, seed)


def _constraints(raw, source) -> tuple[Bound, ...]:
    check_keys(raw, QUANTITIES, (), source, "constraints", "constraints")
    out = []
    for quantity, spec in raw.items():
        where = f"constraints.{quantity}"
        check_keys(spec, _BOUND, (), source, where, quantity)
        if not spec:
            raise StationaryError("give min, max or equal_to", source=source, where=where, field=quantity,
                                  value=spec)
        low = number(spec["min"], source, where, "min") if "min" in spec else None
        high = number(spec["max"], source, where, "max") if "max" in spec else None
        ref = spec.get("equal_to")
        if ref is not None and not isinstance(ref, str):
            ref = number(ref, source, where, "equal_to", positive=True)
        tol = number(spec.get("tolerance", 0.0), source, where, "tolerance")
        if "tolerance" in spec and ref is None:
            raise StationaryError("tolerance goes with equal_to", source=source, where=where, field="tolerance",
                                  value=tol)
        if low is not None and high is not None and low > high:
            raise StationaryError("min is above max", source=source, where=where, field="min", value=low)
        out.append(Bound(quantity, low, high, ref, tol))
    return tuple(out)
