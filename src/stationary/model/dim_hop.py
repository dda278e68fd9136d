"""One dimension's loops as one parent/child hop sees them (:class:`DimHop`), its transitions over a kind of step,
and the per-axis sums of the remainder model over them (:mod:`stationary.model.imperfect` has the semantics).

A *kind* of step says what the step does to the dimension: the first step (``FIRST``), the dimension's own
``k``-th loop advancing (:func:`own`), another dimension's loop advancing with ``s`` of this dimension's loops
inside it, which rewind (:func:`foreign`), every step (``ALL``), the last step (``LAST``).

>>> dh = DimHop.of(size=5, tile=2, temporal=((3, 2),))      # E = 5 in tiles of 2 under a loop of 3: 2 + 2 + 1
>>> live_values(dh).tolist(), transitions(dh, own(0)).after.ravel().tolist()   # the tile moves twice: 2 then 1 new
([0, 2, 4], [2, 1])
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from stationary.core import prod

FIRST, ALL, LAST = 0, 1, 2          # kinds of step (see own and foreign for the others)
VECTORS_CACHED = 1 << 16   # small per-axis vectors (model.imperfect_sums), kept across batches of a search
_ARRAYS_CACHED = 1 << 12   # per-transition arrays: larger, needed again only while a batch's vectors are computed


def own(k: int) -> int:
    """Kind: the dimension's own ``k``-th advancing loop (outermost first) advances, the loops inside it rewind."""
    return 3 + 2 * k


def foreign(s: int) -> int:
    """Kind: another dimension's loop advances; ``s`` of this dimension's advancing loops are inside it (rewind)."""
    return 4 + 2 * s


Loops = tuple[tuple[int, int], ...]     # (bound, stride) per loop, outermost first


@dataclass(frozen=True, slots=True)
class DimHop:
    """One dimension's loops as one parent/child hop sees them: its ``size``, the child's full tile extent
    ``tile``, the temporal loops above the child, the spatial loops above the parent (``hi``) and between parent
    and child (``mid``); loops of bound 1 are left out (they change nothing)."""
    size: int
    tile: int
    temporal: Loops = ()
    hi: Loops = ()
    mid: Loops = ()

    @staticmethod
    def of(size: int, tile: int, temporal=(), hi=(), mid=()) -> "DimHop":
        keep = lambda loops: tuple((int(b), int(s)) for b, s in loops if b > 1)
        return DimHop(int(size), int(tile), keep(temporal), keep(hi), keep(mid))


@lru_cache(maxsize=_ARRAYS_CACHED)
def offsets(loops: Loops) -> np.ndarray:
    """The index each digit tuple of ``loops`` reaches, outermost digit slowest (as ``np.indices`` orders them)."""
    values = np.zeros(1, dtype=np.int64)
    for bound, stride in loops:
        values = (values[:, None] + stride * np.arange(bound, dtype=np.int64)[None, :]).ravel()
    values.flags.writeable = False      # shared by every caller of the cache
    return values


def live_values(dh: DimHop) -> np.ndarray:
    """Indices the temporal loops reach below the size (the iterations with work), in step order."""
    vals = offsets(dh.temporal)
    return vals[vals < dh.size]


