"""The bulk evaluator's closed forms for tilings whose bounds divide every dimension (no remainder).

* Weights and outputs (and the input's N, G, C axes) have no halo: their strides above a child are multiples of
  the child's tile, so a step either leaves the tile in place or moves it entirely. Counting the steps that move
  it telescopes to the product of the loop bounds down to the last loop that touches the tensor.
* The input's H (W) axis mixes E and R (F and S): a step whose N, G, C displacement is zero keeps part of the
  tile. Those overlaps and the words new to the children are the model's own set functions
  (``overlap_size``, ``fresh_union_size``, ``union_size``), computed once per distinct (tile, children's
  offsets, shift) and looked up for the whole batch; there are few distinct ones.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stationary.arch.spec import Arch
from stationary.core import DIMS, Dim, Tensor
from stationary.mapping.tiles import fresh_union_size, lattice, overlap_size, union_size
from stationary.search.bulk_base import Batch, count_hops, finish, in_dims, unique_rows
from stationary.search.space import slots
from stationary.workload.layer import Layer

_D = {d: k for k, d in enumerate(DIMS)}
N, G, M, C, E, F, R, S = (_D[d] for d in (Dim.N, Dim.G, Dim.M, Dim.C, Dim.E, Dim.F, Dim.R, Dim.S))


def exact_batch(layer: Layer, arch: Arch, bypass, rows: np.ndarray, orders: np.ndarray,
                which: np.ndarray | None = None) -> Batch:
    """The model's counts, energy and cycles of rows whose bounds divide every dimension; with ``which``,
    ``bypass`` is a tuple of bypass choices and row ``j`` is under ``bypass[which[j]]``."""
    ctx = _Context(layer, arch, rows, orders)

    def hop(t: Tensor, p: int, c: int) -> dict:
        pair = ctx.pair(p, c)
        return _outputs(ctx, pair) if t is Tensor.PSUM else _weights(ctx, pair) if t is Tensor.WEIGHT \
            else _inputs(ctx, pair)

    return finish(layer, arch, ctx.n, ctx.steps, count_hops(arch, bypass, hop, which))


class _Context:
    """Per-batch arrays every pair reads: strides, temporal loops per level in order, extents."""

    def __init__(self, layer: Layer, arch: Arch, rows: np.ndarray, orders: np.ndarray):
        self.layer, self.arch, self.rows, self.n = layer, arch, rows, len(rows)
        self.slots = slots(arch)
        self.depth = len(arch.levels)
        self.temporal = [next(k for k, s in enumerate(self.slots) if s.level == i and s.axis is None)
                         for i in range(self.depth)]
        inclusive = np.cumprod(rows[:, :, ::-1], axis=2)[:, :, ::-1]
        self.strides = np.ones_like(rows)
        self.strides[:, :, :-1] = inclusive[:, :, 1:]   # a loop moves its dim by the product of inner same-dim loops
        self.dims = orders
        self.bounds = np.stack([np.take_along_axis(rows[:, :, self.temporal[i]], orders[:, i], axis=1)
                                for i in range(self.depth)], axis=1)
        self.loop_strides = np.stack([np.take_along_axis(self.strides[:, :, self.temporal[i]], orders[:, i], axis=1)
                                      for i in range(self.depth)], axis=1)
        self.steps = self.bounds.prod(axis=(1, 2))
        self._extents: dict = {}

    def extent(self, ks: tuple[int, ...]) -> np.ndarray:
        """(n, 8): per dimension, the product of the bounds in slots ``ks`` (cached: pairs share them)."""
        if ks not in self._extents:
            self._extents[ks] = (self.rows[:, :, list(ks)].prod(axis=2) if ks
                                 else np.ones((self.n, len(DIMS)), dtype=np.int64))
        return self._extents[ks]

    def pair(self, p: int, c: int) -> "_Pair":
        sl = self.slots
        below = lambda lvl: tuple(k for k, s in enumerate(sl) if s.axis is not None and s.level < lvl)
        between = tuple(k for k, s in enumerate(sl) if s.axis is not None and p <= s.level < c)
        ext = self.extent(tuple(k for k, s in enumerate(sl) if s.level >= c))
        return _Pair(p, c, list(between), ext, ext * self.extent(between),
                     self.extent(below(c)).prod(axis=1), self.extent(below(p)).prod(axis=1),
                     self.dims[:, :c].reshape(self.n, -1), self.bounds[:, :c].reshape(self.n, -1),
                     self.loop_strides[:, :c].reshape(self.n, -1))


@dataclass(frozen=True, slots=True)
class _Pair:
    parent: int
    child: int
    between: list          # spatial slots between parent and child
    ext: np.ndarray        # (n, 8) the child's tile extent per dim (ones for the MACs)
    cover: np.ndarray      # (n, 8) the extent all the parent's children cover together (no-halo axes)
    child_instances: np.ndarray
    parent_instances: np.ndarray
    dims: np.ndarray       # (n, L) the temporal loops above the child, outermost first
    bounds: np.ndarray
    strides: np.ndarray


def _last_product(pair: _Pair, relevant_dims) -> np.ndarray:
    """Product of the loop bounds above the child down to the last loop (bound > 1) on a relevant dim."""
    rel = in_dims(pair.dims, relevant_dims) & (pair.bounds > 1)
    cum = np.cumprod(pair.bounds, axis=1)
    last = rel.shape[1] - 1 - np.argmax(rel[:, ::-1], axis=1)
    return np.where(rel.any(axis=1), cum[np.arange(len(cum)), last], 1)


def _weights(ctx: _Context, pair: _Pair) -> dict:
    dims = [G, M, C, R, S]
    union = pair.cover[:, dims].prod(axis=1)
    if pair.child == ctx.depth:
        above = pair.bounds.prod(axis=1)
        return {"child_fills": above * pair.child_instances, "parent_reads": above * union * pair.parent_instances}
    moves = _last_product(pair, dims)
    tile = pair.ext[:, dims].prod(axis=1)
    return {"child_fills": moves * tile * pair.child_instances, "parent_reads": moves * union * pair.parent_instances}


def _outputs(ctx: _Context, pair: _Pair) -> dict:
    dims = [N, G, M, E, F]
    tile = pair.ext[:, dims].prod(axis=1)
    union = pair.cover[:, dims].prod(axis=1)
    if pair.child == ctx.depth:
        residencies = pair.bounds.prod(axis=1)
    else:
        residencies = _last_product(pair, dims)
    fresh = np.where(in_dims(pair.dims, dims), pair.bounds, 1).prod(axis=1)
    reduction = ctx.extent(tuple(pair.between))[:, [C, R, S]].prod(axis=1)
    continued = residencies - fresh
    return {
        "child_fills": (continued * tile * pair.child_instances // reduction if pair.child < ctx.depth
                        else np.zeros(ctx.n, dtype=np.int64)),
        "child_drains": residencies * tile * pair.child_instances,
        "parent_updates": residencies * union * pair.parent_instances,
        "parent_reads": continued * union * pair.parent_instances,
    }


def _inputs(ctx: _Context, pair: _Pair) -> dict:
    n = ctx.n
    plain = pair.ext[:, [N, G, C]].prod(axis=1)
    plain_cover = pair.cover[:, [N, G, C]].prod(axis=1)
    h = _Halo(ctx, pair, E, R)
    w = _Halo(ctx, pair, F, S)
    first_parent = plain_cover * h.cover * w.cover
    above = pair.bounds.prod(axis=1)
    if pair.child == ctx.depth:   # MACs keep nothing: every step fetches one word per MAC anew
        return {"child_fills": above * pair.child_instances,
                "parent_reads": above * first_parent * pair.parent_instances}
    first_child = plain * h.length * w.length
    # a step moves the N, G, C part of the tile (and so the whole tile) when its loop, or any loop inside it that
    # rewinds, is on N, G or C
    on_plain = in_dims(pair.dims, [N, G, C])
    inner_plain = np.flip(np.cumsum(np.flip(on_plain & (pair.bounds > 1), axis=1), axis=1), axis=1)
    inner_plain[:, :-1] = inner_plain[:, 1:]
    inner_plain[:, -1] = 0
    count = (pair.bounds - 1) * np.concatenate([np.ones((n, 1), dtype=np.int64),
                                                np.cumprod(pair.bounds, axis=1)[:, :-1]], axis=1)
    partial = (count > 0) & ~on_plain & (inner_plain == 0)
    child = first_child * above
    parent = first_parent * above
    if partial.any():
        j, q = np.nonzero(partial)
        ov_h, fu_h = h.at(j, q)
        ov_w, fu_w = w.at(j, q)
        cnt = count[j, q]
        kept_child = np.zeros(n, dtype=np.int64)
        kept_parent = np.zeros(n, dtype=np.int64)
        np.add.at(kept_child, j, cnt * plain[j] * ov_h * ov_w)
        np.add.at(kept_parent, j, cnt * plain_cover[j] * (h.cover[j] - fu_h) * (w.cover[j] - fu_w))
        child, parent = child - kept_child, parent - kept_parent
    return {"child_fills": child * pair.child_instances, "parent_reads": parent * pair.parent_instances}


_GEOMETRY: dict = {}   # (stride, dilation, geometry key) -> (base, offsets, cover)
_SHIFTS: dict = {}     # (stride, dilation, geometry key, shift) -> (overlap, fresh union)


class _Halo:
    """One sliding-window axis of the input (H from E and R, or W from F and S) over a batch: per candidate the
    tile's footprint and the children's offsets, grouped into the few distinct geometries there are."""

    def __init__(self, ctx: _Context, pair: _Pair, out_dim: int, filt_dim: int):
        self.ctx, self.pair, self.out_dim, self.filt_dim = ctx, pair, out_dim, filt_dim
        self.u, self.dil = ctx.layer.U, ctx.layer.dilation
        cols = [pair.ext[:, out_dim], pair.ext[:, filt_dim]]
        for d in (out_dim, filt_dim):
            for k in pair.between:
                bound = ctx.rows[:, d, k]
                cols += [np.where(bound > 1, ctx.strides[:, d, k], 0), bound]
        table = np.stack(cols, axis=1)
        first, self.gid = unique_rows(table)
        self.keys = [tuple(int(v) for v in table[i]) for i in first]
        info = [self._geometry(key) for key in self.keys]
        self.length = np.array([len(b) for b, _, _ in info], dtype=np.int64)[self.gid]
        self.cover = np.array([cov for _, _, cov in info], dtype=np.int64)[self.gid]

    def _geometry(self, key):
        full = (self.u, self.dil, len(self.pair.between), key)
        if full not in _GEOMETRY:
            nb = len(self.pair.between)
            e_ranges = [(key[2 + 2 * i], key[3 + 2 * i]) for i in range(nb)]
            r_ranges = [(key[2 + 2 * nb + 2 * i], key[3 + 2 * nb + 2 * i]) for i in range(nb)]
            terms = ((Dim.E, self.u), (Dim.R, self.dil))
            base = lattice(terms, {Dim.E: [(1, key[0])], Dim.R: [(1, key[1])]})
            offsets = lattice(terms, {Dim.E: [r for r in e_ranges if r[1] > 1], Dim.R: [r for r in r_ranges if r[1] > 1]})
            _GEOMETRY[full] = (base, offsets, union_size(base, offsets))
        return _GEOMETRY[full]

    def shift(self, j: np.ndarray, q: np.ndarray) -> np.ndarray:
        """Displacement along the axis of loop q's step (q advances, every loop inside it rewinds)."""
        pair = self.pair
        out = np.zeros(len(j), dtype=np.int64)
        for d, coef in ((self.out_dim, self.u), (self.filt_dim, self.dil)):
            on = pair.dims == d
            span = np.where(on, (pair.bounds - 1) * pair.strides, 0)
            inner = np.flip(np.cumsum(np.flip(span, axis=1), axis=1), axis=1) - span
            disp = np.where(on, pair.strides, 0) - inner
            out += coef * disp[j, q]
        return out

    def at(self, j: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(overlap, fresh union) of candidate j's step of loop q."""
        shift = self.shift(j, q)
        gid = self.gid[j]
        table = np.stack([gid, shift], axis=1)
        first, inv = unique_rows(table)
        ov = np.empty(len(first), dtype=np.int64)
        fu = np.empty(len(first), dtype=np.int64)
        for i, (g, s) in enumerate(table[first].tolist()):
            key = (self.u, self.dil, len(self.pair.between), self.keys[g], s)
            if key not in _SHIFTS:
                base, offsets, _ = self._geometry(self.keys[g])
                _SHIFTS[key] = (overlap_size(base, s), fresh_union_size(base, offsets, s))
            ov[i], fu[i] = _SHIFTS[key]
        return ov[inv], fu[inv]
