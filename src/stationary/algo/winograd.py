"""Winograd F(m x m, r x r) convolution (Lavin & Gray, CVPR 2016): tiles, transforms, batched GEMMs.

The output is cut into ``m x m`` tiles (``ceil(E/m) x ceil(F/m)`` per image; the last row and column of
tiles reach past the output into zero padding and are cropped). Each tile reads an ``n x n`` input tile,
``n = m + r - 1``, overlapping its neighbours by ``r - 1``. Per group and per transform-domain position the
elementwise stage is a GEMM ``(M/G) x C`` by ``C x tiles``: ``n^2`` products per tile per channel pair.

Counts (exact, from the shape and the transform matrices, see :func:`counts.matvec_cost`):

* core: ``G (M/G) C T n^2`` multiplications, ``G (M/G) (C-1) T n^2`` additions (T tiles over the batch);
* input transform ``B^T d B``: ``2 n`` matrix-vector products by ``B^T`` per tile per input channel;
* filter transform ``G g G^T``: ``r + n`` products by ``G`` per filter per channel (once per weight set);
* inverse ``A^T Y A``: ``n + m`` products by ``A^T`` per tile per filter;
* extra words: transformed filters ``M C n^2``, tiles ``G C T n^2`` and products ``M T n^2``.

>>> from stationary.workload import conv
>>> c = winograd_counts(conv("c", 64, 64, 56, 3, pad=1), 2, 3)
>>> conv("c", 64, 64, 56, 3, pad=1).macs / c.multiplications     # the talk's 2.25x
2.25
"""
from __future__ import annotations

import numpy as np

from stationary.algo.counts import OpCounts, matvec_cost
from stationary.algo.lowering import as_input
from stationary.algo.numeric import Precision
from stationary.algo.toomcook import as_float, transforms
from stationary.infer.forward import pad_input
from stationary.workload.layer import Layer, LayerKind


def why_not(layer: Layer, m: int, r: int) -> str | None:
    """Why F(m x m, r x r) cannot run ``layer`` (None when it can): the field and its value."""
    if layer.kind is not LayerKind.CONV:
        return f"kind = {layer.kind.value}: no sliding window (Winograd needs a convolution)"
    if layer.U != 1:
        return f"U = {layer.U}: Winograd needs stride 1"
    if layer.dilation != 1:
        return f"dilation = {layer.dilation}: Winograd needs dilation 1"
    if (layer.R, layer.S) != (r, r):
        return f"R x S = {layer.R}x{layer.S}: the transform is for {r}x{r} filters"
    if m > min(layer.E, layer.F):
        return f"E x F = {layer.E}x{layer.F}: the {m}x{m} output tile is larger than the output"
    return None


def sandwich(left: np.ndarray, x: np.ndarray, right: np.ndarray) -> np.ndarray:
    """``left @ x @ right^T`` over the last two axes of ``x``, as two large GEMMs (tensordot) rather than
    many tiny ones."""
    y = np.tensordot(x, right, axes=([-1], [1]))              # x right^T
    return np.swapaxes(np.tensordot(y, left, axes=([-2], [1])), -1, -2)


def tiles(layer: Layer, m: int) -> tuple[int, int]:
    """Output tiles per image along E and F."""
    return -(-layer.E // m), -(-layer.F // m)


def winograd_counts(layer: Layer, m: int, r: int) -> OpCounts:
    t = transforms(m, r)
    n = t.n
    th, tw = tiles(layer, m)
    T = layer.N * th * tw
    g, mg, c = layer.G, layer.M_per_group, layer.C
    bm, ba = matvec_cost(t.BT)
    gm, ga = matvec_cost(t.G)
    am, aa = matvec_cost(t.AT)
    data, filt, inv = g * c * T * 2 * n, layer.M * c * (r + n), layer.M * T * (n + m)
    return OpCounts(
        multiplications=g * mg * c * T * n * n,
        additions=g * mg * (c - 1) * T * n * n,
        transform_multiplications=data * bm + filt * gm + inv * am,
        transform_additions=data * ba + filt * ga + inv * aa,
        extra_words=(layer.M * c + g * c * T + layer.M * T) * n * n)


def winograd(x: np.ndarray, w: np.ndarray, layer: Layer, m: int, r: int,
             precision: Precision = Precision.FLOAT64) -> np.ndarray:
    """Execute F(m x m, r x r) on ``layer`` (check :func:`why_not` first); output ``N x M x E x F``."""
    q, dt = precision.round, precision.compute_dtype
    t = transforms(m, r)
    n = t.n
    at, gt, bt = (as_float(a).astype(dt) for a in (t.AT, t.G, t.BT))
    th, tw = tiles(layer, m)
    xp = pad_input(as_input(q(x), layer), layer)
    xp = np.pad(xp, ((0, 0), (0, 0), (0, th * m + r - 1 - xp.shape[2]), (0, tw * m + r - 1 - xp.shape[3])))
    d = np.lib.stride_tricks.sliding_window_view(xp, (n, n), axis=(2, 3))[:, :, ::m, ::m]   # N GC th tw n n
    nb, g, c, mg = x.shape[0], layer.G, layer.C, layer.M_per_group
    v = q(sandwich(bt, d, bt))                                                      # B^T d B per tile
    v = np.ascontiguousarray(v.reshape(nb, g, c, th * tw, n * n).transpose(1, 4, 2, 0, 3)).reshape(
        g, n * n, c, nb * th * tw)
    u = q(sandwich(gt, q(w).astype(dt), gt))                                        # G g G^T per filter
    u = np.ascontiguousarray(u.reshape(g, mg, c, n * n).transpose(0, 3, 1, 2))     # G, n^2, M/G, C
    prod = q(np.matmul(u, v))                                            # G, n^2, M/G, tiles: batched GEMMs
    prod = prod.reshape(g, n, n, mg, nb, th, tw).transpose(4, 0, 3, 5, 6, 1, 2)    # N G M/G th tw n n
    y = q(sandwich(at, prod, at))                                                   # A^T Y A per tile
    y = y.transpose(0, 1, 2, 3, 5, 4, 6).reshape(nb, layer.M, th * m, tw * m)
    return y[:, :, :layer.E, :layer.F]
