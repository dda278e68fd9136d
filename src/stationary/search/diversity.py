"""What keeps the local search from hinging on its seed: samples spread over array shapes, starts from distinct
structures, and kicks that re-place two dimensions at once.

The mapping spaces of large layers have several basins within a few per cent of each other that differ in what
sits on the array and what each buffer keeps (AlexNet CONV4 on ``nnd-like``: ``E13`` across the columns with
outputs alone in the buffer, or ``C8`` across them with inputs and outputs kept; 1-2 % apart). A prime-factor move
cannot cross between them, and uniform random factor placement rarely lands in the narrow ones (a 13 on the
14-wide axis with nothing beside it: about 1 draw in 150). So:

* ``spatial_table``: every assignment of divisors to the spatial slots that fits the fan-outs (a few hundred to a
  few thousand per layer); ``draw`` takes half its samples with the array part drawn uniformly from that table
  (the rest of each dimension placed at random in its temporal slots), half as before;
* ``diverse_starts``: the best sample of each distinct structure (bypass choice and which dimensions sit on each
  spatial slot), best first, so the starts are not all one basin;
* ``recreate``: a kick that re-places two dimensions' factors together (a random sample of their splits over
  their slots, the rest fixed), after a bypass toggle half the time, and keeps the best of them.

>>> from stationary.arch import preset
>>> from stationary.mapping.dataflows import Dataflow
>>> from stationary.search.objective import Objective
>>> from stationary.search.refine import Space
>>> from stationary.workload import conv
>>> space = Space(conv("c", 8, 4, 15, 3), preset("eyeriss"), Dataflow.RS, Objective.ENERGY)
>>> table = spatial_table(space)
>>> bool((table.prod(axis=1) <= [14, 12]).all()), len(table) > 1     # every assignment within the 14 x 12 array
(True, True)
"""
from __future__ import annotations

import functools

import numpy as np

from stationary.core import DIMS, divisors, prime_factors
from stationary.search.space import factorizations, fanout

STRATIFIED = 0.5        # share of the samples whose array part is drawn from the spatial table
RECREATE_SAMPLES = 400  # splits tried by one two-dimension kick
RECREATE_SHARE = 0.5    # share of the kicks that, after their few random moves, also re-place two dimensions


