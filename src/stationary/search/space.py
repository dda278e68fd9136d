"""The mapping space: slots, per-dimension factorizations, bypass choices, and loop orders up to equivalence.

A *slot* is a place a loop can sit: ``(level, None)`` for the temporal loops of a level, ``(level, Axis.X)`` /
``(level, Axis.Y)`` for its spatial loops (those spread into the level below, or into the MACs' fan-out below the
innermost level). The nest reads ``T0 X0 Y0 T1 X1 Y1 ...``; each dimension has at most one loop per slot, and its
size is split into exact factors over the slots it may use (the dataflow's constraints decide which).

Loop orders: only loops with a bound above 1 matter, and only the temporal ones (spatial loops at a level form the
same set of offsets in any order). Level ``i``'s order changes a tensor's counts only if the tensor has a keeper
strictly between ``i`` and the MACs (the hop into the MACs does not depend on order). For a tensor with no halo
(weights, outputs; the ifmap's N, G, C axes), every step of a relevant loop, and every step that rewinds one,
refetches the whole tile (the shift on that axis is at least the tile's extent): its counts depend on the order
only through how many steps happen down to its innermost relevant loop, so at a level only the set of irrelevant
loops inside the level's last relevant loop matters. For the ifmap, adjacent N, G, C loops commute, and E, F, R,
S (a sliding window) and M keep their exact positions. ``order_classes`` keeps one order per class of that equivalence
(tests/test_search_space.py holds every member of a class to the same counts).

>>> from stationary.arch import preset
>>> from stationary.core import Dim, Tensor
>>> [str(s) for s in slots(preset("eyeriss"))]
['DRAM', 'GLB', 'GLB.X', 'GLB.Y', 'RF']
>>> order_classes((Dim.M, Dim.C, Dim.N), frozenset({Tensor.WEIGHT}))   # N inside the last weight loop, or not
((<Dim.N: 'N'>, <Dim.M: 'M'>, <Dim.C: 'C'>), (<Dim.M: 'M'>, <Dim.C: 'C'>, <Dim.N: 'N'>))
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

from stationary.arch.spec import Arch, StorageKind
from stationary.core import DIMS, Dim, StationaryError, TENSORS, Tensor, divisors
from stationary.mapping.dataflows import Constraints, Dataflow
from stationary.mapping.mapping import Axis

_HALO = frozenset({Dim.E, Dim.F, Dim.R, Dim.S})


@dataclass(frozen=True, slots=True)
class Slot:
    level: int
    axis: Axis | None
    name: str

    def __str__(self) -> str:
        return self.name if self.axis is None else f"{self.name}.{self.axis.value}"


def slots(arch: Arch) -> tuple[Slot, ...]:
    """Every slot of the nest, outermost first; spatial slots only where the fan-out below is above 1."""
    out = []
    for i, level in enumerate(arch.levels):
        below = arch.levels[i + 1] if i + 1 < len(arch.levels) else arch.mac
        out.append(Slot(i, None, level.name))
        for axis, fan in ((Axis.X, below.fanout_x), (Axis.Y, below.fanout_y)):
            if fan > 1:
                out.append(Slot(i, axis, level.name))
    return tuple(out)


def fanout(arch: Arch, slot: Slot) -> int:
    below = arch.levels[slot.level + 1] if slot.level + 1 < len(arch.levels) else arch.mac
    return below.fanout_x if slot.axis is Axis.X else below.fanout_y


def allowed_slots(arch: Arch, rules: Constraints | None, dim: Dim, where: str) -> tuple[int, ...]:
    """Indices into ``slots(arch)`` where ``dim`` may have a loop under the dataflow's rules."""
    out = []
    for k, s in enumerate(slots(arch)):
        rf = arch.levels[s.level].kind is StorageKind.RF
        if rules is None:
            ok = True
        elif s.axis is None:
            ok = (dim in rules.rf_temporal) if rf else dim not in rules.rf_required
            ok = ok and dim not in rules.spatial_required and (rf or dim not in rules.rf_required)
        else:
            ok = dim in (rules.spatial_x if s.axis is Axis.X else rules.spatial_y) and dim not in rules.rf_required
        if ok:
            out.append(k)
    if not out:
        raise StationaryError(f"no place for dimension {dim.name} under this dataflow on arch {arch.name}",
                              where=where, field=dim.name)
    return tuple(out)


@lru_cache(maxsize=4096)
def factorizations(n: int, k: int) -> tuple[tuple[int, ...], ...]:
    """Every ordered way to write ``n`` as a product of ``k`` positive factors.

    >>> factorizations(4, 2)
    ((1, 4), (2, 2), (4, 1))
    """
    if k == 1:
        return ((n,),)
    return tuple((d,) + rest for d in divisors(n) for rest in factorizations(n // d, k - 1))


def bypass_choices(arch: Arch, dataflow: Dataflow | None) -> list[tuple[frozenset[Tensor], ...]]:
    """Per level, the tensors bypassed: every subset of what an inner level can keep (the dataflow's RF bypass
    forced), keep-everything first."""
    rules = dataflow.constraints if dataflow else None
    per_level = [[frozenset()]]
    for level in arch.levels[1:]:
        forced = rules.rf_bypass & level.keeps if rules and level.kind is StorageKind.RF else frozenset()
        free = [t for t in TENSORS if t in level.keeps and t not in forced]
        options = [forced | frozenset(c) for r in range(len(free) + 1) for c in itertools.combinations(free, r)]
        per_level.append(options)
    return [tuple(c) for c in itertools.product(*per_level)]


def sensitive(arch: Arch, bypass: tuple[frozenset[Tensor], ...]) -> tuple[frozenset[Tensor], ...]:
    """Per level i, the tensors whose counts depend on level i's loop order: those kept strictly below i."""
    depth = len(arch.levels)
    out = []
    for i in range(depth):
        out.append(frozenset(t for t in TENSORS for c in range(i + 1, depth)
                             if t in arch.levels[c].keeps - bypass[c]))
    return tuple(out)


def _signature(order: tuple[Dim, ...], tensors: frozenset[Tensor]) -> tuple:
    sig = []
    for t in TENSORS:
        if t not in tensors:
            continue
        if t is not Tensor.IFMAP:   # no halo: only the irrelevant loops inside the last relevant one matter
            last = max((k for k, d in enumerate(order) if d in t.dims), default=None)
            sig.append(None if last is None else frozenset(order[last + 1:]))
            continue
        runs: list = []
        for d in order:
            if d in _HALO:
                runs.append(d)          # a sliding window: exact position
                continue
            cls = d in t.dims
            if runs and isinstance(runs[-1], tuple) and runs[-1][0] == cls:
                runs[-1] = (cls, runs[-1][1] | {d})
            else:
                runs.append((cls, frozenset({d})))
        sig.append(tuple(runs))
    return tuple(sig)


@lru_cache(maxsize=8192)
def order_classes(dims: tuple[Dim, ...], tensors: frozenset[Tensor]) -> tuple[tuple[Dim, ...], ...]:
    """One loop order (outermost first) per class of orders that give every tensor in ``tensors`` equal counts;
    the representative is the first in lexicographic order of the dims' positions in DIMS."""
    dims = tuple(sorted(dims, key=DIMS.index))
    seen, out = set(), []
    for order in itertools.permutations(dims):
        sig = _signature(order, tensors)
        if sig not in seen:
            seen.add(sig)
            out.append(order)
    return tuple(out)
