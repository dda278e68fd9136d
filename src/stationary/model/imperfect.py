"""The model's counts for mappings whose bounds leave remainders, still exact and without walking the steps.

Semantics (docs/semantics.md, "Remainders"): a dimension's index is the mixed-radix number of its loops over their
full bounds, and an iteration whose index reaches the dimension is skipped. So at every step each child instance
holds, per dimension, an interval of indices ``[o, o + min(t, D - o))`` (``t`` its full tile extent), empty when
``o >= D``: edge tiles are smaller and a child past the edge is idle and holds nothing. A step exists when some
instance has work (the spatial digits at 0). For outputs a child holds the tile of its output dimensions while the
representative of its reduction group (index 0 of the spatial loops between the two levels over C, R, S) has work,
so a reduction group fills, drains and reduces together.

How it stays closed form. Per dimension, the loops above the child are enumerated as digit tuples (a few hundred
at most), so the steps at which loop ``q`` advances form a product over dimensions of per-dimension transitions
(the tile's start moves by ``delta``; each child's interval length before and after). Every count is a sum over
steps and instances of a product over the tensor's axes of per-axis sizes (for a union over children, a
difference of two such products, as in :func:`stationary.model.analysis._union_delta`), so it factors into a
product over axes of per-axis sums over per-dimension transitions, weighted by how many steps share them. Axes of
one dimension are intervals in closed form; the input's H and W (output rows and filter rows together) are
counted as sets; a dimension a tensor does not depend on is an axis of one point that a child holds or not.

>>> from stationary.arch import preset
>>> from stationary.core import Dim, Tensor
>>> from stationary.mapping import LevelMapping, Loop, Mapping
>>> from stationary.model import analyze
>>> from stationary.workload import conv
>>> layer = conv("strips", 1, 1, (7, 3), (3, 3))            # E = 5 output rows, in strips of 2 + 2 + 1
>>> m = Mapping((LevelMapping(temporal=(Loop(Dim.E, 3),)), LevelMapping(),
...              LevelMapping(temporal=(Loop(Dim.E, 2, residual=1), Loop(Dim.R, 3), Loop(Dim.S, 3)))))
>>> analyze(layer, preset("eyeriss"), m).at("RF", Tensor.IFMAP).fills   # input rows 0-3, then 4-5 and 6 (x 3)
21
"""
from __future__ import annotations

import numpy as np

from stationary.core import DIMS, Dim, Tensor, prod
from stationary.mapping.tiles import tensor_axes


