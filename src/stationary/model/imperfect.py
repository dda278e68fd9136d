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

import enum

import numpy as np

from stationary.core import DIMS, Dim, Tensor, prod
from stationary.mapping.tiles import tensor_axes
from stationary.model.dim_hop import ALL, FIRST, LAST, DimHop, foreign, own
from stationary.model.imperfect_sums import (mac_output_axis, operand_axis, operand_pair, operand_steps, output_axis,
                                             output_distinct, output_last, output_steps)


class AxisKind(enum.Enum):
    ONE = "one"        # an axis of one dimension: (ONE, d)
    PAIR = "pair"      # the input's H or W: (PAIR, d1, d2, (c1, c2)), coordinates c1 x d1 + c2 x d2
    POINT = "point"    # a dimension the tensor does not depend on: (POINT, d)


def axis_layout(layer, tensor: Tensor) -> tuple[tuple, ...]:
    """The tensor's axes as the sums see them (:class:`AxisKind` first in each)."""
    out, relevant = [], set()
    for axis in tensor_axes(layer, tensor):
        relevant.update(d for d, _ in axis.terms)
        if len(axis.terms) == 1:
            out.append((AxisKind.ONE, axis.terms[0][0]))
        else:
            (d1, c1), (d2, c2) = axis.terms
            out.append((AxisKind.PAIR, d1, d2, (c1, c2)))
    return tuple(out) + tuple((AxisKind.POINT, d) for d in DIMS if d not in relevant)


def operand_vector(spec: tuple, hops, kinds) -> np.ndarray:
    """One axis's :func:`~stationary.model.imperfect_sums.operand_axis` vector, ``hops[d]`` and ``kinds[d]`` per
    dimension (indexable by Dim)."""
    if spec[0] is AxisKind.PAIR:
        _, d1, d2, coefs = spec
        return operand_pair(coefs, hops[d1], kinds[d1], hops[d2], kinds[d2])
    return operand_axis(hops[spec[1]], kinds[spec[1]], spec[0] is AxisKind.POINT)


def dim_hops(layer, nest, strides, parent: int, child: int) -> dict[Dim, DimHop]:
    """Each dimension's loops as the hop from ``parent`` to ``child`` sees them."""
    tile = {d: 1 for d in DIMS}
    loops: dict[str, dict[Dim, list]] = {k: {d: [] for d in DIMS} for k in ("temporal", "hi", "mid")}
    for (lvl, loop), stride in zip(nest, strides):
        if lvl >= child:
            tile[loop.dim] *= loop.bound
        else:
            kind = "temporal" if not loop.spatial else "hi" if lvl < parent else "mid"
            loops[kind][loop.dim].append((loop.bound, stride))
    return {d: DimHop.of(layer.dims[d], tile[d], loops["temporal"][d], loops["hi"][d], loops["mid"][d])
            for d in DIMS}


def step_kinds(nest, child: int) -> list[dict[Dim, int]]:
    """Per kind of step (the first one, then each advancing temporal loop above the child), each dimension's kind."""
    advancing = [(pos, loop.dim) for pos, (lvl, loop) in enumerate(nest)
                 if lvl < child and not loop.spatial and loop.bound > 1]
    out = [{d: FIRST for d in DIMS}]
    for q, e in advancing:
        out.append({d: own(sum(1 for pos, d2 in advancing if d2 is d and pos < q)) if d is e
                    else foreign(sum(1 for pos, d2 in advancing if d2 is d and pos > q)) for d in DIMS})
    return out


def hop_counts(layer, nest, strides, tensor: Tensor, parent: int, child: int, depth: int) -> dict[str, int]:
    """The same four numbers as the perfect-factor model's hop (``analysis._Pair``), with remainders."""
    hops = dim_hops(layer, nest, strides, parent, child)
    layout = axis_layout(layer, tensor)
    stack = lambda vectors: np.array([[int(x) for x in v] for v in vectors], dtype=object)   # exact integers
    if child == depth:
        kinds = {d: ALL for d in DIMS}
        if tensor is not Tensor.PSUM:    # MACs keep nothing: every step fetches its operands anew
            fills, reads = operand_steps(stack([operand_vector(s, hops, kinds) for s in layout]))
            return {"child_fills": int(fills), "parent_reads": int(reads)}
        macs, updates = stack([mac_output_axis(hops[s[1]], s[0] is AxisKind.POINT) for s in layout]).prod(axis=0)
        distinct = prod(output_distinct(hops[s[1]], s[0] is AxisKind.POINT, True) for s in layout)
        return {"child_fills": 0, "child_drains": int(macs), "parent_updates": int(updates),
                "parent_reads": int(updates) - distinct}
    steps = step_kinds(nest, child)
    if tensor is not Tensor.PSUM:
        fills, reads = operand_steps(np.stack([stack([operand_vector(s, hops, k) for s in layout]) for k in steps]))
        return {"child_fills": int(fills.sum()), "parent_reads": int(reads.sum())}
    out_vector = lambda k: stack([output_axis(hops[s[1]], k[s[1]], s[0] is AxisKind.POINT) for s in layout])
    drains, updates, starts = (int(x.sum()) for x in output_steps(np.stack([out_vector(k) for k in steps])))
    last_drains, last_updates = output_last(out_vector({d: LAST for d in DIMS}))
    fills = starts - prod(output_distinct(hops[s[1]], s[0] is AxisKind.POINT, False) for s in layout)
    return {"child_fills": fills, "child_drains": drains + int(last_drains),
            "parent_updates": updates + int(last_updates), "parent_reads": fills}
