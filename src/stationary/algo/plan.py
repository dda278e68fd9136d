"""One layer under one algorithm: whether it applies (and why not), its exact counts, the GEMMs it runs,
and its execution on real tensors.

>>> from stationary.workload import conv
>>> p = plan(conv("CONV3", 384, 256, 13, 3, pad=1), "winograd:2,3")
>>> p.applicable, str(p.gemms[0]), round(p.multiplication_saving, 2)  # 13 x 13 x 9 / (7 x 7 tiles x 16)
(True, '16 x 384x256 @ 256x49', 1.94)
>>> plan(conv("s2", 8, 8, 15, 3, stride=2, pad=1), "winograd:2,3").reason
'U = 2: Winograd needs stride 1'
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stationary.algo import fft as fft_
from stationary.algo import strassen as strassen_
from stationary.algo import winograd as winograd_
from stationary.algo.counts import (GemmShape, OpCounts, direct_counts, expansion, gemm_shape, im2col_counts,
                                    lowered_words, lowering_is_identity)
from stationary.algo.lowering import direct, im2col, lower, unlower, weight_matrix
from stationary.algo.numeric import Precision
from stationary.algo.spec import Algorithm, Method, parse_algorithm
from stationary.core import StationaryError
from stationary.workload.layer import Layer


@dataclass(frozen=True, slots=True)
class AlgoPlan:
    """``counts`` and ``gemms`` are None / empty where the algorithm does not apply (``reason`` says why)."""
    layer: Layer
    algorithm: Algorithm
    reason: str | None
    counts: OpCounts | None
    direct: OpCounts
    gemms: tuple[GemmShape, ...]
    detail: str = ""

    @property
    def applicable(self) -> bool:
        return self.reason is None

    @property
    def expansion(self) -> float | None:
        """Lowered input words / input words where the algorithm lowers (im2col, Strassen)."""
        if self.applicable and self.algorithm.method in (Method.IM2COL, Method.STRASSEN):
            return expansion(self.layer)
        return None

    @property
    def multiplication_saving(self) -> float | None:
        """Direct multiplications over the core stage's (the figure the talk quotes)."""
        return self.direct.multiplications / self.counts.multiplications if self.applicable else None

    @property
    def operation_saving(self) -> float | None:
        """Direct operations over all of this algorithm's, transforms included."""
        return self.direct.total_operations / self.counts.total_operations if self.applicable else None

    def check(self) -> "AlgoPlan":
        """This plan, or a StationaryError naming the layer, the field and the value when it cannot run."""
        if not self.applicable:
            raise StationaryError(f"{self.algorithm.label} does not apply: {self.reason}",
                                  where=f"layer {self.layer.name}", field="method", value=self.algorithm.spec)
        return self


def _strassen_gemm(g: GemmShape, depth: int, cutoff: int) -> GemmShape:
    used = strassen_.levels(g.m, g.k, g.n, depth, cutoff)
    m, k, n = g.m, g.k, g.n
    for _ in range(used):
        m, k, n = -(-m // 2), -(-k // 2), -(-n // 2)
    return GemmShape(m, n, k, g.count * 7 ** used)


def plan(layer: Layer, algorithm: "Algorithm | str") -> AlgoPlan:
    """The plan of ``algorithm`` (or its ``METHOD[:ARGS]`` string) on ``layer``."""
    a = parse_algorithm(algorithm)
    d = direct_counts(layer)
    if a.method is Method.DIRECT:
        return AlgoPlan(layer, a, None, d, d, (), "the convolution nest")
    if a.method is Method.IM2COL:
        g = gemm_shape(layer)
        note = "the input itself" if lowering_is_identity(layer) else f"{lowered_words(layer)} lowered words"
        return AlgoPlan(layer, a, None, im2col_counts(layer), d, (g,), f"{g} ({note})")
    if a.method is Method.WINOGRAD:
        reason = winograd_.why_not(layer, a.m, a.r)
        if reason:
            return AlgoPlan(layer, a, reason, None, d, ())
        th, tw = winograd_.tiles(layer, a.m)
        n = a.m + a.r - 1
        g = GemmShape(layer.M_per_group, layer.N * th * tw, layer.C, layer.G * n * n)
        return AlgoPlan(layer, a, None, winograd_.winograd_counts(layer, a.m, a.r), d, (g,),
                        f"{th}x{tw} tiles of {a.m}x{a.m}, {n}x{n} input tiles")
    if a.method is Method.FFT:
        reason = fft_.why_not(layer)
        if reason:
            return AlgoPlan(layer, a, reason, None, d, ())
        t = fft_.tiling(layer, a.gauss)
        bins, per = t.P * (t.Q // 2 + 1), 3 if a.gauss else 4
        g = GemmShape(layer.M_per_group, layer.N * t.tiles_h * t.tiles_w, layer.C, layer.G * bins * per)
        return AlgoPlan(layer, a, None, fft_.fft_counts(layer, a.gauss), d, (g,),
                        f"{t.tiles_h}x{t.tiles_w} tiles of {t.P}x{t.Q}, {bins} bins x {per} real GEMMs")
    g = gemm_shape(layer)
    reason = strassen_.why_not(g, a.depth)
    if reason:
        return AlgoPlan(layer, a, reason, None, d, ())
    one = strassen_.strassen_counts(g.m, g.k, g.n, a.depth, a.cutoff)
    lowered = im2col_counts(layer).extra_words
    counts = OpCounts(g.count * one.multiplications, g.count * one.additions, g.count * one.transform_multiplications,
                      g.count * one.transform_additions, g.count * one.extra_words + lowered)
    used = strassen_.levels(g.m, g.k, g.n, a.depth, a.cutoff)
    return AlgoPlan(layer, a, None, counts, d, (_strassen_gemm(g, a.depth, a.cutoff),),
                    f"{used} level(s) on {g}")


def execute(p: AlgoPlan, x: np.ndarray, w: np.ndarray, precision: Precision = Precision.FLOAT64) -> np.ndarray:
    """Run the plan on input ``x`` and weights ``w`` (shapes as :mod:`stationary.algo.lowering` says)."""
    p.check()
    layer, a = p.layer, p.algorithm
    if a.method is Method.DIRECT:
        return direct(x, w, layer, precision)
    if a.method is Method.IM2COL:
        return im2col(x, w, layer, precision)
    if a.method is Method.WINOGRAD:
        return winograd_.winograd(x, w, layer, a.m, a.r, precision)
    if a.method is Method.FFT:
        return fft_.fft_conv(x, w, layer, a.gauss, precision)
    q = precision.round
    out = strassen_.strassen_matmul(weight_matrix(q(w), layer), lower(q(x), layer), a.depth, a.cutoff, q)
    return unlower(out, layer, x.shape[0])