class Geometry:
    """One hop's loops per dimension: temporal digit tuples above the child, spatial offsets above the parent
    (``hi``) and between parent and child (``mid``), the child's full tile extent."""

    def __init__(self, layer, nest, strides, tensor: Tensor, parent: int, child: int, depth: int):
        self.tensor, self.child, self.depth = tensor, child, depth
        self.size = dict(layer.dims)
        self.tile = {d: 1 for d in DIMS}
        self.temporal: dict[Dim, list[tuple[int, int, int]]] = {d: [] for d in DIMS}   # (pos, bound, stride)
        hi: dict[Dim, list] = {d: [] for d in DIMS}
        mid: dict[Dim, list] = {d: [] for d in DIMS}
        for pos, ((lvl, loop), stride) in enumerate(zip(nest, strides)):
            if lvl >= child:
                self.tile[loop.dim] *= loop.bound
            elif not loop.spatial:
                self.temporal[loop.dim].append((pos, loop.bound, stride))
            else:
                (hi if lvl < parent else mid)[loop.dim].append((loop.bound, stride))
        self.hi = {d: _offsets(hi[d]) for d in DIMS}
        self.mid = {d: _offsets(mid[d]) for d in DIMS}
        self.digits, self.values = {}, {}
        for d in DIMS:
            bounds = [b for _, b, _ in self.temporal[d]]
            grid = np.indices(bounds).reshape(len(bounds), -1).T if bounds else np.zeros((1, 0), dtype=np.int64)
            self.digits[d] = grid
            self.values[d] = grid @ np.array([s for _, _, s in self.temporal[d]], dtype=np.int64)

    def lengths(self, d: Dim, starts: np.ndarray, representative: bool = False) -> np.ndarray:
        """Interval lengths, shape (len(starts), hi, mid): ``clip(D - start - offsets, 0, tile)``. With
        ``representative`` every child takes the status of the child at mid offset 0 (outputs over C, R, S)."""
        mid = np.zeros_like(self.mid[d]) if representative else self.mid[d]
        origin = starts[:, None, None] + self.hi[d][None, :, None] + mid[None, None, :]
        return np.clip(self.size[d] - origin, 0, self.tile[d])

    def transitions(self, d: Dim, q_pos: int | None):
        """(count, start before, start after) of dimension d over the steps at which the loop at nest position
        ``q_pos`` advances (``None``: the first step, nothing before it)."""
        vals, live = self.values[d], self.values[d] < self.size[d]
        loops = self.temporal[d]
        if q_pos is None:
            return np.array([1]), np.array([-1]), vals[:1]
        inside = prod(b for pos, b, _ in loops if pos > q_pos)
        mine = [k for k, (pos, _, _) in enumerate(loops) if pos == q_pos]
        groups = vals.reshape(-1, inside)
        glive = live.reshape(-1, inside)
        any_live = glive.any(axis=1)
        last_live = groups[np.arange(len(groups)), glive.sum(axis=1) - 1]   # live tuples are a prefix per group
        first = groups[:, 0]
        if not mine:                                      # another dimension: its inner loops rewind
            keep = any_live
            return np.ones(int(keep.sum()), dtype=np.int64), last_live[keep], first[keep]
        bound = loops[mine[0]][1]
        nxt = np.arange(1, len(groups) + 1)
        ok = np.zeros(len(groups), dtype=bool)
        ok[:-1] = any_live[:-1] & any_live[1:] & (nxt[:-1] % bound != 0)
        idx = np.flatnonzero(ok)
        return np.ones(len(idx), dtype=np.int64), last_live[idx], first[idx + 1]

    def all_steps(self, d: Dim):
        vals = self.values[d][self.values[d] < self.size[d]]
        return np.ones(len(vals), dtype=np.int64), np.full(len(vals), -1), vals

    def advancing(self) -> list[int]:
        return [pos for d in DIMS for pos, b, _ in self.temporal[d] if b > 1]


def _offsets(loops) -> np.ndarray:
    values = np.zeros(1, dtype=np.int64)
    for bound, stride in loops:
        values = (values[:, None] + stride * np.arange(bound, dtype=np.int64)[None, :]).ravel()
    return values


class _Descriptors:
    """Per-dimension transitions deduplicated: (weight, delta, lengths before, lengths after)."""

    def __init__(self, geo: Geometry, d: Dim, counts, before, after, representative: bool):
        self.hi, self.mid = geo.hi[d], geo.mid[d]
        self.items = []
        n = len(counts)
        if not n:          # no step of this kind (the loop never advances): every sum over it is 0
            return
        lb = geo.lengths(d, before, representative)
        lb[before < 0] = 0
        la = geo.lengths(d, after, representative)
        delta = np.where(before < 0, 0, after - before)
        keys = np.concatenate([delta[:, None], lb.reshape(n, -1), la.reshape(n, -1)], axis=1)
        uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
        weights = np.bincount(inverse.ravel(), weights=counts, minlength=len(uniq)).astype(np.int64)
        shape, size = lb.shape[1:], lb[0].size
        self.items = [(int(w), int(k[0]), k[1:1 + size].reshape(shape), k[1 + size:].reshape(shape))
                      for w, k in zip(weights, uniq)]


def _interval_sums(items, rep_mid: bool):
    """Per-axis sums for a one-dimension axis (intervals, disjoint between children): |N|, |N and O|,
    |O|, |O|[O = N], |N|[N = O]; over all children, or only those at mid offset 0 with ``rep_mid``."""
    out = np.zeros(5, dtype=np.int64)
    for w, delta, lb, la in items:
        if rep_mid:
            lb, la = lb[:, :1], la[:, :1]
        overlap = np.maximum(0, np.minimum(lb, delta + la) - max(0, delta))
        same = (lb == la) & ((delta == 0) | (la == 0))
        out += w * np.array([la.sum(), overlap.sum(), lb.sum(), (lb * same).sum(), (la * same).sum()])
    return out