def _transitions(dh: DimHop, kind: int):
    """(count, start before, start after) of the dimension over the steps of one kind (before -1: no step before)."""
    vals = offsets(dh.temporal)
    if kind == FIRST:
        return np.array([1]), np.array([-1]), vals[:1]
    if kind in (ALL, LAST):
        live = live_values(dh)
        live = live[-1:] if kind == LAST else live
        return np.ones(len(live), dtype=np.int64), np.full(len(live), -1), live
    bounds = [b for b, _ in dh.temporal]
    mine = (kind - 3) // 2 if kind % 2 else None
    inside = prod(bounds[mine + 1:]) if mine is not None else prod(bounds[len(bounds) - (kind - 4) // 2:])
    groups = vals.reshape(-1, inside)
    glive = groups < dh.size
    any_live = glive.any(axis=1)
    last_live = groups[np.arange(len(groups)), glive.sum(axis=1) - 1]   # live tuples are a prefix per group
    first = groups[:, 0]
    if mine is None:                                  # another dimension's loop: this one's inner loops rewind
        return np.ones(int(any_live.sum()), dtype=np.int64), last_live[any_live], first[any_live]
    nxt = np.arange(1, len(groups) + 1)
    ok = np.zeros(len(groups), dtype=bool)
    ok[:-1] = any_live[:-1] & any_live[1:] & (nxt[:-1] % bounds[mine] != 0)
    idx = np.flatnonzero(ok)
    return np.ones(len(idx), dtype=np.int64), last_live[idx], first[idx + 1]


def _lengths(dh: DimHop, starts: np.ndarray, representative: bool) -> np.ndarray:
    """Interval lengths, shape (len(starts), hi, mid): ``clip(D - start - offsets, 0, tile)``. With
    ``representative`` every child takes the status of the child at mid offset 0 (outputs over C, R, S)."""
    mid = offsets(dh.mid)
    mid = np.zeros_like(mid) if representative else mid
    origin = starts[:, None, None] + offsets(dh.hi)[None, :, None] + mid[None, None, :]
    return np.clip(dh.size - origin, 0, dh.tile)


@dataclass(frozen=True, slots=True)
class Transitions:
    """One dimension's transitions over the steps of one kind: per transition, how many steps share it
    (``weight``), how far the tile's start moves (``delta``), and each child's interval length before and after
    (``before``, ``after``: transitions x hi x mid)."""
    weight: np.ndarray
    delta: np.ndarray
    before: np.ndarray
    after: np.ndarray

    def __len__(self) -> int:
        return len(self.weight)

    def distinct(self) -> "Transitions":
        """The same with equal transitions merged (weights added)."""
        n = len(self)
        if n < 2:
            return self
        keys = np.ascontiguousarray(np.concatenate([self.delta[:, None], self.before.reshape(n, -1),
                                                    self.after.reshape(n, -1)], axis=1))
        _, first, inverse = np.unique(keys.view(np.dtype((np.void, keys.dtype.itemsize * keys.shape[1]))).ravel(),
                                      return_index=True, return_inverse=True)
        weight = np.bincount(inverse.ravel(), weights=self.weight, minlength=len(first)).astype(np.int64)
        return Transitions(weight, self.delta[first], self.before[first], self.after[first])


@lru_cache(maxsize=_ARRAYS_CACHED)
def transitions(dh: DimHop, kind: int, representative: bool = False) -> Transitions:
    """The dimension's transitions over the steps of one kind (none when the kind never happens)."""
    counts, before, after = _transitions(dh, kind)
    lb = _lengths(dh, before, representative)
    lb[before < 0] = 0
    return Transitions(counts.astype(np.int64), np.where(before < 0, 0, after - before), lb,
                       _lengths(dh, after, representative))


def interval_sums(tr: Transitions, rep_mid: bool = False) -> np.ndarray:
    """Per-axis sums for a one-dimension axis (intervals, disjoint between children): |N|, |N and O|,
    |O|, |O|[O = N], |N|[N = O]; over all children, or only those at mid offset 0 with ``rep_mid``."""
    lb, la = (tr.before[:, :, :1], tr.after[:, :, :1]) if rep_mid else (tr.before, tr.after)
    delta = tr.delta[:, None, None]
    overlap = np.maximum(0, np.minimum(lb, delta + la) - np.maximum(0, delta))
    same = (lb == la) & ((delta == 0) | (la == 0))
    per = np.stack([la, overlap, lb, lb * same, la * same], axis=1).reshape(len(tr), 5, -1).sum(axis=2)
    return tr.weight @ per if len(tr) else np.zeros(5, dtype=np.int64)


def point_sums(tr: Transitions, rep_mid: bool = False) -> np.ndarray:
    """The same sums for a dimension the tensor does not depend on (one point, held or not), plus the
    per-parent unions: parents with some child holding, and parents where every holder held it before."""
    lb, la = (tr.before[:, :, :1], tr.after[:, :, :1]) if rep_mid else (tr.before, tr.after)
    a, b = la > 0, lb > 0
    covered = a.any(axis=2)
    fresh = (a & ~b).any(axis=2)
    both = (a & b).sum(axis=(1, 2))
    per = np.stack([a.sum(axis=(1, 2)), both, b.sum(axis=(1, 2)), both, both, covered.sum(axis=1),
                    (covered & ~fresh).sum(axis=1)], axis=1)
    return tr.weight @ per if len(tr) else np.zeros(7, dtype=np.int64)


def lattice_sums(coefs: tuple[int, int], g1, g2) -> np.ndarray:
    """|N|, |N and O| summed over children and the per-parent union sizes |U N|, |U N| - |U (N - O)| summed over
    parents, for a two-dimension axis (the input's H or W): coordinates ``sum(coef x index)`` as sets, keyed by
    child (or parent) so that one sort counts them all. ``g1``, ``g2``: (DimHop, Transitions) of the two dims."""
    out = np.zeros(4, dtype=np.int64)
    c1, c2 = coefs
    (dh1, tr1), (dh2, tr2) = g1, g2
    if not len(tr1) or not len(tr2):
        return out
    tr1, tr2 = tr1.distinct(), tr2.distinct()
    items1 = list(zip(tr1.weight.tolist(), tr1.delta.tolist(), tr1.before, tr1.after))
    items2 = list(zip(tr2.weight.tolist(), tr2.delta.tolist(), tr2.before, tr2.after))
    hi1, mid1, hi2, mid2 = offsets(dh1.hi), offsets(dh1.mid), offsets(dh2.hi), offsets(dh2.mid)
    span1 = max(int(max(la.max(), lb.max())) for _, _, lb, la in items1)
    span2 = max(int(max(la.max(), lb.max())) for _, _, lb, la in items2)
    h1, m1, h2, m2 = len(hi1), len(mid1), len(hi2), len(mid2)
    shape = (h1, h2, m1, m2, max(span1, 1), max(span2, 1))
    i = np.arange(shape[4]).reshape(1, 1, 1, 1, -1, 1)
    j = np.arange(shape[5]).reshape(1, 1, 1, 1, 1, -1)
    pos = (c1 * (hi1[:, None, None, None] + mid1[None, None, :, None])
           + c2 * (hi2[None, :, None, None] + mid2[None, None, None, :]))[..., None, None] + c1 * i + c2 * j
    child = np.arange(h1 * h2 * m1 * m2).reshape(h1, h2, m1, m2)[..., None, None]
    for w1, delta1, lb1, la1 in items1:
        for w2, delta2, lb2, la2 in items2:
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
