"""HOG and classifier energy: counts x the 65 nm table, checked stage by stage against hand arithmetic on
Horowitz's 45 nm figures (int32 add 0.1 pJ, int8 mult 0.2 pJ, 8 KB SRAM 64-bit read 10 pJ) x (65/45)(1/0.9)^2."""
import pytest

from stationary.core import StationaryError
from stationary.features.energy import (SCALE_45_TO_65NM, TABLE_65NM, LinearClassifier, classifier_energy,
                                        hog_energy)
from stationary.sensor import HogParams

S = 65 / 45 / 0.81


def add(bits):
    return 0.1 * bits / 32 * S


def mult(a, b):
    return 0.2 * a * b / 64 * S


def test_table_is_horowitz_scaled_to_65nm():
    assert SCALE_45_TO_65NM == pytest.approx(1.7833, abs=1e-4)
    assert TABLE_65NM.mult_pj(8, 8) == pytest.approx(0.2 * S)
    assert TABLE_65NM.add_pj(32) == pytest.approx(0.1 * S)
    assert TABLE_65NM.sram_bit_pj(8 * 8 * 1024) == pytest.approx(10 / 64 * S)
    assert TABLE_65NM.sram_bit_pj(8 * 8 * 1024 + 1) == pytest.approx(20 / 64 * S)
    with pytest.raises(StationaryError, match="capacity_bits"):
        TABLE_65NM.sram_bit_pj(8 * 1024 * 1024 + 1)


def test_hog_stage_energies_by_hand():
    # 16 x 24 frame, 8-px cells: 384 pixels; 9-bit gradients, 15-bit histograms, 8-bit pixels
    e = hog_energy(HogParams(), 16, 24)
    stage = {s.name: s.energy_pj for s in e.compute + e.memory}
    assert stage["gradient"] == pytest.approx(2 * 384 * add(9))
    assert stage["magnitude"] == pytest.approx(384 * (2 * mult(9, 9) + add(18) + 9 * add(18)))
    assert stage["orientation"] == pytest.approx(384 * (2 * add(9) + 4 * (2 * mult(9, 8) + add(17))))
    assert stage["histogram vote"] == pytest.approx(384 * add(15))
    # line buffer: 2 reads + 1 write of 8 bits per pixel, a 2 x 24 x 8-bit buffer (an 8 KB SRAM's cost per bit)
    assert stage["line buffer"] == pytest.approx(3 * 384 * 8 * 10 / 64 * S)
    assert stage["cell histograms"] == pytest.approx(2 * 384 * 15 * 10 / 64 * S)
    assert stage["block buffer"] == pytest.approx((72 + 54) * 15 * 10 / 64 * S)
    assert e.total_pj == pytest.approx(sum(stage.values()))
    assert e.nj_per_pixel == pytest.approx(e.total_pj / 384 / 1000)


def test_energy_grows_with_the_widths():
    narrow = hog_energy(HogParams(), 64, 64).total_pj
    wide = hog_energy(HogParams(pixel_bits=12, gradient_bits=13, magnitude_bits=13, histogram_bits=19), 64, 64)
    assert wide.total_pj > narrow


def test_classifier_dot_products_by_hand():
    # 324 features x 10 classes at 8 x 8 bits, 24-bit accumulators; 3,240 weights of 8 bits (an 8 KB SRAM),
    # 324 feature reads broadcast to every class
    e = classifier_energy(LinearClassifier(324, 10), 64)
    expected = 3240 * (mult(8, 8) + add(24)) + (3240 + 324) * 8 * 10 / 64 * S
    assert e.total_pj == pytest.approx(expected)
    assert e.ops == 2 * 3240
    sparse = LinearClassifier(324, 10, nonzero_weights=1000)
    assert sparse.macs == 1000


def test_adding_pipelines_needs_the_same_frame():
    with pytest.raises(StationaryError, match="pixels"):
        hog_energy(HogParams(), 16, 16) + classifier_energy(LinearClassifier(10, 2), 100)
