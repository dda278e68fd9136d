"""Local search in bulk: many points climb at once, every neighbourhood evaluated as one array by ``search.bulk``.

Used where the branch and bound would not finish (large layers). Deterministic (a seeded numpy generator):

1. Draw ``samples`` random points (half with the array part drawn from every assignment that fits the fan-outs,
   half with each prime factor in a random allowed slot; random loop orders and bypass choices; ``diversity``),
   evaluate them all, and start from the best of each of the ``width`` best distinct structures (bypass choice and
   dimensions on the array) and a few best on the objective's second term, plus the seeds given.
2. Steepest descent for all of them together: a point's neighbours are one prime factor moved to another allowed
   slot, two factors of two dimensions exchanged between two slots, or one loop moved to another place in its
   level's order; once none improves, one tensor's bypass at one level toggled; each point moves to its best
   neighbour until none improves.
3. Iterated local search: one of the few best points, kicked by 2-4 random moves and, half the time, two
   dimensions re-placed together (``diversity.recreate``), descends again, until about
   ``budget`` candidates have been evaluated (a neighbourhood under way is finished) or ``patience`` rounds in a
   row found nothing better.

Every number is the model's (``search.bulk`` equals ``stationary.model`` exactly, tests/test_search_bulk.py).

>>> from stationary.arch import preset
>>> from stationary.mapping.dataflows import Dataflow
>>> from stationary.search.objective import Objective
>>> from stationary.workload import fc
>>> found = climb(fc("fc", 8, 16), preset("eyeriss"), Dataflow.WS, Objective.ENERGY, budget=3000)
>>> len(found.rows) > 0, bool((found.first[:-1] <= found.first[1:]).all())    # best first
(True, True)
"""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np

from stationary.arch.spec import Arch, StorageKind
from stationary.core import DIMS, Tensor, prime_factors
from stationary.mapping.dataflows import Dataflow
from stationary.search.bulk import evaluate_batch
from stationary.search.diversity import RECREATE_SHARE, best_of_each, diverse_starts, draw, recreate
from stationary.search.objective import Objective
from stationary.search.space import allowed_slots, bypass_choices, slots
from stationary.search.tiling import fits
from stationary.workload.layer import Layer

ARCHIVE = 64     # best distinct candidates kept
ELITE = 4        # kicks start from one of this many best


@dataclass(frozen=True, slots=True)
class Found:
    """The best distinct candidates found, best first: tiling ``rows``, ``orders`` and ``bypass`` indices into
    ``choices``, with their objective terms; ``evaluated`` candidates in all."""
    rows: np.ndarray
    orders: np.ndarray
    bypass: np.ndarray
    first: np.ndarray
    second: np.ndarray
    choices: tuple
    evaluated: int


