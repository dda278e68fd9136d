"""The analytical model over many candidates at once: arrays in, arrays out, the same numbers as ``analyze``.

A batch shares the layer, the arch and a bypass choice; candidate ``j`` is a tiling row ``rows[j]`` (loop bounds
per dimension and slot, as ``tiling.tilings`` makes them) and a temporal order per level ``orders[j]`` (the eight
dimensions, outermost first; loops of bound 1 change nothing). Its Mapping is ``mapper.build(rows[j], ...)``,
fitted (``Mapping.fitted``) where its bounds multiply past a dimension.

The semantics are those of ``stationary.model.analysis`` (docs/semantics.md), in closed form over the batch: rows
whose bounds divide every dimension by ``search.bulk_exact`` (the perfect-factor closed forms), rows with
remainders by ``search.bulk_remainder`` (the remainder model's per-hop sums, ``model.imperfect_sums``, computed
once per distinct geometry in the batch). Energy and cycles are summed in the model's order, so they equal
``evaluate``'s bit for bit; tests/test_search_bulk*.py hold every count, the energy and the cycles equal to the
model on random mappings, with and without remainders.

>>> import numpy as np
>>> from stationary.arch import preset
>>> from stationary.core import Tensor
>>> from stationary.workload import fc
>>> from stationary.search.space import slots
>>> arch = preset("eyeriss")
>>> rows = np.ones((2, 8, len(slots(arch))), dtype=np.int64)
>>> rows[:, 2, 0], rows[:, 3, 4] = 4, 8                 # M = 4 at DRAM, C = 8 in the RF
>>> rows[1, 3, 4], rows[1, 3, 0] = 3, 3                 # the second: C in three passes of 3, 3 and 2
>>> b = evaluate_batch(fc("fc", 4, 8), arch, (frozenset(),) * 3, rows, np.tile(np.arange(8), (2, 3, 1)))
>>> b.steps.tolist(), b.counts[("DRAM", Tensor.WEIGHT)][:, 0].tolist()   # 32 MACs in a row; each weight read once
([32, 32], [32, 32])
"""
from __future__ import annotations

import numpy as np

from stationary.arch.spec import Arch
from stationary.core import DIMS, StationaryError
from stationary.search.bulk_base import Batch, merged
from stationary.search.bulk_exact import exact_batch
from stationary.search.bulk_remainder import fit_rows, remainder_batch
from stationary.workload.layer import Layer

__all__ = ["Batch", "evaluate_batch"]


def evaluate_batch(layer: Layer, arch: Arch, bypass, rows: np.ndarray, orders: np.ndarray,
                   which: np.ndarray | None = None) -> Batch:
    """The model's counts, energy and cycles for every candidate (``rows``: n x 8 x slots, ``orders``: n x levels
    x 8 dimension indices). Tilings are taken as legal (fits and fan-outs are the enumeration's job). A row whose
    bounds multiply past a dimension (a ceil-divided split: the last iteration covers the remainder) is fitted
    first (``Mapping.fitted``); bounds that multiply to less than a dimension are refused (StationaryError). With
    ``which``, ``bypass`` is a tuple of bypass choices and row ``j`` is under ``bypass[which[j]]`` (rows of several
    choices in one call: far fewer calls in a local search's neighbourhoods; a count a row's choice does not have
    is 0 in ``counts``)."""
    rows = np.asarray(rows, dtype=np.int64)
    orders = np.asarray(orders, dtype=np.int64)
    if which is not None:
        return _mixed(layer, arch, bypass, rows, orders, np.asarray(which, dtype=np.int64))
    sizes = np.array([layer.dims[d] for d in DIMS], dtype=np.int64)
    exact = (rows.prod(axis=2) == sizes[None, :]).all(axis=1) if len(rows) else np.ones(0, dtype=bool)
    if exact.all():
        return exact_batch(layer, arch, bypass, rows, orders)
    short = rows.prod(axis=2) < sizes[None, :]
    if short.any():             # as Mapping.fitted refuses it: nothing would cover the rest of the dimension
        j, d = (int(x[0]) for x in np.nonzero(short))
        raise StationaryError(f"candidate {j}: loop bounds multiply to {int(rows[j, d].prod())}, less than "
                              f"{DIMS[d].name} = {sizes[d]}", field=DIMS[d].name, value=int(rows[j, d].prod()))
    fitted = fit_rows(rows[~exact], sizes)
    perfect = (fitted.prod(axis=2) == sizes[None, :]).all(axis=1)     # a fitted row may divide after all
    rest = np.flatnonzero(~exact)
    parts = [(idx, batch(layer, arch, bypass, r, orders[idx]))
             for idx, r, batch in ((np.flatnonzero(exact), rows[exact], exact_batch),
                                   (rest[perfect], fitted[perfect], exact_batch),
                                   (rest[~perfect], fitted[~perfect], remainder_batch)) if len(idx)]
    return merged(len(rows), parts)


def _mixed(layer: Layer, arch: Arch, choices, rows: np.ndarray, orders: np.ndarray, which: np.ndarray) -> Batch:
    """Exact rows of every choice in one call; rows with remainders per choice."""
    sizes = np.array([layer.dims[d] for d in DIMS], dtype=np.int64)
    exact = (rows.prod(axis=2) == sizes[None, :]).all(axis=1) if len(rows) else np.ones(0, dtype=bool)
    if exact.all():
        return exact_batch(layer, arch, choices, rows, orders, which)
    parts = [(np.flatnonzero(exact), exact_batch(layer, arch, choices, rows[exact], orders[exact], which[exact]))] \
        if exact.any() else []
    for b in np.unique(which[~exact]).tolist():
        idx = np.flatnonzero(~exact & (which == b))
        parts.append((idx, evaluate_batch(layer, arch, choices[b], rows[idx], orders[idx])))
    return merged(len(rows), parts)
