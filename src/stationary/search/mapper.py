"""The mapper: exact branch and bound where the space is small enough, bulk local search where it is not.

* **Exact** (the sum over bypass choices of each dimension's options that fit, multiplied, is at most
  ``exact_limit``): every tiling is enumerated (``tiling.tilings``) and bounded from below in bulk
  (``bound.tiling_bounds``); tilings are visited best bound first, each with every class of loop orders
  (``space.order_classes``), evaluated in chunks as arrays (``bulk.evaluate_batch``, equal to the model); the
  search stops when the next bound is worse than the k-th best, so the result is the optimum
  (``SearchResult.optimal``), unless ``budget`` candidates ran out first.
* **Local search** (larger spaces): ``refine.climb`` - thousands of random legal points, the best few descending
  together through bulk-evaluated neighbourhoods, then iterated kicks. ``bound`` is then a floor no mapping can
  beat, not a proof that the result is optimal.

Either way ``bound`` is at least ``layerbound.first_term`` (a closed-form bound over the whole space: every
operand of every MAC read from its innermost keeper, shared only as far as the fan-out below allows, and every
word moved once per hop), and ``gap`` says how far the answer can be from the optimum.

The reported results are re-evaluated by ``stationary.model.evaluate``, so every number is the model's.

>>> from stationary.arch import preset
>>> from stationary.workload import conv
>>> r = search(conv("c", 4, 2, 5, 3), preset("eyeriss"), Dataflow.RS)
>>> r.best.energy.total >= r.lower_bound, r.candidates > 0, r.method
(True, True, 'branch and bound')
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import numpy as np

from stationary.arch.spec import Arch
from stationary.core import DIMS, StationaryError
from stationary.mapping.dataflows import Dataflow
from stationary.mapping.mapping import LevelMapping, Loop, Mapping
from stationary.model.evaluate import LayerResult, evaluate
from stationary.search.bound import compulsory_energy, tiling_bounds
from stationary.search.layerbound import first_term
from stationary.search.objective import Objective
from stationary.search.seeding import mapping_arrays, seed_arrays
from stationary.search.refine import ARCHIVE, Archive, Found, Space, climb, terms
from stationary.search.space import order_classes, sensitive, slots
from stationary.search.tiling import space_size, tilings
from stationary.workload.layer import Layer

DEFAULT_BUDGET = 40_000     # candidates evaluated
EXACT_LIMIT = 20_000        # tilings (an upper estimate) up to which the exact branch and bound runs
CHUNK = 128                 # tilings evaluated per bulk call in the branch and bound


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The mapper's answer: ``top`` best first (``best`` is ``top[0]``); ``candidates`` mappings evaluated,
    ``tilings`` tilings bounded (exact method); ``method`` "branch and bound" or "local search"; ``optimal``
    when the search proved nothing left could do better; ``bound`` a lower bound of the objective's first term
    over the whole space; ``lower_bound`` the energy floor of any mapping (MACs plus each tensor's words once at
    the outermost level)."""
    top: tuple[LayerResult, ...]
    objective: Objective
    candidates: int
    tilings: int
    seconds: float
    optimal: bool
    bound: float
    lower_bound: float
    method: str = "branch and bound"

    @property
    def best(self) -> LayerResult:
        return self.top[0]

    @property
    def gap(self) -> float:
        """How far the best mapping's first objective term sits above ``bound``, as a fraction (0.25 = 25 %
        above): no mapping in the space can do better than ``best / (1 + gap)``."""
        first = float(self.objective.key(self.best.energy.total, self.best.latency.cycles)[0])
        return first / self.bound - 1.0 if self.bound else float("nan")


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


def build_indexed(row: np.ndarray, order: np.ndarray, arch: Arch, bypass) -> Mapping:
    """``build`` from an order array (levels x 8 dimension indices, loops of bound 1 anywhere)."""
    temporal = [next(k for k, s in enumerate(slots(arch)) if s.level == i and s.axis is None)
                for i in range(len(arch.levels))]
    return build(row, arch, bypass, [tuple(DIMS[d] for d in order[i] if row[d, temporal[i]] > 1)
                                     for i in range(len(arch.levels))])


