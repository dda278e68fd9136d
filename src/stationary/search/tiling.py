"""Tilings: each dimension's size split into exact factors over the slots it may use, within fan-outs and capacities.

Tilings are enumerated as one integer array ``(candidates, len(DIMS), len(slots))`` of loop bounds, built one
dimension at a time: after each dimension, rows whose spatial slots outgrow a fan-out or whose tiles outgrow a
capacity partition are dropped. Factors not yet placed count as 1 at every inner level and placing them only
grows inner tiles, so a dropped row has no completion that fits (the drop is sound).

>>> from stationary.arch import preset
>>> from stationary.workload import fc
>>> arch = preset("eyeriss")
>>> t, complete = tilings(fc("fc", 4, 2), arch, None, (frozenset(),) * 3)
>>> bool((t[:, DIMS.index(Dim.M), :].prod(axis=1) == 4).all()), complete
(True, True)
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from stationary.arch.spec import Arch
from stationary.core import DIMS, Dim, StationaryError, Tensor, divisors
from stationary.mapping.dataflows import Dataflow
from stationary.search.space import allowed_slots, factorizations, fanout, slots
from stationary.workload.layer import Layer

_D = {d: k for k, d in enumerate(DIMS)}
_CHUNK = 1 << 20   # rows expanded at once
REMAINDER_TEMPORAL_CAP = 8   # a temporal loop's bound at a remainder's boundary (spatial ones: the fan-out)
N, G, M, C, E, F, R, S = (_D[d] for d in (Dim.N, Dim.G, Dim.M, Dim.C, Dim.E, Dim.F, Dim.R, Dim.S))


@lru_cache(maxsize=65536)
def lattice_size(terms: tuple[tuple[int, int], ...]) -> int:
    """Distinct values of ``sum(step * k)`` with ``k < count`` for each (step, count) term.

    >>> lattice_size(((4, 3), (1, 11)))      # 3 output rows of stride 4 under an 11-row filter: rows 0..18
    19
    """
    values = {0}
    for step, count in terms:
        if count > 1:
            values = {v + step * k for v in values for k in range(count)}
    return len(values)


def halo_rows(a: np.ndarray, b: np.ndarray, step_a: int, step_b: int) -> np.ndarray:
    """Vectorized ``lattice_size(((step_a, a), (step_b, b)))``: closed form where the rows are contiguous
    (``step_b == 1`` and ``step_a <= b``, or a single term), a lookup over the distinct pairs elsewhere."""
    out = np.where(a == 1, b, np.where(b == 1, a, (a - 1) * step_a + b))
    odd = (a > 1) & (b > 1) & ((step_b != 1) | (step_a > b))
    if odd.any():
        keys = a[odd] * (1 << 32) + b[odd]
        uniq, inv = np.unique(keys, return_inverse=True)
        sizes = np.array([lattice_size(((step_a, int(k >> 32)), (step_b, int(k & 0xFFFFFFFF)))) for k in uniq],
                         dtype=np.int64)
        out[odd] = sizes[inv.reshape(-1)]
    return out


def words(tensor: Tensor, ext: np.ndarray, layer: Layer) -> np.ndarray:
    """Words in tiles with per-dimension extents ``ext`` (rows x DIMS), the input's halo counted once."""
    if tensor is Tensor.WEIGHT:
        return ext[:, G] * ext[:, M] * ext[:, C] * ext[:, R] * ext[:, S]
    if tensor is Tensor.PSUM:
        return ext[:, N] * ext[:, G] * ext[:, M] * ext[:, E] * ext[:, F]
    u, dil = layer.U, layer.dilation
    return (ext[:, N] * ext[:, G] * ext[:, C] * halo_rows(ext[:, E], ext[:, R], u, dil)
            * halo_rows(ext[:, F], ext[:, S], u, dil))


def level_extents(tilings_: np.ndarray, arch: Arch, level: int) -> np.ndarray:
    """Per-dimension extent of each tiling's tile at ``level``: the product of its slots' bounds and those below."""
    inner = [k for k, s in enumerate(slots(arch)) if s.level >= level]
    return tilings_[:, :, inner].prod(axis=2)


def fits(rows: np.ndarray, layer: Layer, arch: Arch, bypassed) -> np.ndarray:
    """Which tiling rows respect every fan-out and, with level ``i`` keeping ``keeps - bypassed[i]``, every
    capacity (partitions included)."""
    sl = slots(arch)
    keep = np.ones(len(rows), dtype=bool)
    for k, s in enumerate(sl):
        if s.axis is not None:
            keep &= rows[:, :, k].prod(axis=1) <= fanout(arch, s)
    for i in range(1, len(arch.levels)):
        holds = arch.levels[i].keeps - bypassed[i]
        groups = [(kept, size) for tensors, size in arch.levels[i].capacity_groups()
                  if size is not None and (kept := tuple(t for t in tensors if t in holds))]
        if groups and keep.any():
            ext = level_extents(rows, arch, i)
            for kept, size in groups:
                keep &= sum(words(t, ext, layer) for t in kept) <= size
    return keep