def spatial_table(space) -> np.ndarray:
    """Every assignment of divisors to the spatial slots that fits the fan-outs: ``(A, DIMS, spatial slots)``. A
    dimension allowed only on spatial slots is held there whole."""
    if space.spatial_cache is None:
        sp = space.spatial
        caps = np.array([fanout(space.arch, space.slots[k]) for k in sp], dtype=np.int64)
        table = np.ones((1, len(DIMS), len(sp)), dtype=np.int64)
        for j, d in enumerate(DIMS):
            size = space.layer.dims[d]
            mine = [i for i, k in enumerate(sp) if k in space.allowed[j]]
            if size == 1 or not mine:
                continue
            opts = [()]
            for _ in mine:
                opts = [o + (a,) for o in opts for a in divisors(size // int(np.prod(o or (1,))))]
            if all(k in space.spatial for k in space.allowed[j]):
                opts = [o for o in opts if int(np.prod(o)) == size]
            grown = []
            for o in opts:
                t = table.copy()
                t[:, j, mine] = o
                grown.append(t[(t.prod(axis=1) <= caps).all(axis=1)])
            table = np.concatenate(grown)
        space.spatial_cache = table
    return space.spatial_cache


def draw(space, rng: np.random.Generator, count: int) -> np.ndarray:
    """``count`` random tiling rows: the first ``STRATIFIED`` share with their array part from ``spatial_table``
    and the rest of each dimension's primes in random temporal slots, the others every prime in a random slot."""
    rows = np.ones((count, len(DIMS), len(space.slots)), dtype=np.int64)
    strat = int(count * STRATIFIED) if space.spatial else 0
    if strat:
        table = spatial_table(space)
        rows[:strat, :, space.spatial] = table[rng.integers(0, len(table), strat)]
        for j, d in enumerate(DIMS):
            temporal = [k for k in space.allowed[j] if k not in space.spatial]
            rest = space.layer.dims[d] // rows[:strat, j, :].prod(axis=1)
            for r in np.unique(rest[rest > 1]):
                idx = np.nonzero(rest == r)[0]
                for p in prime_factors(int(r)):
                    rows[idx, j, np.array(temporal)[rng.integers(0, len(temporal), len(idx))]] *= p
    for j in range(len(DIMS)):
        for p in space.primes[j]:
            pick = np.array(space.allowed[j])[rng.integers(0, len(space.allowed[j]), count - strat)]
            rows[strat + np.arange(count - strat), j, pick] *= p
    return rows


def diverse_starts(space, rows, bypass, first, second, width: int) -> np.ndarray:
    """Indices of up to ``width`` samples: the best (objective, then its second term) of each distinct structure
    (bypass choice and the dimensions on each spatial slot), best first; finite ones only."""
    ranked = [i for i in np.lexsort((second, first)) if np.isfinite(first[i])]
    on_array = rows[:, :, space.spatial] > 1
    seen: dict = {}
    for i in ranked:
        key = (int(bypass[i]), on_array[i].tobytes())
        if key not in seen:
            seen[key] = int(i)
            if len(seen) == width:
                break
    return np.array(list(seen.values()), dtype=np.int64)


def recreate(space, rng: np.random.Generator, row, order, b: int):
    """``RECREATE_SAMPLES`` points with two random dimensions' factors re-placed over their slots (after a random
    bypass toggle half the time): ``(rows, orders, bypass)`` to evaluate, of which a kick keeps the best; None where
    fewer than two dimensions can move."""
    if space.toggles[b] and rng.random() < 0.5:
        b = int(rng.choice(space.toggles[b]))
    live = [j for j in range(len(DIMS)) if len(space.allowed[j]) > 1 and space.layer.dims[DIMS[j]] > 1]
    if len(live) < 2:
        return None
    j1, j2 = (int(x) for x in rng.choice(live, 2, replace=False))
    f1, f2 = _splits(space.layer.dims[DIMS[j1]], len(space.allowed[j1])), \
        _splits(space.layer.dims[DIMS[j2]], len(space.allowed[j2]))
    n = min(RECREATE_SAMPLES, len(f1) * len(f2))
    pick = rng.choice(len(f1) * len(f2), n, replace=False)
    rows = np.repeat(row[None], n, axis=0)
    rows[:, [j1, j2], :] = 1
    rows[:, j1, list(space.allowed[j1])] = f1[pick // len(f2)]
    rows[:, j2, list(space.allowed[j2])] = f2[pick % len(f2)]
    return rows, space.canonical(rows, np.repeat(order[None], n, axis=0)), np.full(n, b)


def best_of_each(space, kicked: list, options: list) -> tuple[list, int]:
    """Each kicked point replaced by the best of its ``recreate`` options (None: kept), all evaluated in one
    call; returns the points and the candidates evaluated."""
    owners = [k for k, o in enumerate(options) if o is not None]
    if not owners:
        return kicked, 0
    rows, orders, bypass = (np.concatenate([options[k][i] for k in owners]) for i in range(3))
    owner = np.concatenate([np.full(len(options[k][0]), k) for k in owners])
    first, second = space.evaluate(rows, orders, bypass)
    out = list(kicked)
    for k in owners:
        mine = np.flatnonzero(owner == k)
        i = mine[np.lexsort((second[mine], first[mine]))[0]]
        if np.isfinite(first[i]):
            out[k] = (rows[i], orders[i], int(bypass[i]), np.inf, np.inf)
    return out, len(rows)


@functools.lru_cache(maxsize=256)
def _splits(size: int, places: int) -> np.ndarray:
    return np.array(factorizations(size, places), dtype=np.int64)