def search(layer: Layer, arch: Arch, dataflow: Dataflow | None = None, *, objective: Objective = Objective.ENERGY,
           top_k: int = 1, jobs: int = 1, progress: bool = False, budget: int = DEFAULT_BUDGET,
           exact_limit: int = EXACT_LIMIT, seed: int = 0, remainders: bool = False,
           seeds: tuple[Mapping, ...] = ()) -> SearchResult:
    """The best ``top_k`` mappings of ``layer`` on ``arch`` under ``dataflow`` (None: any) for ``objective``.

    Raises StationaryError when the dataflow admits no legal mapping (saying which dimension or tile cannot fit).
    ``budget`` caps the candidates evaluated; ``exact_limit`` picks the method (see the module docstring);
    ``seed`` seeds the local search (results are deterministic for a seed). ``jobs`` is accepted for the API's
    sake: one layer's search runs in this process (``api.evaluate`` spreads layers over processes).
    ``remainders`` adds bounds that do not divide their dimension: the exact method enumerates the ceil-divided
    splits of ``tiling.ceil_splits`` too (still exact over that larger space); both methods then try, from their
    best mappings, spatial loops stretched to fill the array with a remainder (``polish_remainders``).
    ``seeds``: mappings the answer must be at least as good as, where they lie in the space (``seeding``); they
    also start the local search.
    """
    start = time.perf_counter()
    if isinstance(objective, str):
        objective = Objective.parse(objective)
    if top_k < 1:
        raise StationaryError("top_k must be at least 1", field="top_k", value=top_k)
    space = Space(layer, arch, dataflow, objective)
    size = 0
    for b in space.choices:
        size += space_size(layer, arch, dataflow, b, limit=exact_limit - size, remainders=remainders)
        if size > exact_limit:
            break
    bar = _bar(progress, budget, layer.name)
    if size <= exact_limit:
        found, evaluated, bounded, optimal, bound = _branch_and_bound(space, top_k, budget, bar, remainders)
        method = "branch and bound"
    else:
        found = climb(layer, arch, dataflow, objective, budget=budget, seed=seed, keep=max(top_k, ARCHIVE), bar=bar,
                      seeds=seed_arrays(seeds, space))
        evaluated, bounded, optimal, method = found.evaluated, 0, False, "local search"
        if not len(found.rows):     # nothing legal drawn: the enumeration says why, or seeds the climb
            rows, _ = tilings(layer, arch, dataflow, space.choices[0], cap=64, score=lambda r: np.zeros(len(r)))
            enumerated = (rows, np.tile(np.arange(8), (len(rows), len(arch.levels), 1)), np.zeros(len(rows), dtype=int))
            found = climb(layer, arch, dataflow, objective, budget=budget, seed=seed, seeds=enumerated,
                              keep=max(top_k, ARCHIVE), bar=bar)
            evaluated += found.evaluated
        bound = 0.0     # the layer-wide bound below
    if bar:
        bar.close()
    if not len(found.rows):
        raise StationaryError("no legal mapping found", where=f"layer {layer.name}")
    results = [evaluate(layer, arch, build_indexed(found.rows[i], found.orders[i], arch,
                                                   found.choices[found.bypass[i]]).fitted(layer.dims), validate=False)
               for i in range(min(len(found.rows), max(top_k, 8)))]
    results += _seed_results(layer, arch, space, seeds, remainders)
    if remainders:
        from stationary.search.polish import polish_remainders
        polished = polish_remainders(space, results[0])
        evaluated += polished.evaluated
        if polished.result is not results[0]:
            results.insert(0, polished.result)
            optimal = False     # better than the optimum of the space searched: it lies outside it
    results.sort(key=lambda r: objective.key(r.energy.total, r.latency.cycles) + (mapping_text(r.mapping),))
    top = tuple(results[:top_k])
    bound = max(bound, first_term(objective, layer, arch, dataflow, space.choices))
    bound = min(bound, float(objective.key(top[0].energy.total, top[0].latency.cycles)[0]))
    return SearchResult(top, objective, evaluated, bounded, time.perf_counter() - start, optimal, bound,
                        compulsory_energy(layer, arch), method)


