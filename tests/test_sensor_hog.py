"""HOG's geometry and operation counts against hand arithmetic on tiny frames (stationary.sensor.hog)."""
import math

import pytest

from stationary.core import StationaryError
from stationary.sensor import Buffer, HogParams, Normalization, OpKind, Stage


def _by_stage(counts):
    return {stage: counts.total(stage) for stage in Stage if stage is not Stage.CLASSIFIER}


def test_geometry_of_a_tiny_frame_by_hand():
    # 17 x 25 px, 8 px cells: 2 x 3 whole cells (the last row and column of pixels are ignored);
    # 2 x 2 blocks every cell: 1 x 2 blocks of 4 cells x 9 bins = 72 values
    g = HogParams().geometry(17, 25)
    assert (g.cells_y, g.cells_x, g.blocks_y, g.blocks_x) == (2, 3, 1, 2)
    assert (g.covered_pixels, g.values_per_block, g.feature_words) == (384, 36, 72)
    assert g.feature_bits == 72 * 8 and g.pixel_bits == 17 * 25 * 8


def test_block_stride_and_cell_size_by_hand():
    # 64 x 48 px, 4 px cells: 16 x 12 cells; 3 x 3 blocks every 2 cells: (16-3)//2+1 = 7, (12-3)//2+1 = 5
    g = HogParams(cell_px=4, block_cells=3, block_stride_cells=2, orientations=6).geometry(64, 48)
    assert (g.cells, g.blocks, g.feature_words) == (192, 35, 35 * 9 * 6)


def test_operation_counts_of_a_tiny_frame_by_hand():
    # 16 x 24 px: 384 covered pixels, 2 blocks of 36 values, 9 unsigned bins (4 boundary tests), L2-Hys
    c = HogParams().ops(16, 24)
    assert c.total(Stage.CLASSIFIER) == 0
    per_block_l2 = 36 + 36 + 1 + 1 + 36            # squares, sums, sqrt, reciprocal, scalings
    assert _by_stage(c) == {Stage.GRADIENT: 2 * 384, Stage.MAGNITUDE: 4 * 384,
                            Stage.ORIENTATION: (2 + 4 * 3) * 384, Stage.VOTE: 384,
                            Stage.NORMALIZATION: 2 * (per_block_l2 + 36 + per_block_l2)}
    mults = sum(op.count for op in c.ops if op.kind is OpKind.MULT and op.stage is Stage.ORIENTATION)
    assert mults == 2 * 4 * 384
    assert c.per_pixel(Stage.VOTE) == 1.0


@pytest.mark.parametrize("norm, per_block", [("none", 0), ("L1", 36 + 1 + 36), ("L1-sqrt", 36 + 1 + 36 + 36),
                                             ("L2", 36 + 36 + 1 + 1 + 36)])
def test_normalization_counts_by_hand(norm, per_block):
    c = HogParams(norm=norm).ops(16, 24)
    assert c.total(Stage.NORMALIZATION) == 2 * per_block


def test_signed_bins_search_half_the_bins():
    # 18 signed bins: 9 per half plane, 4 tests; 8 signed bins: 4 per half plane, 2 tests
    assert HogParams(orientations=18, signed=True).ops(16, 16).total(Stage.ORIENTATION) == (2 + 4 * 3) * 256
    assert HogParams(orientations=8, signed=True).ops(16, 16).total(Stage.ORIENTATION) == (2 + 2 * 3) * 256


def test_widths_carry_into_the_operations():
    c = HogParams(pixel_bits=10, gradient_bits=11, magnitude_bits=11, histogram_bits=17).ops(16, 16)
    vote = [op for op in c.ops if op.stage is Stage.VOTE]
    assert [(op.kind, op.bits) for op in vote] == [(OpKind.ADD, 17)]
    squares = [op for op in c.ops if op.stage is Stage.MAGNITUDE and op.kind is OpKind.MULT]
    assert [(op.bits, op.other_bits) for op in squares] == [(11, 11)]


def test_memory_accesses_by_hand():
    c = HogParams().ops(16, 24)
    acc = {a.buffer: a for a in c.accesses}
    line, hist, block = acc[Buffer.LINE], acc[Buffer.CELL_HISTOGRAM], acc[Buffer.BLOCK]
    assert (line.reads, line.writes, line.capacity_bits) == (768, 384, 2 * 24 * 8)
    assert (hist.reads, hist.writes, hist.capacity_bits) == (384, 384, 3 * 9 * 15)
    assert (block.reads, block.writes, block.capacity_bits) == (72, 6 * 9, 2 * 3 * 9 * 15)


def test_1080p_output_size_by_hand():
    # 1920 x 1080 with 8 px cells: 240 x 135 cells, 239 x 134 blocks; 36 values a block at 8 bits
    g = HogParams().geometry(1080, 1920)
    assert g.feature_words == 239 * 134 * 36
    assert g.feature_bits / g.pixel_bits == pytest.approx(239 * 134 * 36 / (1920 * 1080))


@pytest.mark.parametrize("kwargs, field", [
    (dict(cell_px=0), "cell_px"), (dict(block_cells=2, block_stride_cells=3), "block_stride_cells"),
    (dict(orientations=9, signed=True), "orientations"), (dict(orientations=1), "orientations"),
    (dict(gradient_bits=8), "gradient_bits"), (dict(histogram_bits=14), "histogram_bits"),
    (dict(norm="L3"), "norm"), (dict(signed="yes"), "signed"), (dict(cell_px=2.5), "cell_px")])
def test_bad_parameters_name_the_field(kwargs, field):
    with pytest.raises(StationaryError, match=f"field '{field}'"):
        HogParams(**kwargs)


@pytest.mark.parametrize("shape, field", [((15, 64), "height"), ((64, 15), "width"), ((0, 64), "height")])
def test_frames_smaller_than_a_block_name_the_field(shape, field):
    with pytest.raises(StationaryError, match=f"field '{field}'"):
        HogParams().geometry(*shape)


def test_norm_names_parse_like_scikit_image():
    assert HogParams(norm="l2-hys").norm is Normalization.L2_HYS
    assert HogParams(norm=Normalization.L1).norm is Normalization.L1


def test_geometry_matches_scikit_image_descriptor_length():
    hog = pytest.importorskip("skimage.feature").hog
    import numpy as np
    image = np.random.default_rng(0).random((37, 53))
    for cell, block in ((4, 2), (5, 3), (8, 1)):
        g = HogParams(cell_px=cell, block_cells=block).geometry(37, 53)
        out = hog(image, orientations=9, pixels_per_cell=(cell, cell), cells_per_block=(block, block))
        assert out.size == g.feature_words
        assert math.prod(out.shape) == g.feature_words
