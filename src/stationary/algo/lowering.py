"""Execution of the direct convolution and of its Toeplitz (im2col) lowering on real tensors.

Tensors: input ``N x (G C) x H x W`` (FC: ``N x C``, any trailing shape flattened), weights
``M x C x R x S`` (FC: ``M x C``), output ``N x M x E x F`` (FC: ``N x M``). A MATMUL layer is a grouped
1x1 convolution over ``H`` tokens. Padding is the layer's (see :func:`stationary.infer.forward.pad_input`).

The talk's slide: a 2x2 filter on a 3x3 input lowers to a 4x4 Toeplitz matrix with repeated data.

>>> from stationary.workload import conv
>>> x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
>>> lower(x, conv("slide", 1, 1, 3, 2))[0].astype(int)
array([[1, 2, 4, 5],
       [2, 3, 5, 6],
       [4, 5, 7, 8],
       [5, 6, 8, 9]])
"""
from __future__ import annotations

import numpy as np

from stationary.algo.numeric import Precision
from stationary.infer.forward import pad_input
from stationary.workload.layer import Layer, LayerKind


def as_input(x: np.ndarray, layer: Layer) -> np.ndarray:
    """The input as ``N x (G C) x H x W`` (FC: ``N x C``)."""
    x = np.asarray(x)
    if layer.kind is LayerKind.FC:
        return x.reshape(x.shape[0], -1)
    return x.reshape(x.shape[0], layer.G * layer.C, layer.H, layer.W)


def windows(x: np.ndarray, layer: Layer) -> np.ndarray:
    """Every output position's receptive field as a strided view: ``N x G x C x E x F x R x S``."""
    n, d, u = x.shape[0], layer.dilation, layer.U
    xp = pad_input(as_input(x, layer), layer)
    span_r, span_s = d * (layer.R - 1) + 1, d * (layer.S - 1) + 1
    win = np.lib.stride_tricks.sliding_window_view(xp, (span_r, span_s), axis=(2, 3))
    win = win[:, :, ::u, ::u, ::d, ::d][:, :, :layer.E, :layer.F]
    return win.reshape(n, layer.G, layer.C, layer.E, layer.F, layer.R, layer.S)


def lower(x: np.ndarray, layer: Layer) -> np.ndarray:
    """The lowered input: per group a ``(C R S) x (N E F)`` matrix, materialized (``G x K x N``)."""
    if layer.kind is LayerKind.FC:
        return np.ascontiguousarray(as_input(x, layer).T)[None]
    win = windows(x, layer)                                  # N G C E F R S
    n, g = win.shape[:2]
    cols = win.transpose(1, 2, 5, 6, 0, 3, 4)                # G C R S N E F
    return np.ascontiguousarray(cols).reshape(g, layer.C * layer.R * layer.S, n * layer.E * layer.F)


def weight_matrix(w: np.ndarray, layer: Layer) -> np.ndarray:
    """The filters as per-group GEMM operands: ``G x (M/G) x (C R S)``."""
    return np.asarray(w).reshape(layer.G, layer.M_per_group, -1)


def unlower(out: np.ndarray, layer: Layer, n: int) -> np.ndarray:
    """The GEMM's ``G x (M/G) x (N E F)`` result as the layer's output."""
    if layer.kind is LayerKind.FC:
        return out[0].T
    y = out.reshape(layer.G, layer.M_per_group, n, layer.E, layer.F).transpose(2, 0, 1, 3, 4)
    return y.reshape(n, layer.M, layer.E, layer.F)


def direct(x: np.ndarray, w: np.ndarray, layer: Layer, precision: Precision = Precision.FLOAT64) -> np.ndarray:
    """The convolution nest itself (an einsum over the window view), operands and result in ``precision``."""
    q = precision.round
    if layer.kind is LayerKind.FC:
        return q(q(as_input(x, layer)) @ q(w).T)
    win = windows(q(x), layer)
    wg = q(w).reshape(layer.G, layer.M_per_group, layer.C, layer.R, layer.S)
    out = np.einsum("ngcefrs,gmcrs->ngmef", win, wg, optimize=True)
    return q(out.reshape(x.shape[0], layer.M, layer.E, layer.F))


def im2col(x: np.ndarray, w: np.ndarray, layer: Layer, precision: Precision = Precision.FLOAT64) -> np.ndarray:
    """Lower, one GEMM per group, reshape back."""
    q = precision.round
    out = q(np.matmul(weight_matrix(q(w), layer), lower(q(x), layer)))
    return unlower(out, layer, x.shape[0])
