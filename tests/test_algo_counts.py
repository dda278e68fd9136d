"""Counts of every algorithm against hand arithmetic and the literature's formulas; the transforms exact."""
from fractions import Fraction as Fr

import numpy as np
import pytest

from stationary.algo import plan
from stationary.algo.counts import direct_counts, expansion, matvec_cost
from stationary.algo.fft import complex_fft_counts, fft2_counts, real_fft_counts
from stationary.algo.gauss import matmul_counts, product_counts
from stationary.algo.strassen import strassen_counts
from stationary.algo.toomcook import transforms
from stationary.algo.winograd import winograd_counts
from stationary.workload import conv, fc, zoo

# Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", CVPR 2016, Sections 4.1 and 4.2
LAVIN = {
    (2, 3): ([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]],
             [[1, 0, 0], [Fr(1, 2), Fr(1, 2), Fr(1, 2)], [Fr(1, 2), Fr(-1, 2), Fr(1, 2)], [0, 0, 1]],
             [[1, 1, 1, 0], [0, 1, -1, -1]]),
    (4, 3): ([[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0], [0, -2, -1, 2, 1, 0],
              [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]],
             [[Fr(1, 4), 0, 0], [Fr(-1, 6), Fr(-1, 6), Fr(-1, 6)], [Fr(-1, 6), Fr(1, 6), Fr(-1, 6)],
              [Fr(1, 24), Fr(1, 12), Fr(1, 6)], [Fr(1, 24), Fr(-1, 12), Fr(1, 6)], [0, 0, 1]],
             [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]]),
}


@pytest.mark.parametrize("m,r", sorted(LAVIN))
def test_generated_transforms_are_lavins_up_to_the_sign_of_each_point(m, r):
    bt_l, g_l, at_l = LAVIN[(m, r)]
    t = transforms(m, r)
    for i in range(m + r - 1):
        sign = 1 if list(t.BT[i]) == bt_l[i] else -1
        assert list(t.BT[i]) == [sign * v for v in bt_l[i]]
        ours = np.outer([float(v) for v in t.G[i]], [float(row[i]) for row in t.AT])
        theirs = np.outer([float(v) for v in g_l[i]], [float(row[i]) for row in at_l])
        assert np.array_equal(ours, sign * theirs)


@pytest.mark.parametrize("m,r", [(1, 1), (2, 2), (2, 3), (3, 2), (4, 3), (6, 3), (2, 5), (4, 5), (3, 4), (8, 3)])
def test_transforms_compute_correlation_exactly(m, r):
    t = transforms(m, r)
    rng = np.random.default_rng(m * 10 + r)
    for _ in range(3):
        d = [Fr(int(v)) for v in rng.integers(-9, 10, m + r - 1)]
        g = [Fr(int(v)) for v in rng.integers(-9, 10, r)]
        gt = [sum(row[k] * g[k] for k in range(r)) for row in t.G]
        bd = [sum(row[k] * d[k] for k in range(m + r - 1)) for row in t.BT]
        y = [sum(row[k] * gt[k] * bd[k] for k in range(m + r - 1)) for row in t.AT]
        assert y == [sum(d[i + k] * g[k] for k in range(r)) for i in range(m)]
        assert all(v.denominator == 1 for row in t.BT for v in row)   # the fractions are in G


def test_winograd_f2x2_3x3_by_hand():
    # 4x4 output, 1 filter, 1 channel: 4 tiles of 16 products; B^T has two terms a row: 4 additions a vector,
    # 2 x 4 vectors a tile = 32; A^T: 2 + 2 a vector, (4 + 2) vectors = 24 a tile; G: three 1/2 entries in two
    # rows (6 multiplications), 2 + 2 additions, (3 + 4) vectors for the one filter.
    c = winograd_counts(conv("c", 1, 1, 6, 3), 2, 3)
    assert (c.multiplications, c.additions) == (64, 0)
    assert c.transform_additions == 4 * 32 + 4 * 24 + 7 * 4
    assert c.transform_multiplications == 7 * 6
    assert c.extra_words == (1 + 4 + 4) * 16


@pytest.mark.parametrize("m,r", [(2, 3), (4, 3), (6, 3), (3, 5)])
def test_winograd_multiplications_are_n_squared_per_tile_per_channel_pair(m, r):
    layer = conv("c", 12, 5, 6 * m + r - 1, r, groups=1, batch=2)
    tiles = 2 * 6 * 6
    assert winograd_counts(layer, m, r).multiplications == 12 * 5 * tiles * (m + r - 1) ** 2
    assert layer.macs / winograd_counts(layer, m, r).multiplications == pytest.approx(m * m * r * r / (m + r - 1) ** 2)


