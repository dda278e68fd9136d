"""The per-hop sums of the remainder model, one dimension (or one pair of dimensions) at a time, cached by geometry.

:mod:`stationary.model.imperfect` explains the semantics. A hop's count is a sum over kinds of step (the first
step, then each advancing temporal loop above the child) of a product over the tensor's axes of per-axis sums, and
each per-axis sum depends only on the loops of the axis's dimensions (a :class:`~stationary.model.dim_hop.DimHop`)
and on what the step does to them (a kind of step, :mod:`stationary.model.dim_hop`). So the sums are computed
once per distinct (geometry, kind) and looked up: the model (:func:`stationary.model.imperfect.hop_counts`) asks
for one mapping's, the bulk evaluator (:mod:`stationary.search.bulk_remainder`) for a whole batch's, where a few
hundred geometries serve thousands of candidates. :func:`operand_steps` and :func:`output_steps` turn the per-axis
vectors into counts for both.

>>> from stationary.model.dim_hop import FIRST, DimHop, own
>>> dh = DimHop.of(size=5, tile=2, temporal=((3, 2),))      # E = 5 in tiles of 2 under a loop of 3: 2 + 2 + 1
>>> [int(x) for x in operand_axis(dh, FIRST, False)[:2]], [int(x) for x in operand_axis(dh, own(0), False)[:2]]
([2, 0], [3, 0])
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from stationary.model.dim_hop import (ALL, VECTORS_CACHED, DimHop, interval_sums, lattice_sums, live_values, offsets,
                                      point_sums, transitions)


@lru_cache(maxsize=VECTORS_CACHED)
def operand_axis(dh: DimHop, kind: int, point: bool) -> np.ndarray:
    """An operand's axis of one dimension over the steps of one kind: (|N| and |N and O| summed over children,
    |U N| and |U N| - |U (N - O)| summed over parents). ``point``: a dimension the tensor does not depend on."""
    tr = transitions(dh, kind)
    if point:
        s = point_sums(tr)
        return s[[0, 1, 5, 6]]
    s = interval_sums(tr)
    return s[[0, 1, 0, 1]]          # intervals of different children are disjoint: the union is the sum


@lru_cache(maxsize=VECTORS_CACHED)
def operand_pair(coefs: tuple[int, int], dh1: DimHop, kind1: int, dh2: DimHop, kind2: int) -> np.ndarray:
    """The same vector for an axis of two dimensions (the input's H from E and R, W from F and S)."""
    return lattice_sums(coefs, (dh1, transitions(dh1, kind1)), (dh2, transitions(dh2, kind2)))


@lru_cache(maxsize=VECTORS_CACHED)
def output_axis(dh: DimHop, kind: int, point: bool) -> np.ndarray:
    """The outputs' axis of one dimension over the steps of one kind: |N|, |O|, |O|[O = N] over every child, then
    |N|, |O|, |O|[O = N], |N|[N = O] over the representatives of the reduction groups (a ``point`` dimension, one
    of C, R, S: every child takes its representative's status)."""
    tr = transitions(dh, kind, point)
    every = point_sums(tr)[:5] if point else interval_sums(tr)
    reps = point_sums(tr, True)[:5] if point else every
    return np.concatenate([every[[0, 2, 3]], reps[[0, 2, 3, 4]]])


@lru_cache(maxsize=VECTORS_CACHED)
def output_distinct(dh: DimHop, point: bool, macs: bool) -> int:
    """This dimension's factor of the outputs' distinct words per parent instance: the words a parent starts from
    zero. ``macs``: for a hop to the MACs, where a parent accumulates into the words its MACs start at."""
    if point:
        return int((offsets(dh.hi) < dh.size).sum())
    if not macs:
        return int(interval_sums(transitions(dh, ALL))[0])
    starts = live_values(dh)[:, None] + offsets(dh.mid)[None, :]
    return sum(int(np.unique(starts[starts + h < dh.size]).size) for h in offsets(dh.hi))


@lru_cache(maxsize=VECTORS_CACHED)
def mac_output_axis(dh: DimHop, point: bool) -> np.ndarray:
    """For the outputs' hop to the MACs, this dimension's factors of (MACs with work, parent updates)."""
    if point:
        s = point_sums(transitions(dh, ALL))
        return s[[0, 5]]
    return interval_sums(transitions(dh, ALL))[[0, 0]]


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
