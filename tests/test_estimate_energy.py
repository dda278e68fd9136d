"""The CVPR 2017 energy estimate (stationary.pruning.energy, api.estimate_energy): non-zero MACs against direct
arithmetic, the model's energy when everything is dense, linearity in the costs, the density and bit-width rules
against the model's own dense entries, errors."""
from dataclasses import replace

import numpy as np
import pytest

from stationary import api
from stationary.arch import preset
from stationary.core import StationaryError, Tensor
from stationary.infer.model import Model, flatten, maxpool, relu
from stationary.precision import mac_energy_pj
from stationary.pruning.energy import best_mapping, estimate, layer_data
from stationary.workload import Network, conv, fc

NET = Network("toy", (conv("c1", 4, 1, 6, 3, pad=1), fc("f1", 3, 4 * 3 * 3)))
POST = ((relu(), maxpool(2), flatten()), ())


def toy(seed=0, positive=False, zero_weights=0.0):
    rng = np.random.default_rng(seed)
    w1 = rng.uniform(0.1, 1, (4, 1, 3, 3)) if positive else rng.normal(size=(4, 1, 3, 3))
    w2 = rng.uniform(0.1, 1, (3, 36)) if positive else rng.normal(size=(3, 36))
    if zero_weights:
        w1[rng.random(w1.shape) < zero_weights] = 0
        w2[rng.random(w2.shape) < zero_weights] = 0
    weights = {"c1": (w1.astype(np.float32), np.full(4, 0.1, np.float32)),
               "f1": (w2.astype(np.float32), np.zeros(3, np.float32))}
    return Model(NET, POST, weights)


