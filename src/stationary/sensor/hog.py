"""HOG (histogram of oriented gradients) as a chip computes it: parameters, the descriptor's geometry for a frame,
and exact operation and memory-access counts per frame, by arithmetic on the parameters alone.

The algorithm is Dalal & Triggs (CVPR 2005) as scikit-image implements it (``skimage.feature.hog``): centred
differences ``[-1, 0, 1]`` for the gradients, a hard vote of each pixel's magnitude into one orientation bin of its
cell (no interpolation), blocks of ``block_cells`` x ``block_cells`` cells every ``block_stride_cells`` cells, each
block normalized on its own. Pixels past the last whole cell are ignored, as scikit-image does.

The counts describe a streaming datapath (raster order, one pixel per cycle), the way an object-detection chip
or an imager with HOG inside computes it:

* gradients: 2 subtractions per pixel (``gx``, ``gy``) at ``gradient_bits``;
* magnitude: 2 squares, 1 add, 1 square root per pixel;
* orientation: no arctangent. The gradient is folded into the upper half plane (2 conditional negations; the
  sign of ``gy`` is a wire and picks the half for signed bins), then a binary search over the bin boundaries
  inside the half plane: ``ceil(log2(bins per half plane))`` tests, each the sign of ``gy cos t - gx sin t``
  (2 multiplications by constants of ``coefficient_bits`` and 1 subtraction);
* histogram vote: 1 add per pixel into its cell's bin (a read-modify-write of the cell-row histogram buffer);
* block normalization, per block of ``n = block_cells**2 * orientations`` values: L1 sums ``n`` values (the
  last add is the epsilon), takes 1 reciprocal and scales ``n`` values by it; L2 squares ``n``, sums ``n``,
  1 square root, 1 reciprocal, ``n`` scalings; L1-sqrt adds ``n`` square roots to L1; L2-Hys adds ``n``
  clipping compares and a second L2 pass at ``feature_bits``.

Memory: two line buffers of the frame width (the rows above and below the current one for ``gy``: 1 write and
2 reads per pixel), a cell-row histogram buffer (1 read and 1 write per pixel vote), and a block buffer of
``block_cells`` rows of finished cell histograms (each finished cell written once, each block reads its cells).

>>> p = HogParams(cell_px=8, block_cells=2, orientations=9)
>>> g = p.geometry(1080, 1920)
>>> g.cells, g.blocks, g.feature_words          # 135 x 240 cells, 134 x 239 blocks of 36 values
(32400, 32026, 1152936)
>>> p.ops(1080, 1920).per_pixel(Stage.GRADIENT)   # gx and gy
2.0
"""
from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from stationary.core import StationaryError
from stationary.sensor.counts import Access, Buffer, HogCounts, OpCount, OpKind, Stage
from stationary.validation import check_int

__all__ = ["Access", "Buffer", "HogCounts", "HogGeometry", "HogParams", "Normalization", "OpCount", "OpKind", "Stage"]


class Normalization(enum.Enum):
    """Block normalization, named as scikit-image names it."""
    NONE = "none"
    L1 = "L1"
    L1_SQRT = "L1-sqrt"
    L2 = "L2"
    L2_HYS = "L2-Hys"

    @classmethod
    def parse(cls, text: "str | Normalization") -> "Normalization":
        if isinstance(text, cls):
            return text
        for norm in cls:
            if str(text).strip().lower() == norm.value.lower():
                return norm
        raise StationaryError(f"unknown block normalization (expected one of {', '.join(n.value for n in cls)})",
                              field="norm", value=text)


@dataclass(frozen=True, slots=True)
class HogGeometry:
    """The descriptor's shape for a ``height`` x ``width`` frame."""
    params: "HogParams"
    height: int
    width: int
    cells_y: int
    cells_x: int
    blocks_y: int
    blocks_x: int

    @property
    def cells(self) -> int:
        return self.cells_y * self.cells_x

    @property
    def blocks(self) -> int:
        return self.blocks_y * self.blocks_x

    @property
    def covered_pixels(self) -> int:
        return self.cells * self.params.cell_px ** 2

    @property
    def values_per_block(self) -> int:
        return self.params.block_cells ** 2 * self.params.orientations

    @property
    def feature_words(self) -> int:
        return self.blocks * self.values_per_block

    @property
    def feature_bits(self) -> int:
        return self.feature_words * self.params.feature_bits

    @property
    def pixel_bits(self) -> int:
        """The raw frame's size in bits (every pixel at ``pixel_bits``)."""
        return self.height * self.width * self.params.pixel_bits


def _int(value, field: str, low: int, high: int, where: str = "HOG parameters") -> int:
    return check_int(value, field, low=low, high=high, where=where)


def _clog2(n: int) -> int:
    return max(0, math.ceil(math.log2(n)))


