"""The mapper: branch and bound over tilings, bypass choices and loop orders, exact where it finishes.

1. For each bypass choice (keep-everything first), enumerate the tilings that fit (``tiling.tilings``) and bound
   each one's energy and cycles from below, in bulk (``bound.tiling_bounds``).
2. Visit tilings best bound first; for each, evaluate every class of loop orders (``space.order_classes``) with
   ``stationary.model.evaluate`` - the model itself, so the numbers are the model's.
3. Stop when the next tiling's bound is worse than the k-th best found: every mapping left is provably no better,
   so the result is optimal over the space (``SearchResult.optimal``). A search that runs out of its evaluation
   budget first returns the best found and ``optimal=False``; ``bound`` is then the best bound among what was
   left, so ``best`` is within ``best - bound`` of the optimum.

>>> from stationary.arch import preset
>>> from stationary.workload import conv
>>> r = search(conv("c", 4, 2, 5, 3), preset("eyeriss"), Dataflow.RS)
>>> r.best.energy.total >= r.lower_bound, r.candidates > 0
(True, True)
"""
from __future__ import annotations

import heapq
import itertools
import time
from dataclasses import dataclass

import numpy as np

from stationary.arch.spec import Arch, StorageKind
from stationary.core import DIMS, StationaryError
from stationary.mapping.dataflows import Dataflow
from stationary.mapping.mapping import LevelMapping, Loop, Mapping
from stationary.model.evaluate import LayerResult, evaluate
from stationary.search.bound import compulsory_energy, tiling_bounds
from stationary.search.objective import Objective
from stationary.search.space import bypass_choices, order_classes, sensitive, slots
from stationary.search.tiling import tilings
from stationary.workload.layer import Layer

