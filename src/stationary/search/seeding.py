"""Seeds: mappings the mapper must not lose to, whatever its search finds.

A search seeded with mappings returns one at least as good as every seed that lies in its space (the dataflow's
slots and bypass choices, the layer's dimensions): the seeds start the local search and are ranked with its
answers by the model. This is how a larger problem never gets a worse answer than one built from a smaller one
(``over_batch``: the batch-4 mapping repeated over the batch), a search over a superset never loses to a subset's
answer, and the energy objective never loses to the energy ``delay,energy`` found.

>>> from stationary.arch import preset
>>> from stationary.core import Dim
>>> from stationary.workload import conv
>>> from stationary.search import search
>>> small = search(conv("c", 4, 2, 5, 3), preset("eyeriss"), None).best.mapping
>>> big = over_batch(small, 8)
>>> big.bounds()[Dim.N]
8
"""
from __future__ import annotations

import numpy as np

from stationary.core import DIMS, Dim
from stationary.mapping.mapping import LevelMapping, Loop, Mapping


def over_batch(mapping: Mapping, factor: int) -> Mapping:
    """``mapping`` repeated ``factor`` times over the batch: one more N loop, outermost at the outermost level."""
    top = mapping.levels[0]
    loops = [Loop(l.dim, l.bound * factor) if l.dim is Dim.N else l for l in top.temporal]
    if not any(l.dim is Dim.N for l in top.temporal):
        loops.insert(0, Loop(Dim.N, factor))
    return Mapping((LevelMapping(tuple(loops), top.spatial, top.bypass),) + mapping.levels[1:])


def seed_arrays(mappings, space):
    """The seeds in ``space`` as the local search's arrays (rows, orders, bypass indices), or None if none is:
    perfect loops in the dataflow's slots covering the layer, a bypass choice the space allows."""
    return _collect(mappings, space, exact=True)[0]


def mapping_arrays(mappings, space):
    """Mappings of the space as the bulk evaluator's arrays (rows of loop bounds, orders, bypass indices), with
    remainders allowed (``evaluate_batch`` fits such rows as ``Mapping.fitted`` does): the ``(rows, orders,
    which)`` of those that lie in the space's slots and bypass choices (None if none does), and their positions."""
    return _collect(mappings, space, exact=False)


def _collect(mappings, space, exact: bool):
    index = {c: i for i, c in enumerate(space.choices)}
    kept, rows, orders, which = [], [], [], []
    for k, m in enumerate(mappings):
        arrays = _arrays(m, space, index, exact)
        if arrays is not None:
            kept.append(k)
            rows.append(arrays[0])
            orders.append(arrays[1])
            which.append(arrays[2])
    if not kept:
        return None, []
    return (np.array(rows), np.array(orders), np.array(which, dtype=np.int64)), kept


def _arrays(mapping: Mapping, space, index, exact: bool = True):
    if len(mapping.levels) != space.depth:
        return None
    bypass = tuple(lm.bypass for lm in mapping.levels)
    if bypass not in index:
        return None
    row = np.ones((len(DIMS), len(space.slots)), dtype=np.int64)
    order = np.zeros((space.depth, len(DIMS)), dtype=np.int64)
    for i, lm in enumerate(mapping.levels):
        for loop in lm.loops:
            k = next((k for k, s in enumerate(space.slots) if s.level == i and s.axis is loop.axis), None)
            j = DIMS.index(loop.dim)
            if k is None or loop.bound > 1 and k not in space.allowed[j]:
                return None
            row[j, k] *= loop.bound
        first = list(dict.fromkeys(DIMS.index(l.dim) for l in lm.temporal))
        order[i] = first + [j for j in range(len(DIMS)) if j not in first]
    if any(int(row[j].prod()) != space.layer.dims[d] if exact else int(row[j].prod()) < space.layer.dims[d]
           for j, d in enumerate(DIMS)):
        return None     # remainders (where ``exact``), or another layer's shape
    return row, order, index[bypass]
