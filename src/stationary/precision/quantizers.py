"""Quantizers as pure functions on numpy arrays: each returns an array of the same shape and dtype whose
values lie on the quantizer's grid (quantize then dequantize, "fake quantization").

``axis`` gives per-channel scales (one per index along ``axis``, e.g. 0 = per filter); ``None`` is one
scale per tensor. ``max_abs`` fixes the range (calibrated activations) instead of taking it from ``x``.

* ``fixed_point``: uniform symmetric, ``2^(b-1) - 1`` steps each side of 0 (signed) or ``2^b - 1`` above
  it (unsigned, for ReLU outputs); scale = range / steps, or the next power of two (true fixed point, a
  binary point shift) with ``pow2_scale``. Error <= scale / 2 inside the range.
* ``binary``: ``alpha * sign(x)`` with ``alpha = mean |x|`` (BinaryConnect / XNOR-Net's scaled sign);
  0 maps to -alpha, as a ReLU's 0 does in XNOR layers.
* ``ternary``: Ternary Weight Networks (Li et al. 2016): 0 where ``|x| <= 0.7 mean|x|``, else
  ``alpha * sign(x)`` with alpha the mean of the kept ``|x|``.
* ``log2``: sign and a power of two (Miyashita et al. 2016): exponent ``round(log2 |x|)``, at most
  ``2^(b-1) - 1`` exponents below the largest, smaller values to 0. Relative error <= sqrt(2) - 1.

>>> x = np.array([-1.0, -0.3, 0.0, 0.2, 0.9])
>>> fixed_point(x, 3)                       # steps of 1/3
array([-1.        , -0.33333333,  0.        ,  0.33333333,  1.        ])
>>> binary(x), ternary(x)
(array([-0.48, -0.48, -0.48,  0.48,  0.48]), array([-0.95,  0.  ,  0.  ,  0.  ,  0.95]))
>>> log2(x, 3)
array([-1.  , -0.25,  0.  ,  0.25,  1.  ])
"""
from __future__ import annotations

import numpy as np

from stationary.core import StationaryError


def _check_bits(bits: int, low: int = 2) -> None:
    if isinstance(bits, bool) or not isinstance(bits, int) or not low <= bits <= 32:
        raise StationaryError(f"bit width must be an integer from {low} to 32", field="bits", value=bits)


def _reduce(x: np.ndarray, fn, axis: int | None) -> np.ndarray:
    """``fn`` over the whole tensor, or over every axis but ``axis`` (kept as size-1 axes)."""
    if axis is None:
        return np.asarray(fn(x))
    axis = axis % x.ndim
    others = tuple(i for i in range(x.ndim) if i != axis)
    return fn(x, axis=others, keepdims=True) if others else np.asarray(fn(x[..., None], axis=-1))


def fixed_point(x: np.ndarray, bits: int, *, axis: int | None = None, signed: bool = True,
                max_abs: float | np.ndarray | None = None, pow2_scale: bool = False) -> np.ndarray:
    """Uniform quantization to ``bits`` bits (see the module docs)."""
    _check_bits(bits, 2 if signed else 1)
    x = np.asarray(x)
    steps = 2 ** (bits - 1) - 1 if signed else 2 ** bits - 1
    top = _reduce(np.abs(x), np.max, axis) if max_abs is None else np.asarray(max_abs, x.dtype)
    scale = top / steps
    if pow2_scale:
        scale = np.where(scale > 0, 2.0 ** np.ceil(np.log2(np.where(scale > 0, scale, 1))), 0)
    safe = np.where(scale > 0, scale, 1)
    q = np.clip(np.rint(x / safe), -steps if signed else 0, steps) * safe
    return np.where(scale > 0, q, 0).astype(x.dtype, copy=False)


def binary(x: np.ndarray, *, axis: int | None = None, alpha: float | None = None) -> np.ndarray:
    """``alpha * sign(x)``, with sign(0) = -1 and ``alpha = mean|x|`` unless given (calibrated)."""
    x = np.asarray(x)
    alpha = _reduce(np.abs(x), np.mean, axis) if alpha is None else np.asarray(alpha, x.dtype)
    return (np.where(x > 0, 1, -1) * alpha).astype(x.dtype, copy=False)


def ternary(x: np.ndarray, *, axis: int | None = None, threshold: float = 0.7) -> np.ndarray:
    """Ternary weights {-alpha, 0, alpha}: keep ``|x| > threshold * mean|x|``."""
    x = np.asarray(x)
    mag = np.abs(x)
    keep = mag > threshold * _reduce(mag, np.mean, axis)
    kept = _reduce(np.where(keep, mag, 0), np.sum, axis)
    count = _reduce(keep.astype(np.int64), np.sum, axis)
    alpha = kept / np.maximum(count, 1)
    return np.where(keep, np.sign(x) * alpha, 0).astype(x.dtype, copy=False)


def log2(x: np.ndarray, bits: int, *, axis: int | None = None,
         max_abs: float | np.ndarray | None = None) -> np.ndarray:
    """Sign and power of two: one sign bit, ``bits - 1`` bits of exponent code (one code for zero)."""
    _check_bits(bits)
    x = np.asarray(x)
    mag = np.abs(x)
    top = _reduce(mag, np.max, axis) if max_abs is None else np.asarray(max_abs, np.float64)
    with np.errstate(divide="ignore"):
        e_max = np.rint(np.log2(np.where(top > 0, top, 1)))
        e = np.minimum(np.rint(np.log2(np.where(mag > 0, mag, 1))), e_max)
    e_min = e_max - (2 ** (bits - 1) - 2)
    q = np.where((mag > 0) & (e >= e_min) & (top > 0), np.sign(x) * 2.0 ** e, 0)
    return q.astype(x.dtype, copy=False)


def levels(x: np.ndarray) -> int:
    """The number of distinct values in ``x``."""
    return int(np.unique(np.asarray(x)).size)
