"""The per-hop sums of the remainder model, one dimension (or one pair of dimensions) at a time, cached by geometry.

:mod:`stationary.model.imperfect` explains the semantics. A hop's count is a sum over kinds of step (the first
step, then each advancing temporal loop above the child) of a product over the tensor's axes of per-axis sums, and
each per-axis sum depends only on the loops of the axis's dimensions (a :class:`DimHop`) and on what the step does
to them (a *kind*: the first step, the dimension's own loop ``k`` advancing, another dimension's loop advancing
with ``s`` of this dimension's loops inside it and rewinding, every step, the last step). So the sums are computed
once per distinct (geometry, kind) and looked up: the model (:func:`stationary.model.imperfect.hop_counts`) asks
for one mapping's, the bulk evaluator (:mod:`stationary.search.bulk_remainder`) for a whole batch's, where a few
hundred geometries serve thousands of candidates. :func:`operand_steps` and :func:`output_steps` turn the per-axis
vectors into counts for both.

>>> dh = DimHop.of(size=5, tile=2, temporal=((3, 2),))      # E = 5 in tiles of 2 under a loop of 3: 2 + 2 + 1
>>> [int(x) for x in operand_axis(dh, FIRST, False)[:2]], [int(x) for x in operand_axis(dh, own(0), False)[:2]]
([2, 0], [3, 0])
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from stationary.core import prod

FIRST, ALL, LAST = 0, 1, 2          # kinds of step (see own and foreign for the others)
_CACHE = 1 << 16


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


@lru_cache(maxsize=_CACHE)
def offsets(loops: Loops) -> np.ndarray:
    """The index each digit tuple of ``loops`` reaches, outermost digit slowest (as ``np.indices`` orders them)."""
    values = np.zeros(1, dtype=np.int64)
    for bound, stride in loops:
        values = (values[:, None] + stride * np.arange(bound, dtype=np.int64)[None, :]).ravel()
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


@lru_cache(maxsize=_CACHE)
def descriptors(dh: DimHop, kind: int, representative: bool = False) -> tuple:
    """The dimension's transitions deduplicated: (weight, delta, lengths before, lengths after) per distinct one."""
    counts, before, after = _transitions(dh, kind)
    n = len(counts)
    if not n:          # no step of this kind (the loop never advances): every sum over it is 0
        return ()
    lb = _lengths(dh, before, representative)
    lb[before < 0] = 0
    la = _lengths(dh, after, representative)
    delta = np.where(before < 0, 0, after - before)
    keys = np.concatenate([delta[:, None], lb.reshape(n, -1), la.reshape(n, -1)], axis=1)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    weights = np.bincount(inverse.ravel(), weights=counts, minlength=len(uniq)).astype(np.int64)
    shape, size = lb.shape[1:], lb[0].size
    return tuple((int(w), int(k[0]), k[1:1 + size].reshape(shape), k[1 + size:].reshape(shape))
                 for w, k in zip(weights, uniq))


def _interval_sums(items, rep_mid: bool = False) -> np.ndarray:
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


def _point_sums(items, rep_mid: bool = False) -> np.ndarray:
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


def _lattice_sums(coefs: tuple[int, int], g1, g2) -> np.ndarray:
    """|N|, |N and O| summed over children and the per-parent union sizes |U N|, |U N| - |U (N - O)| summed over
    parents, for a two-dimension axis (the input's H or W): coordinates ``sum(coef x index)`` as sets, keyed by
    child (or parent) so that one sort counts them all. ``g1``, ``g2``: (DimHop, descriptors) of the two dims."""
    out = np.zeros(4, dtype=np.int64)
    c1, c2 = coefs
    (dh1, items1), (dh2, items2) = g1, g2
    if not items1 or not items2:
        return out
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


# ---- the per-axis vectors both callers multiply ----------------------------------------------------------------

@lru_cache(maxsize=_CACHE)
def operand_axis(dh: DimHop, kind: int, point: bool) -> np.ndarray:
    """An operand's axis of one dimension over the steps of one kind: (|N| and |N and O| summed over children,
    |U N| and |U N| - |U (N - O)| summed over parents). ``point``: a dimension the tensor does not depend on."""
    items = descriptors(dh, kind)
    if point:
        s = _point_sums(items)
        return s[[0, 1, 5, 6]]
    s = _interval_sums(items)
    return s[[0, 1, 0, 1]]          # intervals of different children are disjoint: the union is the sum


@lru_cache(maxsize=_CACHE)
def operand_pair(coefs: tuple[int, int], dh1: DimHop, kind1: int, dh2: DimHop, kind2: int) -> np.ndarray:
    """The same vector for an axis of two dimensions (the input's H from E and R, W from F and S)."""
    return _lattice_sums(coefs, (dh1, descriptors(dh1, kind1)), (dh2, descriptors(dh2, kind2)))


@lru_cache(maxsize=_CACHE)
def output_axis(dh: DimHop, kind: int, point: bool) -> np.ndarray:
    """The outputs' axis of one dimension over the steps of one kind: |N|, |O|, |O|[O = N] over every child, then
    |N|, |O|, |O|[O = N], |N|[N = O] over the representatives of the reduction groups (a ``point`` dimension, one
    of C, R, S: every child takes its representative's status)."""
    items = descriptors(dh, kind, point)
    every = _point_sums(items)[:5] if point else _interval_sums(items)
    reps = _point_sums(items, True)[:5] if point else every
    return np.concatenate([every[[0, 2, 3]], reps[[0, 2, 3, 4]]])


@lru_cache(maxsize=_CACHE)
def output_distinct(dh: DimHop, point: bool, macs: bool) -> int:
    """This dimension's factor of the outputs' distinct words per parent instance: the words a parent starts from
    zero. ``macs``: for a hop to the MACs, where a parent accumulates into the words its MACs start at."""
    if point:
        return int((offsets(dh.hi) < dh.size).sum())
    if not macs:
        return int(_interval_sums(descriptors(dh, ALL))[0])
    starts = live_values(dh)[:, None] + offsets(dh.mid)[None, :]
    return sum(int(np.unique(starts[starts + h < dh.size]).size) for h in offsets(dh.hi))


@lru_cache(maxsize=_CACHE)
def mac_output_axis(dh: DimHop, point: bool) -> np.ndarray:
    """For the outputs' hop to the MACs, this dimension's factors of (MACs with work, parent updates)."""
    if point:
        s = _point_sums(descriptors(dh, ALL))
        return s[[0, 5]]
    return _interval_sums(descriptors(dh, ALL))[[0, 0]]


# ---- from per-axis vectors (axes on the second last dimension) to counts -----------------------------------------

def operand_steps(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(child fills, parent reads) of each kind of step, from its per-axis :func:`operand_axis` vectors."""
    p = vectors.prod(axis=-2)
    return p[..., 0] - p[..., 1], p[..., 2] - p[..., 3]


def output_steps(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(child drains, parent updates, residencies started) at each kind of step (residencies end where the tile
    moves; a representative's new residency starts where its tile is not what it held), from the per-axis
    :func:`output_axis` vectors."""
    p = vectors.prod(axis=-2)
    return p[..., 1] - p[..., 2], p[..., 4] - p[..., 5], p[..., 3] - p[..., 6]


def output_last(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(child drains, parent updates) when the last residency ends, from the last step's vectors."""
    p = vectors.prod(axis=-2)
    return p[..., 0], p[..., 3]