def _point_sums(items, rep_mid: bool):
    """The same sums for a dimension the tensor does not depend on (one point, held or not), plus the
    per-parent unions: parents with some child holding, and parents where every holder held it before."""
    out = np.zeros(7, dtype=np.int64)
    for w, _, lb, la in items:
        if rep_mid:
            lb, la = lb[:, :1], la[:, :1]
        a, b = la > 0, lb > 0
        covered = a.any(axis=1)
        fresh = (a & ~b).any(axis=1)
        out += w * np.array([a.sum(), (a & b).sum(), b.sum(), (a & b).sum(), (a & b).sum(),
                             covered.sum(), (covered & ~fresh).sum()])
    return out


def _lattice_sums(axis, descs: list[_Descriptors]):
    """|N|, |N and O| summed over children and the per-parent union sizes |U N|, |U N| - |U (N - O)| summed over
    parents, for a two-dimension axis (the input's H or W): coordinates ``sum(coef x index)`` as sets, keyed by
    child (or parent) so that one sort counts them all."""
    out = np.zeros(4, dtype=np.int64)
    (_, c1), (_, c2) = axis.terms
    g1, g2 = descs
    if not g1.items or not g2.items:
        return out
    span1 = max(int(max(la.max(), lb.max())) for _, _, lb, la in g1.items)
    span2 = max(int(max(la.max(), lb.max())) for _, _, lb, la in g2.items)
    h1, m1, h2, m2 = len(g1.hi), len(g1.mid), len(g2.hi), len(g2.mid)
    shape = (h1, h2, m1, m2, max(span1, 1), max(span2, 1))
    i = np.arange(shape[4]).reshape(1, 1, 1, 1, -1, 1)
    j = np.arange(shape[5]).reshape(1, 1, 1, 1, 1, -1)
    pos = (c1 * (g1.hi[:, None, None, None] + g1.mid[None, None, :, None])
           + c2 * (g2.hi[None, :, None, None] + g2.mid[None, None, None, :]))[..., None, None] + c1 * i + c2 * j
    child = np.arange(h1 * h2 * m1 * m2).reshape(h1, h2, m1, m2)[..., None, None]
    for w1, delta1, lb1, la1 in g1.items:
        for w2, delta2, lb2, la2 in g2.items:
            def held(l1, l2):
                return (i < l1[:, None, :, None, None, None]) & (j < l2[None, :, None, :, None, None])
            new_ok, old_ok = np.broadcast_to(held(la1, la2), shape), np.broadcast_to(held(lb1, lb2), shape)
            new_val = pos + c1 * delta1 + c2 * delta2
            lo = min(int(pos.min()), int(new_val.min()))
            width = max(int(pos.max()), int(new_val.max())) - lo + 1
            new_keys = np.unique((np.broadcast_to(child, shape) * width + new_val - lo)[new_ok])
            old_keys = np.unique((np.broadcast_to(child, shape) * width + pos - lo)[old_ok])
            kept = np.isin(new_keys, old_keys, assume_unique=True)
            per_parent = (new_keys // width) // (m1 * m2) * width + new_keys % width
            union = np.unique(per_parent).size
            union_fresh = np.unique(per_parent[~kept]).size
            out += w1 * w2 * np.array([new_keys.size, int(kept.sum()), union, union - union_fresh])
    return out


def _axis_terms(layer, tensor: Tensor):
    axes = tensor_axes(layer, tensor)
    relevant = {d for axis in axes for d, _ in axis.terms}
    return axes, [d for d in DIMS if d not in relevant]


def hop_counts(layer, nest, strides, tensor: Tensor, parent: int, child: int, depth: int) -> dict[str, int]:
    """The same four numbers as the perfect-factor model's hop (``analysis._Pair``), with remainders."""
    geo = Geometry(layer, nest, strides, tensor, parent, child, depth)
    axes, points = _axis_terms(layer, tensor)
    if tensor is Tensor.PSUM:
        return _outputs(geo, axes, points)
    return _operands(geo, axes, points)


def _per_axis(geo, axes, points, source, representative: bool = False):
    """Per axis, the sums over the product of its dimensions' transitions (from ``source(d)``)."""
    descs = {d: _Descriptors(geo, d, *source(d), representative and d in points) for d in DIMS}
    sums = []
    for axis in axes:
        if len(axis.terms) == 1:
            sums.append(("interval", _interval_sums(descs[axis.terms[0][0]].items, False)))
        else:
            sums.append(("lattice", _lattice_sums(axis, [descs[d] for d, _ in axis.terms])))
    for d in points:
        sums.append(("point", _point_sums(descs[d].items, False)))
    return sums, descs


def _operands(geo: Geometry, axes, points) -> dict[str, int]:
    def fills_reads(sums):
        a = prod(int(s[0]) for _, s in sums)
        b = prod(int(s[1]) for _, s in sums)
        r1 = prod(int(s[0] if kind == "interval" else s[2] if kind == "lattice" else s[5]) for kind, s in sums)
        r2 = prod(int(s[1] if kind == "interval" else s[3] if kind == "lattice" else s[6]) for kind, s in sums)
        return a - b, r1 - r2

    if geo.child == geo.depth:      # MACs keep nothing: every step fetches its operands anew
        sums, _ = _per_axis(geo, axes, points, geo.all_steps)
        return dict(zip(("child_fills", "parent_reads"), fills_reads(sums)))
    fills, reads = fills_reads(_per_axis(geo, axes, points, lambda d: geo.transitions(d, None))[0])
    for q in geo.advancing():
        f, r = fills_reads(_per_axis(geo, axes, points, lambda d: geo.transitions(d, q))[0])
        fills, reads = fills + f, reads + r
    return {"child_fills": fills, "parent_reads": reads}


def _outputs(geo: Geometry, axes, points) -> dict[str, int]:
    rel = [axis.terms[0][0] for axis in axes]

    def sums_of(source, rep_mid_points: bool):
        """(all children, representatives) sums: |N|, |N and O|, |O|, |O|[O=N], |N|[N=O] per axis."""
        descs = {d: _Descriptors(geo, d, *source(d), d in points) for d in DIMS}
        every = [_interval_sums(descs[d].items, False) for d in rel] + \
                [_point_sums(descs[d].items, False)[:5] for d in points]
        reps = [_interval_sums(descs[d].items, False) for d in rel] + \
               [_point_sums(descs[d].items, True)[:5] for d in points]
        return every, reps

    def term(sums, k):
        return prod(int(s[k]) for s in sums)

    if geo.child == geo.depth:
        return _mac_outputs(geo, rel, points)
    drains = updates = starts = 0
    for source in [lambda d: geo.transitions(d, None)] + [
            (lambda q: lambda d: geo.transitions(d, q))(q) for q in geo.advancing()]:
        every, reps = sums_of(source, True)
        drains += term(every, 2) - term(every, 3)
        updates += term(reps, 2) - term(reps, 3)
        starts += term(reps, 0) - term(reps, 4)
    every, reps = sums_of(lambda d: _last_step(geo, d), True)     # the last residency ends
    drains += term(every, 0)
    updates += term(reps, 0)
    distinct = prod(int(_interval_sums(_Descriptors(geo, d, *geo.all_steps(d), False).items, False)[0])
                    for d in rel)
    for d in points:
        distinct *= int((geo.hi[d] < geo.size[d]).sum())
    fills = starts - distinct
    return {"child_fills": fills, "child_drains": drains, "parent_updates": updates, "parent_reads": fills}


def _last_step(geo: Geometry, d: Dim):
    vals = geo.values[d][geo.values[d] < geo.size[d]]
    return np.array([1]), np.array([-1]), vals[-1:]


def _mac_outputs(geo: Geometry, rel, points) -> dict[str, int]:
    """Each working MAC accumulates into one output per step; the parent is updated once per distinct word per
    step, and reads it back except the first time this parent instance accumulates into it."""
    descs = {d: _Descriptors(geo, d, *geo.all_steps(d), False) for d in DIMS}
    macs = prod(int(_interval_sums(descs[d].items, False)[0]) for d in rel) * \
        prod(int(_point_sums(descs[d].items, False)[0]) for d in points)
    updates = prod(int(_interval_sums(descs[d].items, False)[0]) for d in rel) * \
        prod(int(_point_sums(descs[d].items, False)[5]) for d in points)
    distinct = 1
    for d in rel:
        vals = geo.values[d][geo.values[d] < geo.size[d]]
        starts = vals[:, None] + geo.mid[d][None, :]
        distinct *= sum(int(np.unique(starts[starts + h < geo.size[d]]).size) for h in geo.hi[d])
    for d in points:
        distinct *= int((geo.hi[d] < geo.size[d]).sum())
    return {"child_fills": 0, "child_drains": macs, "parent_updates": updates, "parent_reads": updates - distinct}
