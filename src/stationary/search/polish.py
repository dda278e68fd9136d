"""Remainders near the mapper's answer: spatial loops stretched past a divisor of their dimension.

From a mapping the search found, a spatial loop is grown to a bound that need not divide its dimension, or
placed where the dataflow allows its dimension (the other loops on that axis moved to the level's temporal
loops), one loop of the dimension outside it absorbing the change; the mapping is fitted (``Mapping.fitted``)
and tried under every bypass choice. Every variant is counted exactly by the bulk evaluator in one call (rows
with remainders are fitted there as ``Mapping.fitted`` does); the best few are confirmed by the model, for a few
rounds while the objective improves. docs/mapper.md says what it reaches and what it does not.

>>> from stationary.arch import preset
>>> from stationary.core import Dim
>>> from stationary.mapping import Axis, LevelMapping, Loop, Mapping
>>> from stationary.workload import conv
>>> layer = conv("rows", 1, 1, (9, 1), (3, 1))                  # E = 7 output rows
>>> m = Mapping((LevelMapping(temporal=(Loop(Dim.E, 7),)), LevelMapping(), LevelMapping(temporal=(Loop(Dim.R, 3),))))
>>> allowed = [(), (), (), (), (0, 1, 2), (), (4,), ()]         # E anywhere but the RF, R in the RF
>>> sorted({l.factor_text for v in _stretched(m, layer, preset("eyeriss"), allowed)
...         for _, l in v.nest() if l.spatial})         # E on the array: 4 passes of 2, the last running 1, ...
['2,1', '3,1', '4,3', '5,2', '6,1', '7']
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from stationary.arch.spec import Arch
from stationary.core import DIMS, StationaryError, prod
from stationary.mapping.mapping import LevelMapping, Loop, Mapping
from stationary.model.evaluate import LayerResult, evaluate
from stationary.search.mapper import mapping_text
from stationary.search.seeding import mapping_arrays
from stationary.search.refine import Space
from stationary.search.space import fanout, slots
from stationary.workload.layer import Layer

POLISH_TRIES = 4       # best variants confirmed by the model per round
POLISH_ROUNDS = 3


@dataclass(frozen=True, slots=True)
class Polished:
    result: LayerResult
    evaluated: int


def polish_remainders(space: Space, incumbent: LayerResult, *, tries: int = POLISH_TRIES,
                      rounds: int = POLISH_ROUNDS) -> Polished:
    """From ``incumbent``, spatial loops stretched past a divisor of their dimension to fill more of the array
    (the last pass runs the remainder), the dimension's outermost loop covering what is left, each under every
    bypass choice; all of them counted exactly in one bulk call, the best ``tries`` confirmed by the model, and the
    best kept while it improves the objective."""
    layer, arch, objective = space.layer, space.arch, space.objective
    key = lambda r: objective.key(r.energy.total, r.latency.cycles) + (mapping_text(r.mapping),)
    best, evaluated = incumbent, 0
    for _ in range(rounds):
        variants = [Mapping(tuple(LevelMapping(lm.temporal, lm.spatial, b) for lm, b in zip(m.levels, choice)))
                    for m in _stretched(best.mapping, layer, arch, space.allowed) for choice in space.choices]
        arrays, kept = mapping_arrays(variants, space)
        if arrays is None:
            break
        first, second = space.evaluate(*arrays)        # +inf where a tile outgrows a capacity
        evaluated += len(kept)
        ranked = sorted((f, s, mapping_text(variants[k]), k) for f, s, k in zip(first, second, kept) if f < math.inf)
        improved = False
        for *_, k in ranked[:tries]:
            r = evaluate(layer, arch, variants[k], validate=False)
            if key(r) < key(best):
                best, improved = r, True
        if not improved:
            break
    return Polished(best, evaluated)


def _stretched(mapping: Mapping, layer: Layer, arch: Arch, allowed) -> list[Mapping]:
    """Variants with one spatial loop grown, or a new one placed where the dataflow allows its dimension, to a
    bound that need not divide the dimension; one loop of the dimension outside it (each in turn) shrinks to cover
    what is left, and the mapping is fitted (residuals set, the outermost loop cut to what it needs)."""
    out: list[Mapping] = []
    sl = slots(arch)
    for k, slot in enumerate(sl):
        if slot.axis is None:
            continue
        for d in DIMS:
            size = layer.dims[d]
            if size < 3 or k not in allowed[DIMS.index(d)]:
                continue
            others = [l for l in mapping.levels[slot.level].spatial
                      if l.axis is slot.axis and l.dim is not d and l.perfect]
            evictions = [()] + ([tuple(others)] if others else []) + \
                [tuple(o for o in others if o is not kept) for kept in others if len(others) > 1]
            for evicted in evictions:      # other loops on the axis may move to the level's temporal loops
                base = _evict(mapping, slot, evicted)
                level = base.levels[slot.level]
                used = level.spatial_bound(slot.axis)
                here = [l for l in level.spatial if l.axis is slot.axis and l.dim is d]
                current = here[0].bound if here else 1
                room = fanout(arch, slot) // (used // current)
                for b in range(current + 1, min(room, size) + 1):
                    out.extend(_with_spatial(base, layer, slot, d, b))
    return out


def _evict(mapping: Mapping, slot, loops) -> Mapping:
    """``mapping`` with these spatial loops of ``slot`` made temporal at the same level (innermost there)."""
    if not loops:
        return mapping
    levels = list(mapping.levels)
    lm = levels[slot.level]
    temporal = list(lm.temporal)
    for loop in loops:
        same = [n for n, t in enumerate(temporal) if t.dim is loop.dim and t.perfect]
        if same:
            temporal[same[0]] = Loop(loop.dim, temporal[same[0]].bound * loop.bound)
        else:
            temporal.append(Loop(loop.dim, loop.bound))
    levels[slot.level] = LevelMapping(tuple(temporal), tuple(l for l in lm.spatial if l not in loops), lm.bypass)
    return Mapping(tuple(levels))


def _with_spatial(mapping: Mapping, layer: Layer, slot, d, bound: int) -> list[Mapping]:
    """``mapping`` with d's spatial loop at ``slot`` set to ``bound``, once per choice of the loop of d outside
    it that absorbs the change."""
    levels = [list(lm.temporal) + [None] + list(lm.spatial) for lm in mapping.levels]   # None: the split
    lm = levels[slot.level]
    cut = lm.index(None)
    spatial = [l for l in lm[cut + 1:] if not (l.axis is slot.axis and l.dim is d)]
    levels[slot.level] = lm[:cut + 1] + spatial + [Loop(d, bound, slot.axis)]
    flat = [(i, pos, l) for i, lm in enumerate(levels) for pos, l in enumerate(lm) if l is not None]
    mine = next(n for n, (i, _, l) in enumerate(flat) if i == slot.level and l.dim is d and l.axis is slot.axis)
    inner = prod(l.bound for n, (_, _, l) in enumerate(flat) if l.dim is d and n > mine)
    outer = [n for n, (_, _, l) in enumerate(flat) if l.dim is d and n < mine]
    size = layer.dims[d]
    out = []
    for absorber in outer or [None]:
        rest = prod(flat[n][2].bound for n in outer if n != absorber)
        if absorber is None and bound * inner < size:
            continue
        changed = [list(lm) for lm in levels]
        if absorber is not None:
            i, pos, l = flat[absorber]
            changed[i][pos] = Loop(d, max(1, -(-size // (bound * inner * rest))), l.axis)
        try:
            built = Mapping(tuple(LevelMapping(tuple(lm[:lm.index(None)]), tuple(lm[lm.index(None) + 1:]),
                                               mapping.levels[i].bypass) for i, lm in enumerate(changed)))
            out.append(built.fitted(layer.dims))
        except StationaryError:
            continue
    return out
