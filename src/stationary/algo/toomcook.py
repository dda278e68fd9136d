"""Winograd's minimal filtering transforms F(m, r), generated exactly (rational arithmetic) by Toom-Cook.

The linear convolution ``s = g * h`` of an ``r``-tap ``g`` and an ``m``-tap ``h`` has ``n = m + r - 1``
coefficients, so it is fixed by its values at ``n - 1`` finite points and at infinity (its leading
coefficient): ``s = V^-1 [(A_g g) . (A_h h)]`` with ``A_g``, ``A_h`` the evaluation matrices and ``V`` the
``n x n`` one. Correlation ``y_i = sum_k d_(i+k) g_k`` is that convolution's transpose, hence
``y = A_h^T [(A_g g) . (V^-T d)]``, i.e. ``A^T = A_h^T``, ``G = A_g``, ``B^T = V^-T``. Each row of ``B^T`` is
then scaled to coprime integers, its scale moved into the matching row of ``G`` (the fractions sit in the
filter transform, which runs once per weight). With points 0, 1, -1 this is Lavin & Gray's F(2, 3).

>>> t = transforms(2, 3)
>>> text(t.AT), text(t.BT)
('1 1 1 0; 0 1 -1 1', '1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 -1 0 1')
>>> text(t.G)
'1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1'
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from stationary.core import StationaryError

Matrix = tuple[tuple[Fraction, ...], ...]


def default_points(count: int) -> tuple[Fraction, ...]:
    """The usual small points: 0, 1, -1, 2, -2, 1/2, -1/2, 3, -3, 1/3, -1/3, 4, ... (``count`` of them)."""
    points, k = [Fraction(0)], 1
    while len(points) < count:
        for p in (Fraction(k), Fraction(-k), Fraction(1, k), Fraction(-1, k)):
            if p not in points:
                points.append(p)
        k += 1
    return tuple(points[:count])


@dataclass(frozen=True, slots=True)
class Transforms:
    """``Y = A^T [(G g G^T) . (B^T d B)] A`` for an ``n x n`` input tile ``d`` and an ``r x r`` filter ``g``."""
    m: int
    r: int
    points: tuple[Fraction, ...]
    AT: Matrix   # m x n
    G: Matrix    # n x r
    BT: Matrix   # n x n

    @property
    def n(self) -> int:
        return self.m + self.r - 1


def _evaluation(points, columns: int) -> list[list[Fraction]]:
    rows = [[p ** j for j in range(columns)] for p in points]
    return rows + [[Fraction(int(j == columns - 1)) for j in range(columns)]]   # the point at infinity


def _inverse(a: list[list[Fraction]]) -> list[list[Fraction]]:
    n = len(a)
    aug = [row[:] + [Fraction(int(i == j)) for j in range(n)] for i, row in enumerate(a)]
    for col in range(n):
        pivot = next(i for i in range(col, n) if aug[i][col] != 0)
        aug[col], aug[pivot] = aug[pivot], aug[col]
        lead = aug[col][col]
        aug[col] = [v / lead for v in aug[col]]
        for i in range(n):
            if i != col and aug[i][col] != 0:
                f = aug[i][col]
                aug[i] = [v - f * p for v, p in zip(aug[i], aug[col])]
    return [row[n:] for row in aug]


def _integer_scale(row: list[Fraction]) -> Fraction:
    """The positive rational s with ``row / s`` coprime integers."""
    den = math.lcm(*(v.denominator for v in row))
    num = math.gcd(*(int(v * den) for v in row))
    return Fraction(num, den)


def _exact(values) -> Matrix:
    return tuple(tuple(Fraction(v) for v in row) for row in values)


def text(matrix: Matrix) -> str:
    """Rows separated by '; ', entries as exact fractions."""
    return "; ".join(" ".join(str(v) for v in row) for row in matrix)


@lru_cache(maxsize=64)
def transforms(m: int, r: int, points: tuple[Fraction, ...] | None = None) -> Transforms:
    """F(m, r)'s matrices from ``m + r - 2`` distinct finite ``points`` (default :func:`default_points`)."""
    for name, value in (("m", m), ("r", r)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise StationaryError("must be a positive integer", field=name, value=value)
    n = m + r - 1
    pts = default_points(n - 1) if points is None else tuple(Fraction(p) for p in points)
    if len(pts) != n - 1 or len(set(pts)) != len(pts):
        raise StationaryError(f"F({m}, {r}) needs {n - 1} distinct finite points", field="points", value=points)
    a_g, a_h = _evaluation(pts, r), _evaluation(pts, m)
    bt = [list(col) for col in zip(*_inverse(_evaluation(pts, n)))]   # V^-T
    g = [row[:] for row in a_g]
    for i, row in enumerate(bt):
        s = _integer_scale(row)
        bt[i] = [v / s for v in row]
        g[i] = [v * s for v in g[i]]
    at = [list(col) for col in zip(*a_h)]
    return Transforms(m, r, pts, _exact(at), _exact(g), _exact(bt))


def as_float(matrix: Matrix):
    """The matrix as a float64 numpy array."""
    import numpy as np
    return np.array([[float(v) for v in row] for row in matrix])
