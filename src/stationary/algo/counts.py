"""Operation counts of a layer under an algorithm, and the GEMMs it runs, by exact arithmetic on the shape.

Multiplications and additions are split between the *core* stage (the multiplications that remain: the
direct nest, the GEMM, Winograd's elementwise products, FFT's spectral products, Strassen's 7^d block
products) and the *transforms* (im2col copies nothing counted; Winograd's and FFT's input, filter and
inverse transforms; Strassen's block sums). A subtraction counts as an addition. ``extra_words`` is storage
beyond the direct convolution's input, weights and output (the lowered matrix, transformed tiles and filters).

>>> from stationary.workload import conv
>>> d = direct_counts(conv("c", 2, 3, 4, 3))            # E = F = 2: 2 x 2 x 2 outputs, 27 products each
>>> d.multiplications, d.additions, d.total_operations
(216, 208, 424)
"""
from __future__ import annotations

from dataclasses import dataclass

from stationary.core import StationaryError
from stationary.workload.layer import Layer, LayerKind


@dataclass(frozen=True, slots=True)
class OpCounts:
    multiplications: int
    additions: int
    transform_multiplications: int = 0
    transform_additions: int = 0
    extra_words: int = 0

    def __post_init__(self):
        for name in ("multiplications", "additions", "transform_multiplications", "transform_additions",
                     "extra_words"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise StationaryError("operation counts are non-negative integers", field=name, value=value)

    @property
    def transform_ops(self) -> int:
        return self.transform_multiplications + self.transform_additions

    @property
    def total_multiplications(self) -> int:
        return self.multiplications + self.transform_multiplications

    @property
    def total_additions(self) -> int:
        return self.additions + self.transform_additions

    @property
    def total_operations(self) -> int:
        return self.total_multiplications + self.total_additions

    def __add__(self, other: "OpCounts") -> "OpCounts":
        return OpCounts(*(getattr(self, f) + getattr(other, f) for f in OpCounts.__slots__))


ZERO = OpCounts(0, 0)


@dataclass(frozen=True, slots=True)
class GemmShape:
    """``count`` independent products of an ``m x k`` by a ``k x n`` matrix (BLAS's M, N, K)."""
    m: int
    n: int
    k: int
    count: int = 1

    @property
    def multiplications(self) -> int:
        return self.count * self.m * self.n * self.k

    @property
    def flops(self) -> int:
        """2 m n k per product (a multiply and an add per term, the BLAS convention)."""
        return 2 * self.multiplications

    def __str__(self) -> str:
        batch = f"{self.count} x " if self.count > 1 else ""
        return f"{batch}{self.m}x{self.k} @ {self.k}x{self.n}"


def direct_counts(layer: Layer) -> OpCounts:
    """The nest as written: one product per MAC, ``C R S - 1`` additions per output."""
    per_output = layer.C * layer.R * layer.S
    return OpCounts(layer.macs, layer.ofmap_words * (per_output - 1))


def gemm_shape(layer: Layer) -> GemmShape:
    """The Toeplitz lowering's GEMM: per group, (M/G) filters x (C R S) by (C R S) x (N E F) columns."""
    if layer.kind is LayerKind.FC:
        return GemmShape(layer.M, layer.N, layer.C)
    return GemmShape(layer.M_per_group, layer.N * layer.E * layer.F, layer.C * layer.R * layer.S, layer.G)


def lowered_words(layer: Layer) -> int:
    """Words of the lowered input matrix (every group's K x N)."""
    g = gemm_shape(layer)
    return g.count * g.k * g.n


def lowering_is_identity(layer: Layer) -> bool:
    """Whether the lowered matrix is the input itself (FC, and 1x1 stride-1 unpadded convolutions)."""
    if layer.kind is LayerKind.FC:
        return True
    return (layer.R == layer.S == layer.U == 1 and layer.pad_h == layer.pad_w == 0)


def expansion(layer: Layer) -> float:
    """Lowered input words over input words: the Toeplitz matrix's redundancy (the talk's "data is repeated")."""
    return lowered_words(layer) / layer.ifmap_words


def im2col_counts(layer: Layer) -> OpCounts:
    """The same products and sums as direct; the lowered matrix is the extra storage (none when it is the input)."""
    d = direct_counts(layer)
    extra = 0 if lowering_is_identity(layer) else lowered_words(layer)
    return OpCounts(d.multiplications, d.additions, extra_words=extra)


def matvec_cost(matrix) -> tuple[int, int]:
    """(multiplications, additions) of a constant matrix times a vector, entry by entry: an entry other
    than 0 and +-1 is a multiplication, and each row sums its non-zero terms.

    >>> matvec_cost([[1, 0, -1, 0], [0, 1, 1, 0], [0, 2, 1, 0]])
    (1, 3)
    """
    mults = adds = 0
    for row in matrix:
        nonzero = [v for v in row if v != 0]
        mults += sum(1 for v in nonzero if v not in (1, -1))
        adds += max(len(nonzero) - 1, 0)
    return mults, adds
