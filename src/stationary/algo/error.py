"""Numerical error of an algorithm against the float64 direct convolution, on given or generated data.

Generated data ("random tensors of the zoo's shapes"): inputs uniform in [0, 1) (pixels, post-ReLU
activations), weights normal with He's standard deviation ``sqrt(2 / (C R S))``, from a seeded generator.
For speed a large layer is measured on a crop of it (:func:`sample_layer`): the same C, filter, stride,
padding and dilation (so the same accumulation length and transforms), at most 16 filters per group,
4 groups, 16 x 16 outputs and batch 1; the result names the shape it was measured on.

>>> from stationary.workload import conv
>>> from stationary.algo.plan import plan
>>> layer = conv("c", 4, 3, 8, 3, pad=1)
>>> x, w = random_tensors(layer)
>>> e = measure(plan(layer, "winograd:2,3"), x, w)
>>> [s.precision.value for s in e], e[0].max_abs < 1e-12 < e[2].max_abs
(['float64', 'float32', 'float16', 'fixed16'], True)
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from stationary.algo.lowering import direct
from stationary.algo.numeric import PRECISIONS, Precision
from stationary.core import StationaryError
from stationary.workload.layer import Layer, LayerKind

MAX_FILTERS, MAX_GROUPS, MAX_OUTPUT = 16, 4, 16


@dataclass(frozen=True, slots=True)
class ErrorStats:
    """Absolute error against float64 direct, and the largest error relative to the largest output."""
    precision: Precision
    max_abs: float
    mean_abs: float
    max_rel: float


def random_tensors(layer: Layer, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A seeded input batch and weights of ``layer``'s shapes (see the module docs)."""
    rng = np.random.default_rng(seed)
    fan_in = layer.C * layer.R * layer.S
    if layer.kind is LayerKind.FC:
        x = rng.random((layer.N, layer.C))
        w = rng.standard_normal((layer.M, layer.C))
    else:
        x = rng.random((layer.N, layer.G * layer.C, layer.H, layer.W))
        w = rng.standard_normal((layer.M, layer.C, layer.R, layer.S))
    return x, w * np.sqrt(2.0 / fan_in)


def sample_layer(layer: Layer) -> Layer:
    """A crop of ``layer`` small enough to measure quickly, with the same per-output arithmetic."""
    groups = min(layer.G, MAX_GROUPS)
    cut = {"G": groups, "M": min(layer.M_per_group, MAX_FILTERS) * groups, "N": 1}
    if layer.kind is not LayerKind.FC:
        for axis, out in (("H", layer.E), ("W", layer.F)):
            keep = min(out, MAX_OUTPUT)
            cut[axis] = getattr(layer, axis) - (out - keep) * layer.U
    try:
        return replace(layer, **cut)
    except StationaryError:   # a trimmed (negative) pad that no longer fits: measure the whole layer
        return replace(layer, N=1)


def stats(out: np.ndarray, ref: np.ndarray, precision: Precision) -> ErrorStats:
    """Overflow (an infinite or undefined output, as float16 meets with large transforms) is an infinite error."""
    out = np.asarray(out, np.float64)
    err = np.where(np.isfinite(out), np.abs(out - ref), np.inf)
    top = float(np.abs(ref).max()) or 1.0
    return ErrorStats(precision, float(err.max()), float(err.mean()), float(err.max()) / top)


def measure(p, x: np.ndarray, w: np.ndarray, precisions=PRECISIONS) -> tuple[ErrorStats, ...]:
    """The error of plan ``p`` on ``(x, w)`` in each precision, against float64 direct."""
    from stationary.algo.plan import execute
    x, w = np.asarray(x, np.float64), np.asarray(w, np.float64)
    ref = direct(x, w, p.layer, Precision.FLOAT64)
    with np.errstate(over="ignore", invalid="ignore"):
        return tuple(stats(execute(p, x, w, Precision.parse(q)), ref, Precision.parse(q)) for q in precisions)


def describe(layer: Layer, data: str) -> str:
    """What an error was measured on, in one line."""
    shape = f"N={layer.N} M={layer.M} C={layer.C}" + (f" G={layer.G}" if layer.G > 1 else "")
    if layer.kind is not LayerKind.FC:
        shape += f" {layer.H}x{layer.W} -> {layer.E}x{layer.F}"
    return f"{data} ({shape})"