@dataclass(frozen=True, slots=True)
class HogParams:
    """HOG's parameters and the fixed-point widths of its datapath.

    The default widths are the smallest that cannot overflow for 8-bit pixels: a centred difference of two
    8-bit pixels needs 9 signed bits, its magnitude (at most sqrt(2) x 255) 9 unsigned bits, a cell of 64 such
    votes 9 + 6 = 15 bits. ``coefficient_bits`` is the width of the sin/cos constants of the bin boundaries,
    ``feature_bits`` the width of a normalized feature.

    >>> HogParams(block_stride_cells=3)
    Traceback (most recent call last):
    ...
    stationary.core.StationaryError: HOG parameters: field 'block_stride_cells' = 3: must be a positive integer (at most 2)
    """
    cell_px: int = 8
    block_cells: int = 2
    block_stride_cells: int = 1
    orientations: int = 9
    signed: bool = False
    norm: Normalization = Normalization.L2_HYS
    pixel_bits: int = 8
    gradient_bits: int = 9
    magnitude_bits: int = 9
    histogram_bits: int = 15
    coefficient_bits: int = 8
    feature_bits: int = 8

    def __post_init__(self):
        object.__setattr__(self, "norm", Normalization.parse(self.norm))
        _int(self.cell_px, "cell_px", 1, 1024)
        _int(self.block_cells, "block_cells", 1, 64)
        _int(self.block_stride_cells, "block_stride_cells", 1, self.block_cells)
        _int(self.orientations, "orientations", 2, 360)
        if not isinstance(self.signed, bool):
            raise StationaryError("must be true or false", where="HOG parameters", field="signed", value=self.signed)
        if self.signed and self.orientations % 2:
            raise StationaryError("signed gradients need an even number of bins (half in each half plane)",
                                  where="HOG parameters", field="orientations", value=self.orientations)
        _int(self.pixel_bits, "pixel_bits", 1, 32)
        _int(self.gradient_bits, "gradient_bits", self.pixel_bits + 1, 64)
        _int(self.magnitude_bits, "magnitude_bits", self.gradient_bits, 64)
        _int(self.histogram_bits, "histogram_bits", self.magnitude_bits + _clog2(self.cell_px ** 2), 64)
        _int(self.coefficient_bits, "coefficient_bits", 2, 32)
        _int(self.feature_bits, "feature_bits", 1, 32)

    @property
    def bins_per_half_plane(self) -> int:
        return self.orientations // 2 if self.signed else self.orientations

    def geometry(self, height: int, width: int) -> HogGeometry:
        """Cells and blocks of a ``height`` x ``width`` frame; an error if not even one block fits."""
        _int(height, "height", 1, 1 << 20, "HOG on an image")
        _int(width, "width", 1, 1 << 20, "HOG on an image")
        need = self.cell_px * self.block_cells
        for field, size in (("height", height), ("width", width)):
            if size < need:
                raise StationaryError(f"a block of {self.block_cells} x {self.block_cells} cells of {self.cell_px} px "
                                      f"needs at least {need} px (cell_px x block_cells)",
                                      where="HOG on an image", field=field, value=size)
        cy, cx = height // self.cell_px, width // self.cell_px
        by, bx = ((c - self.block_cells) // self.block_stride_cells + 1 for c in (cy, cx))
        return HogGeometry(self, height, width, cy, cx, by, bx)

    def ops(self, height: int, width: int) -> HogCounts:
        """Every operation and buffer access for one ``height`` x ``width`` frame (see the module docs)."""
        g = self.geometry(height, width)
        p, n, grad = g.covered_pixels, g.values_per_block, self.gradient_bits
        tests = _clog2(self.bins_per_half_plane)
        ops = [OpCount(Stage.GRADIENT, OpKind.ADD, grad, 2 * p),
               OpCount(Stage.MAGNITUDE, OpKind.MULT, grad, 2 * p, grad),
               OpCount(Stage.MAGNITUDE, OpKind.ADD, 2 * grad, p),
               OpCount(Stage.MAGNITUDE, OpKind.SQRT, 2 * grad, p),
               OpCount(Stage.ORIENTATION, OpKind.ADD, grad, 2 * p),
               OpCount(Stage.ORIENTATION, OpKind.MULT, grad, 2 * tests * p, self.coefficient_bits),
               OpCount(Stage.ORIENTATION, OpKind.ADD, grad + self.coefficient_bits, tests * p),
               OpCount(Stage.VOTE, OpKind.ADD, self.histogram_bits, p)]
        ops += _normalization_ops(self, n, g.blocks)
        return HogCounts(p, tuple(op for op in ops if op.count), _accesses(self, g))


def _normalization_ops(p: HogParams, n: int, blocks: int) -> list[OpCount]:
    norm, h, f = p.norm, p.histogram_bits, p.feature_bits
    if norm is Normalization.NONE:
        return []
    ops = []

    def add(kind, bits, per_block, other=0):
        ops.append(OpCount(Stage.NORMALIZATION, kind, bits, per_block * blocks, other))

    def l2(bits):
        add(OpKind.MULT, bits, n, bits)
        add(OpKind.ADD, 2 * bits + _clog2(n), n)
        add(OpKind.SQRT, 2 * bits + _clog2(n), 1)
        add(OpKind.DIV, f, 1)
        add(OpKind.MULT, bits, n, f)

    if norm in (Normalization.L1, Normalization.L1_SQRT):
        add(OpKind.ADD, h + _clog2(n), n)
        add(OpKind.DIV, f, 1)
        add(OpKind.MULT, h, n, f)
        if norm is Normalization.L1_SQRT:
            add(OpKind.SQRT, f, n)
    else:
        l2(h)
        if norm is Normalization.L2_HYS:
            add(OpKind.ADD, f, n)
            l2(f)
    return ops


def _accesses(p: HogParams, g: HogGeometry) -> tuple[Access, ...]:
    pixels, bins = g.covered_pixels, p.orientations
    return (Access(Buffer.LINE, p.pixel_bits, 2 * g.width * p.pixel_bits, 2 * pixels, pixels),
            Access(Buffer.CELL_HISTOGRAM, p.histogram_bits, g.cells_x * bins * p.histogram_bits, pixels, pixels),
            Access(Buffer.BLOCK, p.histogram_bits, p.block_cells * g.cells_x * bins * p.histogram_bits,
                   g.feature_words, g.cells * bins))