class Space:
    """The mapping space of one layer under a dataflow, as arrays: allowed slots, primes, bypass choices."""

    def __init__(self, layer: Layer, arch: Arch, dataflow: Dataflow | None, objective: Objective):
        self.layer, self.arch, self.dataflow, self.objective = layer, arch, dataflow, objective
        self.slots = slots(arch)
        self.depth = len(arch.levels)
        rules = dataflow.constraints if dataflow else None
        where = f"layer {layer.name}"
        self.allowed = [allowed_slots(arch, rules, d, where) if layer.dims[d] > 1 else () for d in DIMS]
        self.primes = [prime_factors(layer.dims[d]) if layer.dims[d] > 1 else [] for d in DIMS]
        self.temporal = [next(k for k, s in enumerate(self.slots) if s.level == i and s.axis is None)
                         for i in range(self.depth)]
        self.spatial = [k for k, s in enumerate(self.slots) if s.axis is not None]
        self.spatial_cache = None       # diversity.spatial_table
        rf = [i for i, level in enumerate(arch.levels) if level.kind is StorageKind.RF]
        self.choices = tuple(c for c in bypass_choices(arch, dataflow)   # register files keep what the dataflow says
                             if rules is None or all(c[i] == rules.rf_bypass & arch.levels[i].keeps for i in rf))
        index = {c: i for i, c in enumerate(self.choices)}
        self.toggles = [[index[t] for t in (tuple(c[:i]) + (c[i] ^ {x},) + tuple(c[i + 1:])
                                            for i in range(1, self.depth) for x in Tensor) if t in index]
                        for c in self.choices]

    # ---- arrays of candidates ------------------------------------------------------------------------------
    def canonical(self, rows: np.ndarray, orders: np.ndarray) -> np.ndarray:
        """Orders with each level's loops of bound 1 moved innermost in dimension order (one form per mapping)."""
        bounds = np.stack([np.take_along_axis(rows[:, :, self.temporal[i]], orders[:, i], axis=1)
                           for i in range(self.depth)], axis=1)
        rank = np.where(bounds > 1, np.arange(8)[None, None, :], 8 + orders)
        return np.take_along_axis(orders, np.argsort(rank, axis=2, kind="stable"), axis=2)

    def evaluate(self, rows, orders, bypass) -> tuple[np.ndarray, np.ndarray]:
        """Objective terms (first, second) of each candidate; illegal ones (capacities) get +inf."""
        first = np.full(len(rows), np.inf)
        second = np.full(len(rows), np.inf)
        legal = np.zeros(len(rows), dtype=bool)
        for b in np.unique(bypass):
            idx = np.nonzero(bypass == b)[0]
            legal[idx] = fits(rows[idx], self.layer, self.arch, self.choices[b])
        ok = np.flatnonzero(legal)
        if len(ok):     # one bulk call for every bypass choice (``evaluate_batch``'s ``which``)
            res = evaluate_batch(self.layer, self.arch, self.choices, rows[ok], orders[ok], bypass[ok])
            first[ok], second[ok] = terms(self.objective, res.energy, res.cycles)
        return first, second

    def random(self, rng: np.random.Generator, count: int):
        rows = draw(self, rng, count)
        orders = rng.permuted(np.tile(np.arange(8), (count, self.depth, 1)), axis=2)
        bypass = rng.integers(0, len(self.choices), count)
        return rows, self.canonical(rows, orders), bypass

    def neighbours(self, row, order, b, *, moves: bool = True, toggles: bool = True):
        """Every point one move away: a prime factor to another allowed slot (``moves``), a loop to another place
        in its level's order (``moves``), one bypass toggled (``toggles``)."""
        if not moves:
            if not self.toggles[b]:
                return None
            n = len(self.toggles[b])
            rows, orders = np.repeat(row[None], n, axis=0), np.repeat(order[None], n, axis=0)
            return rows, orders, np.array(self.toggles[b])
        cells = [(j, int(k), q) for j in range(len(DIMS)) for k in np.nonzero(row[j] > 1)[0]
                 for q in _distinct_primes(int(row[j, k]))]
        moves = [(j, k, q, k2) for j, k, q in cells for k2 in self.allowed[j] if k2 != k]
        # exchanges: a factor of one dim out of slot k into k2 and one of another dim back, so a full buffer
        # can trade what it holds (single moves would overflow it)
        swaps = [(j, k, q, k2, j2, q2) for (j, k, q), (j2, k2, q2) in itertools.combinations(cells, 2)
                 if j != j2 and k != k2 and k2 in self.allowed[j] and k in self.allowed[j2]]
        parts_rows, parts_orders = [], []
        if moves:
            j, k, q, k2 = np.array(moves).T
            r = np.repeat(row[None], len(moves), axis=0)
            n = np.arange(len(moves))
            r[n, j, k] //= q
            r[n, j, k2] *= q
            parts_rows.append(r)
        if swaps:
            j, k, q, k2, j2, q2 = np.array(swaps).T
            r = np.repeat(row[None], len(swaps), axis=0)
            n = np.arange(len(swaps))
            r[n, j, k] //= q
            r[n, j, k2] *= q
            r[n, j2, k2] //= q2
            r[n, j2, k] *= q2
            parts_rows.append(r)
        moved_rows = sum(len(x) for x in parts_rows)
        if moved_rows:
            parts_orders.append(np.repeat(order[None], moved_rows, axis=0))
        reorders = []
        for i in range(self.depth):
            live = [d for d in order[i] if row[d, self.temporal[i]] > 1]
            for a, z in itertools.permutations(range(len(live)), 2):
                if abs(a - z) == 1 and a > z:
                    continue            # moving a neighbour down equals moving the other one up
                moved = live[:a] + live[a + 1:]
                moved.insert(z, live[a])
                o = order.copy()
                o[i, :len(live)] = moved
                reorders.append(o)
        flips = list(self.toggles[b]) if toggles else []
        extra = len(reorders) + len(flips)
        if extra:
            parts_rows.append(np.repeat(row[None], extra, axis=0))
            parts_orders.append(np.array(reorders + [order] * len(flips)))
        if not parts_rows:
            return None
        rows, orders = np.concatenate(parts_rows), np.concatenate(parts_orders)
        bypass = np.full(len(rows), b)
        if flips:
            bypass[len(rows) - len(flips):] = flips
        return rows, self.canonical(rows, orders), bypass