def direct_nonzero_macs(x, w, pad, stride=1):
    """Loops over every output, filter tap and channel; a MAC counts when the stored input and weight are non-zero."""
    n, c, h, wd = x.shape
    m, _, r, s = w.shape
    xp = np.zeros((n, c, h + pad, wd + pad))
    xp[:, :, pad // 2:pad // 2 + h, pad // 2:pad // 2 + wd] = x
    e, f = (h + pad - r) // stride + 1, (wd + pad - s) // stride + 1
    count = 0
    for i in range(n):
        for mm in range(m):
            for y in range(e):
                for z in range(f):
                    for cc in range(c):
                        for a in range(r):
                            for b in range(s):
                                count += xp[i, cc, y * stride + a, z * stride + b] != 0 and w[mm, cc, a, b] != 0
    return count


def test_nonzero_macs_equal_direct_arithmetic_on_masks_and_inputs():
    model = toy(zero_weights=0.5)
    rng = np.random.default_rng(1)
    x = rng.random((3, 1, 6, 6)).astype(np.float32)
    x[rng.random(x.shape) < 0.4] = 0
    data = layer_data(model, x)
    assert data[0].nonzero_macs == pytest.approx(direct_nonzero_macs(x, model.weights["c1"][0], pad=2) / 3)
    from stationary.infer import forward
    fin = forward(model, x)[1].ifmap
    w2 = model.weights["f1"][0]
    expected = sum(int(np.sum((fin[i] != 0)[None, :] & (w2 != 0))) for i in range(3)) / 3
    assert data[1].nonzero_macs == pytest.approx(expected)
    assert data[0].macs == 4 * 6 * 6 * 9 and data[1].macs == 3 * 36
    assert data[0].ifmap_density == pytest.approx(np.count_nonzero(x) / x.size)
    assert data[0].weight_density == pytest.approx(np.count_nonzero(model.weights["c1"][0]) / 36)


@pytest.fixture(scope="module")
def mapped():
    arch = preset("eyeriss")
    return arch, {layer.name: best_mapping(layer, arch) for layer in NET.layers}


def test_dense_estimate_equals_the_model(mapped):
    arch, best = mapped
    x = np.random.default_rng(2).uniform(0.1, 1, (2, 1, 6, 6)).astype(np.float32)
    rows = estimate(toy(positive=True), arch, x)
    for row in rows:
        assert (row.weight_density, row.ifmap_density, row.ofmap_density) == (1.0, 1.0, 1.0)
    # fc: nothing is zero, so the estimate is the model's energy of the same mapping
    fc_row, fc_model = rows[1], best["f1"].energy
    assert fc_row.nonzero_macs == fc_row.macs
    assert fc_row.total == pytest.approx(fc_model.total)
    assert fc_row.computation == pytest.approx(fc_model.at("MAC", None))
    # conv with one ring of padding: the MACs on padding zeros (counted directly) and their RF weight reads go
    conv_row, conv_best = rows[0], best["c1"]
    on_padding = 4 * 6 * 6 * 9 - direct_nonzero_macs(np.ones((1, 1, 6, 6)), np.ones((4, 1, 3, 3)), pad=2)
    assert conv_row.macs - conv_row.nonzero_macs == pytest.approx(on_padding)
    rf_reads = conv_best.counts.at("RF", Tensor.WEIGHT).reads
    assert rf_reads == conv_row.macs
    assert conv_best.energy.total - conv_row.total == pytest.approx(on_padding * (1 + 1))   # e_MAC 1, RF read 1


def test_weight_density_scales_the_weight_words_off_the_innermost_level(mapped):
    arch, best = mapped
    model = toy(positive=True, zero_weights=0.5)
    x = np.random.default_rng(3).uniform(0.1, 1, (2, 1, 6, 6)).astype(np.float32)
    row = estimate(model, arch, x, layers=["f1"])[0]
    dense = best["f1"].energy
    dw = np.count_nonzero(model.weights["f1"][0]) / model.weights["f1"][0].size
    # inputs all positive, so the non-zero MAC fraction is the weight density; DRAM weights compressed
    assert row.nonzero_macs == pytest.approx(dw * 36 * 3)
    assert row.data_movement["DRAM"] == pytest.approx(dense.at("DRAM", Tensor.WEIGHT) * dw
                                                      + dense.at("DRAM", Tensor.IFMAP) + dense.at("DRAM", Tensor.PSUM))


def _scaled(arch, k_levels, k_mac):
    levels = tuple(replace(l, read_energy=tuple(e * k for e in l.read_energy),
                           write_energy=tuple(e * k for e in l.write_energy), network_energy=l.network_energy * k)
                   for l, k in zip(arch.levels, k_levels))
    return replace(arch, levels=levels, mac=replace(arch.mac, mac_energy=arch.mac.mac_energy * k_mac))


def test_energy_is_linear_in_the_costs(mapped):
    arch, best = mapped
    mappings = {name: r.mapping for name, r in best.items()}
    model = toy(zero_weights=0.3)
    x = np.random.default_rng(4).random((2, 1, 6, 6)).astype(np.float32)
    rng = np.random.default_rng(5)
    a, b = rng.uniform(0.5, 2, 3), rng.uniform(0.5, 2, 3)
    ma, mb = rng.uniform(0.5, 2, 2)
    ea = estimate(model, _scaled(arch, a, ma), x, mappings=mappings)
    eb = estimate(model, _scaled(arch, b, mb), x, mappings=mappings)
    eab = estimate(model, _scaled(arch, a + b, ma + mb), x, mappings=mappings)
    for ra, rb, rab in zip(ea, eb, eab):
        assert rab.total == pytest.approx(ra.total + rb.total)
        assert rab.computation == pytest.approx(ra.computation + rb.computation)
    doubled = estimate(model, _scaled(arch, 2 * a, 2 * ma), x, mappings=mappings)
    assert [r.total for r in doubled] == pytest.approx([2 * r.total for r in ea])


def test_bit_width_scales_words_and_mac_energy(mapped):
    arch, best = mapped
    model = toy(positive=True)
    x = np.random.default_rng(6).uniform(0.1, 1, (1, 1, 6, 6)).astype(np.float32)
    full = estimate(model, arch, x, layers=["f1"])[0]
    half = estimate(model, arch, x, layers=["f1"], weight_bits=8, act_bits=8)[0]
    assert half.computation == pytest.approx(full.computation * mac_energy_pj(8, 8) / mac_energy_pj(16, 16))
    counts = best["f1"].counts.at("DRAM", Tensor.PSUM)
    assert (counts.updates, counts.reads) == (3, 0)   # outputs written once: every DRAM word is an 8-bit value
    assert half.data_movement["DRAM"] == pytest.approx(0.5 * full.data_movement["DRAM"])
    assert half.data_movement["RF"] < full.data_movement["RF"]


def test_api_estimate_energy_and_errors(mapped):
    x = np.random.default_rng(7).random((2, 1, 6, 6)).astype(np.float32)
    rows = api.estimate_energy(toy(), "eyeriss", x)
    assert [r.layer for r in rows] == ["c1", "f1"]
    assert all(r.total == pytest.approx(r.computation + sum(r.data_movement.values())) for r in rows)
    assert set(rows[0].as_dict()) >= {"computation_normalized", "data_movement_normalized", "total_normalized",
                                      "nonzero_macs"}
    with pytest.raises(StationaryError, match="inputs"):
        api.estimate_energy(toy(), "eyeriss")
    with pytest.raises(StationaryError, match="layers"):
        api.estimate_energy(toy(), "eyeriss", x, layers=["nope"])
    with pytest.raises(StationaryError, match="bit width"):
        api.estimate_energy(toy(), "eyeriss", x, weight_bits=0)
    with pytest.raises(StationaryError, match="N x C x H x W"):
        estimate(toy(), preset("eyeriss"), np.zeros((0, 1, 6, 6), np.float32))
