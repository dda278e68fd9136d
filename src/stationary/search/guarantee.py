"""The mapper as users run it: a search that never loses to an answer it contains.

``search_contained`` runs the searches whose spaces the requested one contains, then the requested search seeded
with their answers (``seeding``), so its answer is at least as good as each of them:

* ``dataflow=None`` (any mapping) contains row stationary: it never loses to the ``rs`` answer;
* the energy objective never returns more energy than ``delay,energy`` finds (its answer is in the same space);
* with ``remainders``, the space contains the exact-factor one: never loses to that search's answer (which it
  costs, so about twice the time);
* a batch ``N`` of at least ``BATCH_BASE * 2`` contains the batch-``b`` mapping repeated ``N / b`` times (``b``
  the largest divisor of ``N`` up to ``BATCH_BASE``): never worse than that per MAC under the same objective.

Each contained search costs about one more search (at most three more), which is what the guarantee costs.

>>> from stationary.arch import preset
>>> from stationary.workload import conv
>>> from stationary.search import Objective, search
>>> layer, arch = conv("c", 8, 4, 6, 3), preset("eyeriss")
>>> e = search_contained(layer, arch, None, Objective.ENERGY).best.energy.total
>>> e <= search(layer, arch, None, objective=Objective.DELAY_ENERGY).best.energy.total
True
"""
from __future__ import annotations

import dataclasses

from stationary.arch.spec import Arch
from stationary.core import Dim, StationaryError
from stationary.mapping.dataflows import Dataflow
from stationary.search.mapper import SearchResult, search
from stationary.search.objective import Objective
from stationary.search.seeding import over_batch
from stationary.workload.layer import Layer

BATCH_BASE = 4


def search_contained(layer: Layer, arch: Arch, dataflow: Dataflow | None, objective: Objective, *,
                     effort: int = 1, **options) -> SearchResult:
    """``search`` (same ``options``), seeded with the answers of the searches its space contains.

    ``effort``: how many times the requested search runs, with seeds ``seed``, ``seed + 1``, ...; each run is
    seeded with the best mapping so far, so the answer never gets worse with more effort (the exact method proves
    its optimum in one run and stops there). Candidates and seconds are summed over the runs.
    """
    if effort < 1:
        raise StationaryError("must be at least 1", field="effort", value=effort)
    seeds = []
    if options.get("remainders"):     # the exact-factor space is inside: never lose to its answer
        exact = search_contained(layer, arch, dataflow, objective, effort=effort, **{**options, "remainders": False})
        seeds += [r.mapping for r in exact.top]
    if dataflow is None:
        seeds += _answers(layer, arch, Dataflow.RS, objective, options)
    if objective is Objective.ENERGY:
        seeds += _answers(layer, arch, dataflow, Objective.DELAY_ENERGY, options)
    n = layer.dims[Dim.N]
    if n >= 2 * BATCH_BASE:
        base = max(b for b in range(1, BATCH_BASE + 1) if n % b == 0)
        small = dataclasses.replace(layer, N=base)
        seeds += [over_batch(m, n // base) for m in _answers(small, arch, dataflow, objective, options)]
    first = options.pop("seed", 0)
    best = None
    for k in range(effort):
        extra = (best.best.mapping,) if best else ()
        r = search(layer, arch, dataflow, objective=objective, seeds=tuple(seeds) + extra, seed=first + k, **options)
        if best is not None:
            r = dataclasses.replace(r, candidates=r.candidates + best.candidates, seconds=r.seconds + best.seconds)
        best = r
        if r.optimal:
            break
    return best


def _answers(layer, arch, dataflow, objective, options) -> list:
    options = {k: v for k, v in options.items() if k in ("budget", "seed", "exact_limit", "remainders")}
    try:
        return [r.mapping for r in search(layer, arch, dataflow, objective=objective, **options).top]
    except StationaryError:     # the contained space is empty here (e.g. row stationary cannot fit)
        return []