def ceil_splits(size: int, caps: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Splits of ``size`` over slots (outermost first) that leave a remainder: the slots inside a boundary slot
    ``k`` split a divisor ``t`` of ``size`` exactly, slot ``k`` takes any bound ``b`` up to ``caps[k]`` with ``b x t``
    not dividing ``size``, and the slots outside cover ``ceil(size / (b x t))`` exactly, its outermost loop
    needing every iteration (as ``Mapping.fitted`` makes it). So a dimension is cut into tiles of any size, the
    last one smaller, at a spatial loop or under the outermost temporal loop (AccelForge's imperfect factors).

    >>> ceil_splits(5, (5, 2))          # 5 = 2 + 2 + 1: three iterations outside a loop of 2 whose last runs 1
    [(3, 2)]
    """
    out = []
    n = len(caps)
    for k in range(1, n):
        for t in divisors(size):
            for inner in factorizations(t, n - k - 1) if n - k - 1 else [()]:
                if n - k - 1 == 0 and t != 1:
                    continue
                for b in range(2, min(caps[k], size) + 1):
                    tile = b * t
                    if size % tile == 0 or tile >= size:
                        continue
                    outer_size = -(-size // tile)
                    for outer in factorizations(outer_size, k):
                        stride, ok = tile, True
                        for f in reversed(outer):      # the outermost loop with a bound above 1 needs all of it
                            if f > 1:
                                ok = f == -(-size // stride)
                            stride *= f
                        if ok:
                            out.append(outer + (b,) + inner)
    return sorted(set(out))


def dim_options(layer: Layer, arch: Arch, dataflow: Dataflow | None, bypassed, dim: Dim,
                remainders: bool = False) -> np.ndarray:
    """Each way to split ``dim`` over the slots the dataflow allows that fits with every other dim at 1
    (options that do not fit alone never fit): an ``(options, len(slots))`` array of bounds. With ``remainders``,
    also the ceil-divided splits of :func:`ceil_splits` (bounds multiplying past the dimension)."""
    rules = dataflow.constraints if dataflow else None
    allowed = allowed_slots(arch, rules, dim, f"layer {layer.name}")
    splits = list(factorizations(layer.dims[dim], len(allowed)))
    if remainders and layer.dims[dim] > 2:
        sl = slots(arch)
        caps = tuple(fanout(arch, sl[k]) if sl[k].axis is not None else REMAINDER_TEMPORAL_CAP for k in allowed)
        splits += ceil_splits(layer.dims[dim], caps)
    facts = np.array(splits, dtype=np.int64)
    alone = np.ones((len(facts), len(DIMS), len(slots(arch))), dtype=np.int64)
    alone[:, _D[dim], list(allowed)] = facts
    return alone[fits(alone, layer, arch, bypassed)][:, _D[dim], :]


def space_size(layer: Layer, arch: Arch, dataflow: Dataflow | None, bypassed, limit: int | None = None,
               remainders: bool = False) -> int:
    """An upper bound on the number of tilings: the product of each dimension's options that fit alone (counting
    stops once it passes ``limit``; the smallest dimensions are counted first)."""
    size = 1
    for d in sorted((d for d in DIMS if layer.dims[d] > 1), key=lambda d: layer.dims[d]):
        size *= len(dim_options(layer, arch, dataflow, bypassed, d, remainders))
        if limit is not None and size > limit:
            break
    return size


def tilings(layer: Layer, arch: Arch, dataflow: Dataflow | None, bypassed, *, cap: int | None = None,
            score=None, remainders: bool = False) -> tuple[np.ndarray, bool]:
    """Every tiling whose tiles fit when level ``i`` keeps ``arch.levels[i].keeps - bypassed[i]``, and whether
    the list is complete. With ``cap``, whenever the partial tilings outnumber it, only the ``cap`` with the
    lowest ``score(rows)`` (the lower bound of the partial tiling, a heuristic there) are carried on, and the
    list is then incomplete (a beam search)."""
    rules = dataflow.constraints if dataflow else None
    where = f"layer {layer.name}"
    sl = slots(arch)
    sizes = layer.dims
    fit = lambda rows: rows[fits(rows, layer, arch, bypassed)]

    rows, complete = np.ones((1, len(DIMS), len(sl)), dtype=np.int64), True
    required = (rules.spatial_required | rules.rf_required) if rules else frozenset()
    # dims the dataflow pins down first (a beam must not fill their places with others), then the largest
    for d in sorted((d for d in DIMS if sizes[d] > 1), key=lambda d: (d not in required, -sizes[d], DIMS.index(d))):
        opts = dim_options(layer, arch, dataflow, bypassed, d, remainders)
        step = max(1, _CHUNK // max(1, len(opts)))
        kept = []
        for lo in range(0, len(rows), step):      # in chunks, so rows x options never fills memory
            part = np.repeat(rows[lo:lo + step], len(opts), axis=0)
            part[:, _D[d], :] = np.tile(opts, (min(step, len(rows) - lo), 1))
            part = fit(part)
            kept.append(part)
            if cap is not None and sum(len(x) for x in kept) > cap:
                merged = np.concatenate(kept)
                sc = score(merged)
                best = np.argsort(sc, kind="stable")[:cap]
                kept, complete = [merged[best]], False
        rows = np.concatenate(kept) if kept else rows[:0]
        if not len(rows):
            raise StationaryError(f"no tiling of {d.name} = {sizes[d]} fits the fan-outs and capacities of arch "
                                  f"{arch.name}" + (f" under {dataflow.label}" if dataflow else ""),
                                  where=where, field=d.name, value=sizes[d])
    return rows, complete
