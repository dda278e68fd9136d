"""Local search: improve mappings by small moves, from the branch and bound's best and from random legal points.

Where the branch and bound stops early (its budget or beam reached on a large layer), its best tiling can sit far
from good ones it never expanded. This pass climbs from it, and from random legal points drawn with a fixed seed
(deterministic), by first-improvement moves: one prime factor of a dimension to another slot the dataflow allows,
two adjacent temporal loops swapped, one tensor's bypass at a buffer toggled. Every candidate is evaluated by the
analytical model (:func:`stationary.model.evaluate`), so it can only report what the model counts.

>>> from stationary.arch import preset
>>> from stationary.mapping.dataflows import Dataflow
>>> from stationary.search.objective import Objective
>>> from stationary.workload import fc
>>> from stationary.core import Tensor
>>> best = climb(fc("fc", 8, 16), preset("eyeriss"), Dataflow.WS, Objective.ENERGY, restarts=20, budget=400)
>>> best[0].counts.at("DRAM", Tensor.WEIGHT).reads     # each of the 128 weights fetched once
128
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass

from stationary.arch.spec import Arch, StorageKind
from stationary.core import DIMS, Dim, StationaryError, Tensor, prime_factors
from stationary.mapping.dataflows import Dataflow
from stationary.mapping.legality import check
from stationary.mapping.mapping import LevelMapping, Loop, Mapping
from stationary.model.evaluate import LayerResult, evaluate
from stationary.search.objective import Objective
from stationary.search.space import allowed_slots, bypass_choices, fanout, slots
from stationary.workload.layer import Layer


@dataclass(frozen=True, slots=True)
class _Point:
    factors: tuple[tuple[int, ...], ...]      # [dim][slot]
    orders: tuple[tuple[Dim, ...], ...]       # per level, temporal dims outermost first
    bypass: tuple[frozenset[Tensor], ...]


class _Climber:
    def __init__(self, layer: Layer, arch: Arch, dataflow: Dataflow | None, objective: Objective):
        self.layer, self.arch, self.objective = layer, arch, objective
        self.slots = slots(arch)
        rules = dataflow.constraints if dataflow else None
        where = f"layer {layer.name}"
        self.allowed = {d: (allowed_slots(arch, rules, d, where) if layer.dims[d] > 1 else ()) for d in DIMS}
        rf = [i for i, level in enumerate(arch.levels) if level.kind is StorageKind.RF]
        choices = [c for c in bypass_choices(arch, dataflow)  # register files keep what the dataflow says
                   if rules is None or all(c[i] == rules.rf_bypass & arch.levels[i].keeps for i in rf)]
        self.bypass_options = choices
        self.toggles = sorted({(i, t) for c in choices for i, b in enumerate(c) for t in b},
                              key=lambda it: (it[0], it[1].value))
        self.legal_bypass = set(choices)
        self.temporal = {i: k for k, s in enumerate(self.slots) if s.axis is None for i in [s.level]}
        self.seen: dict[Mapping, tuple | None] = {}
        self.results: list[tuple[tuple, LayerResult]] = []

    # ---- points <-> mappings ------------------------------------------------------------------------------
    def from_mapping(self, mapping: Mapping) -> _Point:
        factors = [[1] * len(self.slots) for _ in DIMS]
        for k, s in enumerate(self.slots):
            lm = mapping.levels[s.level]
            loops = lm.temporal if s.axis is None else [l for l in lm.spatial if l.axis is s.axis]
            for loop in loops:
                factors[DIMS.index(loop.dim)][k] *= loop.bound
        orders = tuple(tuple(dict.fromkeys(l.dim for l in lm.temporal if l.bound > 1)) for lm in mapping.levels)
        return _Point(tuple(map(tuple, factors)), orders, tuple(lm.bypass for lm in mapping.levels))

    def to_mapping(self, p: _Point) -> Mapping:
        levels = []
        for i in range(len(self.arch.levels)):
            t = self.temporal[i]
            temporal = tuple(Loop(d, p.factors[DIMS.index(d)][t]) for d in p.orders[i]
                             if p.factors[DIMS.index(d)][t] > 1)
            spatial = tuple(Loop(d, p.factors[DIMS.index(d)][k], s.axis) for k, s in enumerate(self.slots)
                            if s.level == i and s.axis is not None for d in DIMS if p.factors[DIMS.index(d)][k] > 1)
            levels.append(LevelMapping(temporal, spatial, p.bypass[i]))
        return Mapping(tuple(levels))

    def fits(self, factors) -> bool:
        return all(math.prod(f[k] for f in factors) <= fanout(self.arch, s)
                   for k, s in enumerate(self.slots) if s.axis is not None)

    def score(self, p: _Point):
        mapping = self.to_mapping(p)
        if mapping in self.seen:
            return self.seen[mapping]
        try:
            check(self.layer, self.arch, mapping)
        except StationaryError:
            self.seen[mapping] = None
            return None
        result = evaluate(self.layer, self.arch, mapping, validate=False)
        key = self.objective.key(result.energy.total, result.latency.cycles)
        self.seen[mapping] = key
        self.results.append((key, result))
        return key

    # ---- moves --------------------------------------------------------------------------------------------
    def random_point(self, rng: random.Random) -> _Point | None:
        for _ in range(50):
            factors = []
            for d in DIMS:
                f = [1] * len(self.slots)
                for p in prime_factors(self.layer.dims[d]):
                    f[rng.choice(self.allowed[d])] *= p
                factors.append(tuple(f))
            if self.fits(factors):
                orders = []
                for i in range(len(self.arch.levels)):
                    dims = [d for j, d in enumerate(DIMS) if factors[j][self.temporal[i]] > 1]
                    rng.shuffle(dims)
                    orders.append(tuple(dims))
                return _Point(tuple(factors), tuple(orders), rng.choice(self.bypass_options))
        return None

    def neighbours(self, p: _Point, rng: random.Random):
        moves = [("move", j, k, k2, q) for j, d in enumerate(DIMS) for k, f in enumerate(p.factors[j]) if f > 1
                 for q in set(prime_factors(f)) for k2 in self.allowed[d] if k2 != k]
        moves += [("swap", i, a) for i, o in enumerate(p.orders) for a in range(len(o) - 1)]
        moves += [("bypass", i, t) for i, t in self.toggles]
        rng.shuffle(moves)
        for move in moves:
            nxt = self.apply(p, move)
            if nxt is not None:
                yield nxt

    def apply(self, p: _Point, move) -> _Point | None:
        factors = [list(f) for f in p.factors]
        orders = [list(o) for o in p.orders]
        bypass = list(p.bypass)
        if move[0] == "move":
            _, j, k, k2, q = move
            factors[j][k] //= q
            factors[j][k2] *= q
            if not self.fits(factors):
                return None
            for i in range(len(orders)):   # each level lists exactly its loops with bound > 1
                t = self.temporal[i]
                keep = [d for d in orders[i] if factors[DIMS.index(d)][t] > 1]
                orders[i] = keep + [d for jj, d in enumerate(DIMS) if factors[jj][t] > 1 and d not in keep]
        elif move[0] == "swap":
            _, i, a = move
            orders[i][a], orders[i][a + 1] = orders[i][a + 1], orders[i][a]
        else:
            _, i, t = move
            bypass[i] = bypass[i] ^ {t}
            if tuple(bypass) not in self.legal_bypass:
                return None
        return _Point(tuple(map(tuple, factors)), tuple(map(tuple, orders)), tuple(bypass))

    def climb(self, start: _Point, key, rng: random.Random, budget: int) -> None:
        improved = True
        while improved and len(self.seen) < budget:
            improved = False
            for nxt in self.neighbours(start, rng):
                if len(self.seen) >= budget:
                    return
                k2 = self.score(nxt)
                if k2 is not None and k2 < key:
                    start, key, improved = nxt, k2, True
                    break


CLIMBS = 6  # random starting points climbed (besides the seeds)


def climb(layer: Layer, arch: Arch, dataflow: Dataflow | None, objective: Objective, *,
          seeds: tuple[Mapping, ...] = (), restarts: int = 300, budget: int = 4000, seed: int = 0
          ) -> list[LayerResult]:
    """Results found by climbing from ``seeds`` and from the best of ``restarts`` random legal points, best first.

    ``budget`` caps the distinct mappings evaluated (seeds and random draws included)."""
    c = _Climber(layer, arch, dataflow, objective)
    rng = random.Random(seed)
    starts = []
    for m in seeds:
        p = c.from_mapping(m)
        key = c.score(p)
        if key is not None:
            starts.append((key, p))
    drawn = []
    for _ in range(restarts):
        p = c.random_point(rng)
        if p is not None and (key := c.score(p)) is not None:
            drawn.append((key, p))
    drawn.sort(key=lambda kp: kp[0])
    climbs = starts + drawn[:CLIMBS]
    for n, (key, p) in enumerate(climbs):  # each climb gets an equal share of half the budget
        c.climb(p, key, rng, len(c.seen) + (budget // 2 - len(c.seen)) // (len(climbs) - n))
    # iterated local search: kick the best point found with a few random moves and climb again
    stale = 0
    while len(c.seen) < budget and c.results and stale < 50:
        key, best = min(c.results, key=lambda kr: kr[0])
        p = c.from_mapping(best.mapping)
        for _ in range(3):
            p = next(c.neighbours(p, rng), p)
        k2 = c.score(p)
        before = len(c.seen)
        if k2 is not None:
            c.climb(p, k2, rng, budget)
        stale = stale + 1 if min(c.results, key=lambda kr: kr[0])[0] >= key else 0
        if len(c.seen) == before and k2 is None:
            stale += 1
    c.results.sort(key=lambda kr: kr[0])
    return [r for _, r in c.results]