def _seed_results(layer: Layer, arch: Arch, space: Space, seeds, remainders: bool = False) -> list[LayerResult]:
    """The model's results of the seeds in the space (with ``remainders``, seeds with remainders too) that fit the
    arch's capacities."""
    out = []
    for m in seeds:
        if seed_arrays([m], space) is not None or remainders and mapping_arrays([m], space)[1]:
            try:
                out.append(evaluate(layer, arch, m))
            except StationaryError:
                continue        # a tile past a capacity: not in the space
    return out


def _branch_and_bound(space: Space, top_k: int, budget: int, bar, remainders: bool = False):
    """Every tiling of every bypass choice, best bound first, with every class of loop orders, in bulk chunks."""
    layer, arch, objective = space.layer, space.arch, space.objective
    pool, errors = [], []
    for b, bypass in enumerate(space.choices):
        try:
            rows, _ = tilings(layer, arch, space.dataflow, bypass, remainders=remainders)
        except StationaryError as err:
            errors.append(err)
            continue
        first, second = terms(objective, *tiling_bounds(rows, layer, arch, bypass))
        pool.append((np.full(len(rows), b), rows, first, second))
    if not pool:
        raise errors[0] if errors else StationaryError("no legal mapping", where=f"layer {layer.name}")
    which, rows, first, second = (np.concatenate(x) for x in zip(*pool))
    visit = np.lexsort((np.arange(len(rows)), second, first))
    archive = Archive(max(top_k, ARCHIVE))

    def proven(pos: int) -> bool:
        """Nothing from tiling ``visit[pos]`` on can beat the k-th best found (bounds only grow from there)."""
        best = archive.best()
        return pos >= len(visit) or (best is not None and len(best[0]) >= top_k and
                                     (first[visit[pos]], second[visit[pos]]) > (best[3][top_k - 1], best[4][top_k - 1]))

    evaluated, pos = 0, 0
    while not proven(pos) and evaluated < budget:
        chunk = visit[pos:pos + CHUNK]
        pos += len(chunk)
        c_rows, c_orders, c_bypass = [], [], []
        for v in chunk:
            for orders in itertools.product(*_level_orders(rows[v], space, space.choices[which[v]])):
                c_rows.append(rows[v])
                c_orders.append(orders)
                c_bypass.append(which[v])
        c_rows, c_orders, c_bypass = np.array(c_rows), np.array(c_orders), np.array(c_bypass)
        f, s = space.evaluate(c_rows, c_orders, c_bypass)
        evaluated += len(c_rows)
        if bar:
            bar.update(len(c_rows))
        archive.add(c_rows, c_orders, c_bypass, f, s)
    bound = float(first[visit[pos]]) if pos < len(visit) else float("inf")
    return Found(*archive.best(), space.choices, evaluated), evaluated, len(rows), proven(pos), bound


def _level_orders(row: np.ndarray, space: Space, bypass) -> list[list[np.ndarray]]:
    """Per level, one full order (8 dimension indices, loops of bound 1 last) per class of loop orders."""
    touched = sensitive(space.arch, bypass)
    out = []
    for i in range(space.depth):
        t = space.temporal[i]
        dims = tuple(d for d in DIMS if row[DIMS.index(d), t] > 1)
        rest = [j for j, d in enumerate(DIMS) if d not in dims]
        out.append([np.array([DIMS.index(d) for d in order] + rest) for order in order_classes(dims, touched[i])])
    return out


def _bar(progress: bool, total: int, name: str):
    if not progress:
        return None
    from tqdm import tqdm
    return tqdm(total=total, desc=name, unit="candidate", leave=False)
