"""Running a mapping on real tensors: every innermost tile of every instance at every step, as array operations.

A *block* is one instance of the innermost level during one step of the loops above it: the loops at the levels
above (temporal and spatial) fix its origin, and the loops at the innermost level (its temporal loops and the
spatial loops over its MACs) sweep its tile. For every block the simulator gathers the weight and input words the
tile addresses, multiplies and sums them over C, R and S, and adds the partial sums into the output words the tile
addresses. Blocks are processed in batches, so memory is the tensors plus one batch. A mapping that missed or
repeated a MAC would give a different output from :func:`~stationary.sim.arithmetic.reference_conv`.

The zero hook counts, while it runs, the MACs whose input word is zero (the padding included): Eyeriss gates
those (skips the weight read and the MAC); a zero-skipping design does not even fetch the input.

>>> import numpy as np
>>> from stationary.core import Dim
>>> from stationary.mapping import LevelMapping, Loop, Mapping
>>> from stationary.sim.arithmetic import Precision, reference_conv
>>> from stationary.workload import conv
>>> layer = conv("c", 2, 1, 4, 3)
>>> m = Mapping((LevelMapping(temporal=(Loop(Dim.M, 2), Loop(Dim.E, 2))),
...              LevelMapping(temporal=(Loop(Dim.F, 2), Loop(Dim.R, 3), Loop(Dim.S, 3)))))
>>> w, x = np.arange(18).reshape(2, 1, 3, 3), np.arange(16).reshape(1, 1, 4, 4) % 3
>>> run = execute(layer, m, w, x, Precision.fixed())
>>> bool((run.output == reference_conv(layer, w, x, Precision.fixed())).all()), run.zero_input_macs
(True, 24)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stationary.core import Dim, Tensor
from stationary.mapping.mapping import Mapping
from stationary.sim.arithmetic import Precision, check_weights, padded_input
from stationary.sim.nest import dim_coefficients, loop_weights, odometer
from stationary.workload.layer import Layer

BATCH_ELEMENTS = 1 << 22

_ORDER = {Tensor.WEIGHT: (Dim.G, Dim.M, Dim.C, Dim.R, Dim.S),
          Tensor.IFMAP: (Dim.G, Dim.C, Dim.R, Dim.S, Dim.N, Dim.E, Dim.F),
          Tensor.PSUM: (Dim.G, Dim.M, Dim.N, Dim.E, Dim.F)}


@dataclass(frozen=True, slots=True)
class Execution:
    output: np.ndarray        # (N, M, E, F)
    blocks: int               # innermost tiles processed (instances x steps above the innermost level)
    zero_input_macs: int      # MACs whose input word is zero: what gating or skipping saves


def _tile_offsets(layer: Layer, mapping: Mapping, tensor: Tensor, extent: dict[Dim, int]) -> np.ndarray:
    """Addresses of a tile's words relative to its origin, in the fixed order ``_ORDER[tensor]``."""
    coef = dim_coefficients(layer, tensor)
    return odometer((extent[d], coef[d]) for d in _ORDER[tensor])


def _tile_valid(layer: Layer, tensor: Tensor, extent: dict[Dim, int], origin: dict[Dim, np.ndarray],
                sl: slice) -> np.ndarray:
    """(blocks, tile words): the word's iteration is inside the layer (bounds that leave a remainder run past it;
    those iterations are skipped)."""
    order = _ORDER[tensor]
    valid = None
    for d in order:
        index = odometer((extent[e], 1 if e is d else 0) for e in order)
        ok = origin[d][sl][:, None] + index[None, :] < layer.dims[d]
        valid = ok if valid is None else valid & ok
    return valid


def execute(layer: Layer, mapping: Mapping, weights: np.ndarray, inputs: np.ndarray,
            precision: Precision) -> Execution:
    """The layer's output computed tile by tile in the mapping's order of blocks."""
    check_weights(layer, weights)
    w = precision.operands(weights, "weights").ravel()
    x = padded_input(layer, precision.operands(inputs, "inputs")).ravel()
    inner = len(mapping.levels) - 1
    extent = {d: 1 for d in Dim}
    for loop in mapping.levels[inner].temporal + mapping.levels[inner].spatial:
        extent[loop.dim] *= loop.bound
    origins = {}
    for t in (Tensor.WEIGHT, Tensor.IFMAP, Tensor.PSUM):
        origins[t] = odometer((loop.bound, wt) for lvl, loop, wt in loop_weights(layer, mapping, t) if lvl < inner)
    guarded = not mapping.perfect
    if guarded:   # each block's index along each dimension, to skip the iterations past the layer's edge
        outer = [(loop, place) for (lvl, loop), place in zip(mapping.nest(), mapping.strides()) if lvl < inner]
        index_of = {d: odometer((loop.bound, place if loop.dim is d else 0) for loop, place in outer) for d in Dim}
    w_rel = _tile_offsets(layer, mapping, Tensor.WEIGHT, extent)
    x_rel = _tile_offsets(layer, mapping, Tensor.IFMAP, extent)
    o_rel = _tile_offsets(layer, mapping, Tensor.PSUM, extent)
    g, m, k = extent[Dim.G], extent[Dim.M], extent[Dim.C] * extent[Dim.R] * extent[Dim.S]
    p = extent[Dim.N] * extent[Dim.E] * extent[Dim.F]
    out = np.zeros(layer.N * layer.M * layer.E * layer.F + (not mapping.perfect), dtype=precision.dtype)
    blocks = len(origins[Tensor.PSUM])
    per_block = g * m * k * (p if precision.truncating else 1) + len(w_rel) + len(x_rel)
    batch = max(1, BATCH_ELEMENTS // per_block)
    zeros = 0
    for lo in range(0, blocks, batch):
        sl = slice(lo, lo + batch)
        w_addr = origins[Tensor.WEIGHT][sl, None] + w_rel[None, :]
        x_addr = origins[Tensor.IFMAP][sl, None] + x_rel[None, :]
        o_addr = (origins[Tensor.PSUM][sl, None] + o_rel[None, :]).ravel()
        if guarded:
            w_ok = _tile_valid(layer, Tensor.WEIGHT, extent, index_of, sl)
            x_ok = _tile_valid(layer, Tensor.IFMAP, extent, index_of, sl)
            o_ok = _tile_valid(layer, Tensor.PSUM, extent, index_of, sl).ravel()
            wt = np.where(w_ok, w[np.where(w_ok, w_addr, 0)], 0).reshape(-1, g, m, k)
            xt = np.where(x_ok, x[np.where(x_ok, x_addr, 0)], 0).reshape(-1, g, k, p)
            x_zero = ((xt == 0) & x_ok.reshape(xt.shape)).astype(np.int64)
            zeros += int(np.einsum("bgmk,bgkp->", w_ok.reshape(wt.shape).astype(np.int64), x_zero))
            o_addr = np.where(o_ok, o_addr, len(out) - 1)     # skipped iterations add 0 into a spare word
        else:
            wt = w[w_addr].reshape(-1, g, m, k)
            xt = x[x_addr].reshape(-1, g, k, p)
            zeros += int(np.count_nonzero(xt == 0)) * m
        if precision.truncating:
            part = precision.product(wt[..., None], xt[:, :, None, :, :]).sum(axis=3)
        else:
            part = np.matmul(wt, xt)
        np.add.at(out, o_addr, part.ravel())
    out = precision.finish(out[:layer.N * layer.M * layer.E * layer.F])
    # the dense output layout is (N, G, M/G, E, F); groups then filters is the framework's M order
    return Execution(out.reshape(layer.N, layer.M, layer.E, layer.F), blocks, zeros)