DEFAULT_BUDGET = 1500
DEFAULT_BEAM = 2000
REFINE_BUDGET = 4000  # mappings the local-search pass may evaluate when the branch and bound stops early


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The mapper's answer: ``top`` best first (``best`` is ``top[0]``); ``candidates`` mappings evaluated by
    the model, ``tilings`` tilings bounded; ``optimal`` when the search proved nothing left could do better;
    ``bound`` a lower bound of the objective's first term over the whole space; ``lower_bound`` the energy
    floor of any mapping (MACs plus each tensor's words once at the outermost level)."""
    top: tuple[LayerResult, ...]
    objective: Objective
    candidates: int
    tilings: int
    seconds: float
    optimal: bool
    bound: float
    lower_bound: float

    @property
    def best(self) -> LayerResult:
        return self.top[0]

    @property
    def gap(self) -> float:
        """How far the best energy sits above ``lower_bound``, as a fraction (0.25 = 25 % above)."""
        return self.best.energy.total / self.lower_bound - 1.0 if self.lower_bound else float("nan")


def mapping_text(mapping: Mapping) -> str:
    """A stable text key of a mapping (ties between equal scores fall to it)."""
    return "|".join(",".join(f"{l.dim.name}{l.bound}{l.axis.value if l.axis else ''}" for l in lm.loops)
                    + "/" + "".join(sorted(t.name[0] for t in lm.bypass)) for lm in mapping.levels)


def build(row: np.ndarray, arch: Arch, bypass, orders) -> Mapping:
    """The Mapping of one tiling row with a temporal order (dims, outermost first) per level."""
    sl = slots(arch)
    levels = []
    for i in range(len(arch.levels)):
        t = next(k for k, s in enumerate(sl) if s.level == i and s.axis is None)
        temporal = tuple(Loop(d, int(row[DIMS.index(d), t])) for d in orders[i])
        spatial = tuple(Loop(d, int(row[DIMS.index(d), k]), s.axis) for k, s in enumerate(sl)
                        if s.level == i and s.axis is not None for d in DIMS if row[DIMS.index(d), k] > 1)
        levels.append(LevelMapping(temporal, spatial, bypass[i]))
    return Mapping(tuple(levels))


def _level_orders(row: np.ndarray, arch: Arch, bypass) -> list[tuple]:
    sl = slots(arch)
    touched = sensitive(arch, bypass)
    per_level = []
    for i in range(len(arch.levels)):
        t = next(k for k, s in enumerate(sl) if s.level == i and s.axis is None)
        dims = tuple(d for d in DIMS if row[DIMS.index(d), t] > 1)
        per_level.append(order_classes(dims, touched[i]))
    return per_level


def _bypass_space(arch: Arch, dataflow: Dataflow | None):
    """Bypass choices; under a dataflow the register files keep exactly what the dataflow leaves them."""
    out = []
    for choice in bypass_choices(arch, dataflow):
        if dataflow is not None and any(choice[i] != dataflow.constraints.rf_bypass & level.keeps
                                        for i, level in enumerate(arch.levels) if level.kind is StorageKind.RF):
            continue
        out.append(choice)
    return out


def search(layer: Layer, arch: Arch, dataflow: Dataflow | None = None, *, objective: Objective = Objective.ENERGY,
           top_k: int = 1, jobs: int = 1, progress: bool = False, budget: int = DEFAULT_BUDGET,
           beam: int | None = DEFAULT_BEAM) -> SearchResult:
    """The best ``top_k`` mappings of ``layer`` on ``arch`` under ``dataflow`` (None: any) for ``objective``.

    Raises StationaryError when the dataflow admits no legal mapping (saying which dimension or tile cannot fit).
    ``budget`` caps the mappings evaluated, ``beam`` the partial tilings carried per bypass choice (None: all);
    either one reached makes the result heuristic (``optimal=False``). ``jobs`` is accepted for the API's sake;
    the search runs in this process.
    """
    start = time.perf_counter()
    if isinstance(objective, str):
        objective = Objective.parse(objective)
    if top_k < 1:
        raise StationaryError("top_k must be at least 1", field="top_k", value=top_k)
    pool, errors, complete = [], [], True
    for b, bypass in enumerate(_bypass_space(arch, dataflow)):
        def score(rows, bypass=bypass):
            return _terms(objective, *tiling_bounds(rows, layer, arch, bypass))[0]
        try:
            rows, whole = tilings(layer, arch, dataflow, bypass, cap=beam, score=score)
        except StationaryError as err:
            errors.append(err)
            continue
        complete &= whole
        first, second = _terms(objective, *tiling_bounds(rows, layer, arch, bypass))
        pool.append((first, second, b, rows, bypass))
    if not pool:
        raise errors[0] if errors else StationaryError("no legal mapping", where=f"layer {layer.name}")
    # visit each bypass choice's tilings best bound first, the choices taking turns (round robin), so a weak
    # bound on one choice cannot spend the whole budget; a choice is done once its next bound is worse than the
    # k-th best found (its bounds only grow from there).
    queues = [(np.lexsort((np.arange(len(p[3])), p[1], p[0])), p) for p in pool]
    heap: list = []   # the k best, worst on top
    evaluated, optimal = 0, complete
    left = [float(p[0][q[0]]) if len(q) else float("inf") for q, p in queues]
    bar = _bar(progress, sum(len(q) for q, _ in queues), layer.name)
    pos = [0] * len(queues)
    active = [g for g in range(len(queues)) if len(queues[g][0])]
    while active and evaluated < budget:
        for g in list(active):
            order, (first, second, _, rows, bypass) = queues[g]
            v = order[pos[g]]
            if len(heap) == top_k and (float(first[v]), float(second[v])) > _worst(heap)[:2]:
                active.remove(g)
                continue
            for orders in itertools.product(*_level_orders(rows[v], arch, bypass)):
                mapping = build(rows[v], arch, bypass, orders)
                result = evaluate(layer, arch, mapping, validate=False)
                evaluated += 1
                _push(heap, top_k, objective.key(result.energy.total, result.latency.cycles)
                      + (mapping_text(mapping),), result)
            pos[g] += 1
            if bar:
                bar.update(1)
            if pos[g] == len(order):
                active.remove(g)
                left[g] = float("inf")
            else:
                left[g] = float(first[order[pos[g]]])
            if evaluated >= budget:
                break
    optimal = optimal and not active
    bound = min(left)
    if bar:
        bar.close()
    ranked = sorted(((_unneg(k), r) for k, r in heap), key=lambda kr: kr[0])
    if not optimal:  # the branch and bound stopped early: climb from its best and from random points
        from stationary.search.refine import climb
        found = climb(layer, arch, dataflow, objective, seeds=tuple(r.mapping for _, r in ranked[:3]),
                      budget=REFINE_BUDGET)
        evaluated += len(found)
        extra = [(objective.key(r.energy.total, r.latency.cycles) + (mapping_text(r.mapping),), r) for r in found]
        seen = {r.mapping for _, r in ranked}
        ranked = sorted(ranked + [kr for kr in extra if kr[1].mapping not in seen], key=lambda kr: kr[0])[:top_k]
    top = tuple(r for _, r in ranked)
    bound = min(bound, float(objective.key(top[0].energy.total, top[0].latency.cycles)[0]))
    return SearchResult(top, objective, evaluated, sum(len(q) for q, _ in queues), time.perf_counter() - start,
                        optimal, bound, compulsory_energy(layer, arch))


def _terms(objective: Objective, energy: np.ndarray, cycles: np.ndarray):
    if objective in (Objective.DELAY, Objective.DELAY_ENERGY):
        return cycles, energy
    if objective is Objective.EDP:
        return energy * cycles, energy
    return energy, cycles


class _Neg:
    """Reverses the order of a sort key, so heapq (a min-heap) keeps the worst of the k best on top."""
    __slots__ = ("key",)

    def __init__(self, key):
        self.key = key

    def __lt__(self, other):
        return self.key > other.key

    def __eq__(self, other):
        return self.key == other.key


def _push(heap, k, key, result):
    item = (_Neg(key), result)
    if len(heap) < k:
        heapq.heappush(heap, item)
    elif key < heap[0][0].key:
        heapq.heapreplace(heap, item)


def _worst(heap) -> tuple:
    return heap[0][0].key


def _unneg(neg: _Neg) -> tuple:
    return neg.key


def _bar(progress: bool, total: int, name: str):
    if not progress:
        return None
    from tqdm import tqdm
    return tqdm(total=total, desc=name, unit="tiling", leave=False)
