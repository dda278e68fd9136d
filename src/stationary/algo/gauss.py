"""Gauss's complex multiplication with three real products (the talk's analogy), on scalars and on matrices.

The talk's slide: ``(a + bi)(c + di)`` with ``k1 = c (a + b)``, ``k2 = a (d - c)``, ``k3 = b (c + d)``,
real part ``k1 - k3``, imaginary part ``k1 + k2``: 3 multiplications and 5 additions instead of 4 and 2
(the slide counts the schoolbook form's additions as 3). On matrices (the "3M method") the same identities
turn one complex GEMM into three real ones: FFT convolution's spectral products use it.

>>> gauss_product(np.array([1 + 2j]), np.array([3 - 1j]))
array([5.+5.j])
>>> product_counts(gauss=True), product_counts(gauss=False)
((3, 5), (4, 2))
"""
from __future__ import annotations

import numpy as np


def product_counts(gauss: bool = True) -> tuple[int, int]:
    """(real multiplications, real additions) of one complex product."""
    return (3, 5) if gauss else (4, 2)


def gauss_product(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Elementwise complex product by the slide's three real multiplications."""
    a, b, c, d = x.real, x.imag, y.real, y.imag
    k1, k2, k3 = c * (a + b), a * (d - c), b * (c + d)
    return (k1 - k3) + 1j * (k1 + k2)


def matmul_counts(m: int, k: int, n: int, gauss: bool = True) -> tuple[int, int]:
    """(real multiplications, real additions) of an ``m x k`` by ``k x n`` complex matrix product."""
    sums = m * n * (k - 1)
    if gauss:
        return 3 * m * k * n, 3 * sums + m * k + 2 * k * n + 2 * m * n
    return 4 * m * k * n, 4 * sums + 2 * m * n


def complex_matmul(ar, ai, br, bi, *, gauss: bool = True, round_=lambda v: v):
    """``(ar + i ai) @ (br + i bi)`` as (real, imaginary) by three (3M) or four real GEMMs; ``round_`` is
    applied to every stage's output (operand sums, products, results).

    >>> a, b = np.array([[1.0, 2.0]]), np.array([[3.0], [4.0]])
    >>> complex_matmul(a, -a, b, 2 * b)
    (array([[33.]]), array([[11.]]))
    """
    r = round_
    if gauss:
        k1 = r(np.matmul(r(ar + ai), br))
        k2 = r(np.matmul(ar, r(bi - br)))
        k3 = r(np.matmul(ai, r(br + bi)))
        return r(k1 - k3), r(k1 + k2)
    return (r(r(np.matmul(ar, br)) - r(np.matmul(ai, bi))), r(r(np.matmul(ai, br)) + r(np.matmul(ar, bi))))