@functools.lru_cache(maxsize=4096)
def _distinct_primes(n: int) -> tuple[int, ...]:
    return tuple(sorted(set(prime_factors(n))))


def terms(objective: Objective, energy: np.ndarray, cycles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The objective's (first, second) sort terms over arrays (smaller is better)."""
    cycles = cycles.astype(np.float64)
    if objective in (Objective.DELAY, Objective.DELAY_ENERGY):
        return cycles, energy
    if objective is Objective.EDP:
        return energy * cycles, energy
    return energy, cycles


class Archive:
    """The ``size`` best distinct candidates seen (rows, orders, bypass indices, first and second terms); ties keep
    the earlier one."""

    def __init__(self, size: int = ARCHIVE):
        self.size = size
        self.parts: list = []

    def add(self, rows, orders, bypass, first, second):
        ok = np.isfinite(first)
        self.parts.append((rows[ok], orders[ok], bypass[ok], first[ok], second[ok]))
        if len(self.parts) > 8:
            self.compact()

    def compact(self):
        if not self.parts:
            return
        rows, orders, bypass, first, second = (np.concatenate(x) for x in zip(*self.parts))
        ranked = np.lexsort((np.arange(len(first)), second, first))
        keep, seen = [], set()
        for i in ranked:     # the best first; duplicates (the same candidate met twice) dropped
            key = (rows[i].tobytes(), orders[i].tobytes(), int(bypass[i]))
            if key not in seen:
                seen.add(key)
                keep.append(i)
                if len(keep) == self.size:
                    break
        self.parts = [tuple(x[keep] for x in (rows, orders, bypass, first, second))] if keep else []

    def best(self):
        self.compact()
        return self.parts[0] if self.parts else None


def climb(layer: Layer, arch: Arch, dataflow: Dataflow | None, objective: Objective, *, seeds=None,
          samples: int = 4000, width: int = 8, budget: int = 40000, patience: int = 6, seed: int = 0,
          keep: int = ARCHIVE, bar=None) -> Found:
    """Climb from ``seeds`` (rows, orders, bypass indices into ``Space.choices``, or None) and from the ``width``
    best of ``samples`` random points; stop after about ``budget`` candidates; return the ``keep`` best
    (``bar``: a tqdm bar to advance)."""
    space = Space(layer, arch, dataflow, objective)
    rng = np.random.default_rng(seed)
    archive = Archive(keep)
    rows, orders, bypass = space.random(rng, min(samples, max(1, budget // 4)))
    first, second = space.evaluate(rows, orders, bypass)
    evaluated = len(rows)
    archive.add(rows, orders, bypass, first, second)
    # the best of each distinct structure, and half as many best on the second term (for delay then energy: the
    # lowest energy), so a plateau of equal first terms is entered from more than one basin
    by_second = np.lexsort((first, second))
    top = list(dict.fromkeys(list(diverse_starts(space, rows, bypass, first, second, width))
                             + [i for i in by_second[:width // 2] if np.isfinite(first[i])]))
    pop = [(rows[i], orders[i], int(bypass[i]), first[i], second[i]) for i in top]
    if seeds is not None:
        s_rows, s_orders, s_bypass = seeds
        s_orders = space.canonical(s_rows, s_orders)
        f, s = space.evaluate(s_rows, s_orders, s_bypass)
        evaluated += len(s_rows)
        archive.add(s_rows, s_orders, s_bypass, f, s)
        pop += [(s_rows[i], s_orders[i], int(s_bypass[i]), f[i], s[i]) for i in range(len(s_rows)) if np.isfinite(f[i])]
    if bar:
        bar.update(evaluated)
    evaluated += _descend(space, pop, archive, budget - evaluated, bar)
    stale = 0
    while evaluated < budget and stale < patience and archive.best() is not None:
        elite = archive.best()
        kicked, options = [], []
        for _ in range(width):     # from one of the few best, a few random moves away
            e = int(rng.integers(0, min(ELITE, len(elite[0]))))
            p = (elite[0][e], elite[1][e], int(elite[2][e]), np.inf, np.inf)
            for _ in range(int(rng.integers(2, 5))):
                nb = space.neighbours(p[0], p[1], p[2])
                if nb is None:
                    break
                pick = int(rng.integers(0, len(nb[0])))
                p = (nb[0][pick], nb[1][pick], int(nb[2][pick]), np.inf, np.inf)
            kicked.append(p)
            options.append(recreate(space, rng, p[0], p[1], p[2]) if rng.random() < RECREATE_SHARE else None)
        kicked, spent = best_of_each(space, kicked, options)
        evaluated += spent
        k_rows = np.array([p[0] for p in kicked])
        k_orders = np.array([p[1] for p in kicked])
        k_bypass = np.array([p[2] for p in kicked])
        f, s = space.evaluate(k_rows, k_orders, k_bypass)
        evaluated += len(kicked)
        pop = [(k_rows[i], k_orders[i], int(k_bypass[i]), f[i], s[i]) for i in range(len(kicked)) if np.isfinite(f[i])]
        before = (archive.best()[3][0], archive.best()[4][0])
        evaluated += _descend(space, pop, archive, budget - evaluated, bar)
        after = (archive.best()[3][0], archive.best()[4][0])
        stale = stale + 1 if after >= before else 0
    best = archive.best()
    return Found(*best, space.choices, evaluated) if best is not None else Found(
        np.zeros((0, len(DIMS), len(space.slots)), dtype=np.int64), np.zeros((0, space.depth, 8), dtype=np.int64),
        np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0), space.choices, evaluated)


def _descend(space: Space, pop: list, archive: Archive, budget: int, bar=None) -> int:
    """Steepest descent of every point in ``pop`` together; returns the candidates evaluated. Bypass toggles are
    tried once a point's factor and order moves stop improving (they make small batches of their own bypass
    choice, which cost a bulk call each)."""
    evaluated = 0
    pop = [p + (False,) for p in pop]     # the last field: this round tries the toggles
    while pop and evaluated < budget:
        parts = [space.neighbours(p[0], p[1], p[2], moves=not p[5], toggles=False) for p in pop]
        if all(nb is None for nb in parts):
            pop = [p[:5] + (True,) for p in pop if not p[5]]
            continue
        owner = np.concatenate([np.full(len(nb[0]), k) for k, nb in enumerate(parts) if nb is not None])
        rows = np.concatenate([nb[0] for nb in parts if nb is not None])
        orders = np.concatenate([nb[1] for nb in parts if nb is not None])
        bypass = np.concatenate([nb[2] for nb in parts if nb is not None])
        first, second = space.evaluate(rows, orders, bypass)
        evaluated += len(rows)
        if bar:
            bar.update(len(rows))
        archive.add(rows, orders, bypass, first, second)
        moved = []
        for k, p in enumerate(pop):
            mine = np.nonzero(owner == k)[0]
            if not len(mine):
                continue
            i = mine[np.lexsort((second[mine], first[mine]))[0]]
            if (first[i], second[i]) < (p[3], p[4]):
                moved.append((rows[i], orders[i], int(bypass[i]), first[i], second[i], False))
            elif not p[5]:
                moved.append(p[:5] + (True,))
        for k, p in enumerate(pop):   # a point with no neighbour at all still gets its toggles tried
            if parts[k] is None and not p[5]:
                moved.append(p[:5] + (True,))
        pop = moved
    return evaluated
