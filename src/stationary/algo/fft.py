"""FFT convolution: tiles of the input (overlap-save) and the filters transformed by real 2-D FFTs, one
complex GEMM per frequency bin and group (by Gauss's 3M product unless asked for 4M), inverse FFTs.

A ``P x Q`` tile (powers of two, at least the dilated filter) yields ``(P - R' + 1) x (Q - S' + 1)`` valid
outputs (``R' = d (R - 1) + 1``); neighbouring input tiles overlap by ``R' - 1``. The tile size is the one
with the fewest operations, from the smallest power of two that holds the filter to the whole padded input
(one tile). A strided layer computes every stride-1 output and keeps every U-th (the cost shows in the counts).

Counting model (stated, exact under it): a complex radix-2 FFT of ``N = 2^k`` points takes ``N k / 2``
butterflies of one complex multiplication (4 real multiplications, 2 additions) and two complex additions:
``2 N k`` multiplications and ``3 N k`` additions (no trivial twiddle is skipped: an upper bound). A real
FFT of ``N`` points is a complex one of ``N / 2`` points plus ``N / 2`` split butterflies:
``N (k + 1)`` multiplications and ``3 N (k + 1) / 2`` additions. A ``P x Q`` real 2-D FFT is ``P`` real
row FFTs and ``Q / 2 + 1`` complex column FFTs; the inverse costs the same. Extra words: transformed
filters, tiles and product spectra, two real words per complex value.

>>> real_fft_counts(8), complex_fft_counts(8)
((32, 48), (48, 72))
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stationary.algo.counts import OpCounts
from stationary.algo.gauss import complex_matmul, matmul_counts
from stationary.algo.lowering import as_input
from stationary.algo.numeric import Precision
from stationary.core import StationaryError
from stationary.infer.forward import pad_input
from stationary.workload.layer import Layer, LayerKind


def _log2(n: int) -> int:
    k = n.bit_length() - 1
    if n < 1 or 1 << k != n:
        raise StationaryError("FFT sizes here are powers of two", field="N", value=n)
    return k


def complex_fft_counts(n: int) -> tuple[int, int]:
    k = _log2(n)
    return 2 * n * k, 3 * n * k


def real_fft_counts(n: int) -> tuple[int, int]:
    k = _log2(n)
    return (0, 0) if n == 1 else (n * (k + 1), 3 * n * (k + 1) // 2)


def fft2_counts(p: int, q: int) -> tuple[int, int]:
    """A real ``p x q`` 2-D FFT (or its inverse): ``p`` real row FFTs, ``q/2 + 1`` complex column FFTs."""
    rm, ra = real_fft_counts(q)
    cm, ca = complex_fft_counts(p)
    return p * rm + (q // 2 + 1) * cm, p * ra + (q // 2 + 1) * ca


@dataclass(frozen=True, slots=True)
class FftTiling:
    P: int
    Q: int
    tiles_h: int
    tiles_w: int

    def valid(self, layer: Layer) -> tuple[int, int]:
        return self.P - _span(layer.R, layer.dilation) + 1, self.Q - _span(layer.S, layer.dilation) + 1


def _span(f: int, d: int) -> int:
    return d * (f - 1) + 1


def why_not(layer: Layer) -> str | None:
    if layer.kind is not LayerKind.CONV:
        return f"kind = {layer.kind.value}: no sliding window (FFT convolution needs a convolution)"
    return None


def _candidates(span: int, extent: int) -> list[int]:
    p, top = max(2, 1 << (span - 1).bit_length()), max(2, 1 << (extent - 1).bit_length())
    out = []
    while p <= top:
        out.append(p)
        p *= 2
    return out


def _counts(layer: Layer, t: FftTiling, gauss: bool) -> OpCounts:
    T = layer.N * t.tiles_h * t.tiles_w
    g, mg, c = layer.G, layer.M_per_group, layer.C
    bins = t.P * (t.Q // 2 + 1)
    fm, fa = fft2_counts(t.P, t.Q)
    transforms = g * c * T + layer.M * c + layer.M * T            # input tiles, filters, inverse
    pm, pa = matmul_counts(mg, c, T, gauss)
    return OpCounts(g * bins * pm, g * bins * pa, transforms * fm, transforms * fa,
                    extra_words=2 * bins * (layer.M * c + g * c * T + layer.M * T))


def tiling(layer: Layer, gauss: bool = True) -> FftTiling:
    """The tile size with the fewest operations (ties: the larger tile)."""
    rs, ss = _span(layer.R, layer.dilation), _span(layer.S, layer.dilation)
    e1, f1 = layer.H_padded - rs + 1, layer.W_padded - ss + 1
    best = None
    for p in _candidates(rs, layer.H_padded):
        for q in _candidates(ss, layer.W_padded):
            t = FftTiling(p, q, -(-e1 // (p - rs + 1)), -(-f1 // (q - ss + 1)))
            key = (_counts(layer, t, gauss).total_operations, -p * q)
            if best is None or key < best[0]:
                best = (key, t)
    return best[1]


def fft_counts(layer: Layer, gauss: bool = True) -> OpCounts:
    return _counts(layer, tiling(layer, gauss), gauss)


def fft_conv(x: np.ndarray, w: np.ndarray, layer: Layer, gauss: bool = True,
             precision: Precision = Precision.FLOAT64) -> np.ndarray:
    """Execute FFT convolution (scipy.fft) on ``layer``; output ``N x M x E x F``."""
    try:
        import scipy.fft as sfft
    except ImportError:
        raise StationaryError("FFT convolution needs scipy (pip install 'stationary[algo]')", field="method",
                              value="fft") from None
    q, dt = precision.round, precision.compute_dtype
    t = tiling(layer, gauss)
    vp, vq = t.valid(layer)
    rs, ss, d = _span(layer.R, layer.dilation), _span(layer.S, layer.dilation), layer.dilation
    xp = pad_input(as_input(q(x), layer), layer)[:, :, :layer.H_padded, :layer.W_padded]
    xp = np.pad(xp, ((0, 0), (0, 0), (0, t.tiles_h * vp + rs - 1 - xp.shape[2]),
                     (0, t.tiles_w * vq + ss - 1 - xp.shape[3])))
    tiles_ = np.lib.stride_tricks.sliding_window_view(xp, (t.P, t.Q), axis=(2, 3))[:, :, ::vp, ::vq]
    nb, g, c, mg, qh = x.shape[0], layer.G, layer.C, layer.M_per_group, t.Q // 2 + 1
    spec = sfft.rfft2(tiles_.astype(dt))                                 # N GC th tw P qh
    xr, xi = q(spec.real), q(spec.imag)
    wd = np.zeros((layer.M, c, t.P, t.Q), dt)
    wd[:, :, :rs:d, :ss:d] = q(w)
    wspec = sfft.rfft2(wd)
    wr, wi = q(wspec.real), q(-wspec.imag)                               # conj: correlation, not convolution

    def by_bin(a):   # N G C th tw P qh -> G, bins, C, tiles (contiguous: BLAS, not numpy's strided loop)
        return np.ascontiguousarray(a.reshape(nb, g, c, t.tiles_h * t.tiles_w, t.P * qh).transpose(1, 4, 2, 0, 3)
                                    ).reshape(g, t.P * qh, c, nb * t.tiles_h * t.tiles_w)

    def filt(a):     # M C P qh -> G, bins, M/G, C
        return np.ascontiguousarray(a.reshape(g, mg, c, t.P * qh).transpose(0, 3, 1, 2))

    yr, yi = complex_matmul(filt(wr), filt(wi), by_bin(xr), by_bin(xi), gauss=gauss, round_=q)
    y = (yr + 1j * yi).reshape(g, t.P, qh, mg, nb, t.tiles_h, t.tiles_w).transpose(4, 0, 3, 5, 6, 1, 2)
    out = q(sfft.irfft2(y, s=(t.P, t.Q)))[..., :vp, :vq]                # N G M/G th tw vp vq
    out = out.transpose(0, 1, 2, 3, 5, 4, 6).reshape(nb, layer.M, t.tiles_h * vp, t.tiles_w * vq)
    return out[:, :, :(layer.E - 1) * layer.U + 1:layer.U, :(layer.F - 1) * layer.U + 1:layer.U]