def test_vgg16_3x3_layers_under_f2x2_3x3_save_2_25x_and_larger_tiles_more():
    for layer in zoo.get("vgg16").conv_layers:
        assert plan(layer, "winograd:2,3").multiplication_saving == 2.25           # 36 / 16, the talk's figure
        tiles = -(-layer.E // 4) * -(-layer.F // 4)                                   # edge tiles run whole
        f4 = plan(layer, "winograd:4,3").multiplication_saving
        assert f4 == layer.E * layer.F * 9 / (tiles * 36) and f4 > 2.25                # 4x on whole tiles


def test_edge_tiles_are_counted_whole():
    c = winograd_counts(conv("c", 1, 1, 7, 3), 2, 3)                                # 5 x 5 output -> 3 x 3 tiles
    assert c.multiplications == 9 * 16


def test_strassen_products_are_seven_to_the_depth():
    for d in range(5):
        assert strassen_counts(64, 64, 64, d).multiplications == 7 ** d * (64 // 2 ** d) ** 3
    one = strassen_counts(2, 2, 2, 1)
    assert (one.multiplications, one.additions, one.transform_additions) == (7, 0, 18)   # Strassen 1969
    # odd sides are padded: 3 -> 4 then halved
    assert strassen_counts(3, 5, 7, 1).multiplications == 7 * 2 * 3 * 4
    assert strassen_counts(64, 64, 64, 5, cutoff=16).multiplications == 7 ** 3 * 8 ** 3   # 64, 32, 16 split


def test_gauss_counts_are_the_slides():
    assert product_counts(True) == (3, 5) and product_counts(False) == (4, 2)
    m, a = matmul_counts(1, 1, 1, True)
    assert (m, a) == (3, 5)


def test_fft_counts_by_hand():
    assert complex_fft_counts(4) == (2 * 4 * 2, 3 * 4 * 2)           # 4 butterflies: 4 mults + 6 adds each
    # a real 4-point FFT: a complex 2-point one (1 butterfly) and 2 split butterflies
    assert real_fft_counts(4) == (complex_fft_counts(2)[0] + 2 * 4, complex_fft_counts(2)[1] + 2 * 6) == (12, 18)
    assert fft2_counts(4, 4) == (4 * 12 + 3 * 16, 4 * 18 + 3 * 24)


def test_direct_and_im2col_counts_by_hand():
    layer = conv("c", 2, 3, 5, 3, pad=1, groups=1)                    # 5x5 output, 27 products each
    d = direct_counts(layer)
    assert (d.multiplications, d.additions) == (2 * 25 * 27, 2 * 25 * 26)
    im = plan(layer, "im2col")
    assert im.counts.extra_words == 27 * 25 and str(im.gemms[0]) == "2x27 @ 27x25"
    # AlexNet CONV1: (3 x 11 x 11) rows by 55 x 55 columns lowered from a 3 x 227 x 227 input
    assert expansion(zoo.get("alexnet")["CONV1"]) == 363 * 3025 / (3 * 227 * 227)
    assert plan(fc("f", 10, 20), "im2col").counts.extra_words == 0
    assert plan(conv("p", 8, 4, 7, 1), "im2col").counts.extra_words == 0   # 1x1 stride 1: the input itself


def test_matvec_cost_by_entries():
    assert matvec_cost([[2, 0], [1, -1], [0, 0]]) == (1, 1)


@pytest.mark.parametrize("name", ["lenet5", "alexnet", "vgg16", "googlenet", "resnet50", "mobilenet-v1",
                                  "overfeat-fast", "bert-base-encoder", "alexnet-ungrouped"])
@pytest.mark.parametrize("method", ["direct", "im2col", "winograd:2,3", "winograd:4,3", "fft", "fft:4m",
                                    "strassen:1", "strassen:3,8"])
def test_every_zoo_network_plans_under_every_method(name, method):
    for layer in zoo.get(name).layers:
        p = plan(layer, method)
        assert p.applicable or p.reason
        if p.applicable:
            assert p.counts.multiplications > 0 and p.direct.multiplications == layer.macs
            assert sum(g.multiplications for g in p.gemms) in (p.counts.multiplications, 0) or \
                method.startswith("fft")
