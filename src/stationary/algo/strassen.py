"""Strassen's matrix product on the lowered GEMMs: ``depth`` levels of 2 x 2 block recursion, 7 block
products and 18 block additions per level (Strassen 1969), odd dimensions padded with a zero row/column.

Counts for an ``m x k`` by ``k x n`` product (exact, by recursion on the shape; ``h(x) = ceil(x / 2)``):
``mults(m, k, n, 0) = m k n``, ``adds(m, k, n, 0) = m n (k - 1)``;
``mults(m, k, n, d) = 7 mults(h(m), h(k), h(n), d - 1)``, the block sums adding
``5 h(m) h(k) + 5 h(k) h(n)`` (operands) ``+ 8 h(m) h(n)`` (results) per level. So on ``2^d``-divisible
shapes the products are ``7^d (m k n / 8^d)``. The block sums count as transform additions. A block whose
smallest side is below ``cutoff`` is multiplied classically. Extra words: the lowered matrix, and per level
the operand sums and the seven block products.

>>> c = strassen_counts(4, 4, 4, 1)
>>> c.multiplications, c.transform_additions, c.additions   # 7 x 8 products; 18 block sums of 2 x 2
(56, 72, 28)
"""
from __future__ import annotations

import numpy as np

from stationary.algo.counts import GemmShape, OpCounts


def _half(x: int) -> int:
    return -(-x // 2)


def levels(m: int, k: int, n: int, depth: int, cutoff: int = 1) -> int:
    """Levels actually recursed: at most ``depth``, none on a block with a side below ``max(cutoff, 2)``."""
    used = 0
    while used < depth and min(m, k, n) >= max(cutoff, 2):
        m, k, n, used = _half(m), _half(k), _half(n), used + 1
    return used


def why_not(gemm: GemmShape, depth: int) -> str | None:
    """Depth beyond the matrix: ``2^depth`` must not exceed the smallest GEMM dimension."""
    side = min(gemm.m, gemm.k, gemm.n)
    if depth and 2 ** depth > side:
        name = {gemm.m: "M", gemm.k: "K", gemm.n: "N"}[side]
        return f"depth = {depth}: {2 ** depth}-way splits need every GEMM side >= {2 ** depth}, {name} = {side}"
    return None


def strassen_counts(m: int, k: int, n: int, depth: int, cutoff: int = 1) -> OpCounts:
    """One product's counts (see the module docs)."""
    if levels(m, k, n, depth, cutoff) == 0:
        return OpCounts(m * k * n, m * n * (k - 1))
    hm, hk, hn = _half(m), _half(k), _half(n)
    sub = strassen_counts(hm, hk, hn, depth - 1, cutoff)
    sums = 5 * hm * hk + 5 * hk * hn + 8 * hm * hn
    return OpCounts(7 * sub.multiplications, 7 * sub.additions, 7 * sub.transform_multiplications,
                    7 * sub.transform_additions + sums,
                    extra_words=5 * hm * hk + 5 * hk * hn + 7 * hm * hn + sub.extra_words)


def strassen_matmul(a: np.ndarray, b: np.ndarray, depth: int, cutoff: int = 1, round_=lambda v: v) -> np.ndarray:
    """``a @ b`` over the last two axes (leading axes batched) by Strassen; ``round_`` after every stage."""
    m, k, n = a.shape[-2], a.shape[-1], b.shape[-1]
    if levels(m, k, n, depth, cutoff) == 0:
        return round_(np.matmul(a, b))
    hm, hk, hn = _half(m), _half(k), _half(n)
    a = _pad(a, 2 * hm, 2 * hk)
    b = _pad(b, 2 * hk, 2 * hn)
    a11, a12, a21, a22 = a[..., :hm, :hk], a[..., :hm, hk:], a[..., hm:, :hk], a[..., hm:, hk:]
    b11, b12, b21, b22 = b[..., :hk, :hn], b[..., :hk, hn:], b[..., hk:, :hn], b[..., hk:, hn:]
    r = round_

    def mul(x, y):
        return strassen_matmul(x, y, depth - 1, cutoff, round_)
    p1 = mul(r(a11 + a22), r(b11 + b22))
    p2 = mul(r(a21 + a22), b11)
    p3 = mul(a11, r(b12 - b22))
    p4 = mul(a22, r(b21 - b11))
    p5 = mul(r(a11 + a12), b22)
    p6 = mul(r(a21 - a11), r(b11 + b12))
    p7 = mul(r(a12 - a22), r(b21 + b22))
    c11 = r(r(r(p1 + p4) - p5) + p7)
    c12 = r(p3 + p5)
    c21 = r(p2 + p4)
    c22 = r(r(r(p1 - p2) + p3) + p6)
    top = np.concatenate([c11, c12], axis=-1)
    bottom = np.concatenate([c21, c22], axis=-1)
    return np.concatenate([top, bottom], axis=-2)[..., :m, :n]


def _pad(x: np.ndarray, rows: int, cols: int) -> np.ndarray:
    if x.shape[-2:] == (rows, cols):
        return x
    widths = [(0, 0)] * (x.ndim - 2) + [(0, rows - x.shape[-2]), (0, cols - x.shape[-1])]
    return np.pad(x, widths)
