"""The numpy reference forward against a direct loop-nest convolution and against torch."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from stationary.core import StationaryError
from stationary.infer import build, forward, run
from stationary.infer.forward import apply_op, conv_layer
from stationary.infer.model import Model, init_model, maxpool, avgpool, relu, flatten
from stationary.workload import Layer, LayerKind, Network, conv, fc


def direct_conv(x, w, layer):
    """The seven-loop nest of the talk, written out (independent of the im2col/einsum code)."""
    n, _, h, wd = x.shape
    top, left = layer.pad_h // 2, layer.pad_w // 2
    out = np.zeros((n, layer.M, layer.E, layer.F))
    mg = layer.M // layer.G
    for b in range(n):
        for m in range(layer.M):
            g = m // mg
            for e in range(layer.E):
                for f in range(layer.F):
                    acc = 0.0
                    for c in range(layer.C):
                        for r in range(layer.R):
                            for s in range(layer.S):
                                i = e * layer.U + r * layer.dilation - top
                                j = f * layer.U + s * layer.dilation - left
                                if 0 <= i < h and 0 <= j < wd:
                                    acc += x[b, g * layer.C + c, i, j] * w[m, c, r, s]
                    out[b, m, e, f] = acc
    return out


@st.composite
def conv_layers(draw):
    g = draw(st.integers(1, 2))
    m = g * draw(st.integers(1, 3))
    c = draw(st.integers(1, 3))
    r, s = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    u, d = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    pad_h, pad_w = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    h = draw(st.integers(d * (r - 1) + 1, 7))
    w = draw(st.integers(d * (s - 1) + 1, 7))
    h += (u - (h + pad_h - d * (r - 1) - 1) % u) % u
    w += (u - (w + pad_w - d * (s - 1) - 1) % u) % u
    return Layer("L", LayerKind.CONV, M=m, C=c, H=h, W=w, R=r, S=s, U=u, G=g, pad_h=pad_h, pad_w=pad_w,
                 dilation=d)


@settings(max_examples=40, deadline=None)
@given(conv_layers(), st.integers(0, 2**31 - 1))
def test_conv_matches_the_loop_nest(layer, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, layer.C * layer.G, layer.H, layer.W))
    w = rng.standard_normal((layer.M, layer.C, layer.R, layer.S))
    np.testing.assert_allclose(conv_layer(x, w, layer), direct_conv(x, w, layer), rtol=1e-10, atol=1e-10)


def test_negative_pad_trims_the_rows_the_stride_never_reaches():
    layer = conv("res", 2, 3, 6, 1, stride=2, floor=True)     # a 1x1 stride-2 conv on 6 rows reads 0..4
    x = np.random.default_rng(1).standard_normal((1, 3, 6, 6))
    w = np.random.default_rng(2).standard_normal((2, 3, 1, 1))
    expected = np.einsum("nchw,mc->nmhw", x[:, :, ::2, ::2], w[:, :, 0, 0])
    np.testing.assert_allclose(conv_layer(x, w, layer), expected, rtol=1e-12)


def test_pools_and_relu_by_hand():
    x = np.arange(16, dtype=np.float64).reshape(1, 1, 4, 4) - 8
    np.testing.assert_array_equal(apply_op(x, maxpool(2))[0, 0], [[-3, -1], [5, 7]])
    np.testing.assert_array_equal(apply_op(x, avgpool(2))[0, 0], [[-5.5, -3.5], [2.5, 4.5]])
    assert apply_op(x, relu()).min() == 0 and apply_op(x, flatten()).shape == (1, 16)


def test_fc_flattens_channel_row_column():
    net = Network("t", (conv("c", 2, 1, 2, 1), fc("f", 1, 8)))
    m = init_model(net, (), (), seed=0)
    w = {"c": (np.array([[[[1.0]]], [[[2.0]]]]), np.zeros(2)), "f": (np.arange(8.0)[None], np.zeros(1))}
    x = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    # channel 0 = x, channel 1 = 2x; flattened (c, h, w) dotted with 0..7
    assert run(m.with_weights(w), x, dtype=np.float64)[0, 0] == pytest.approx(
        np.dot(np.arange(8.0), [1, 2, 3, 4, 2, 4, 6, 8]))


@pytest.mark.parametrize("name", ["lenet5", "digits-cnn"])
def test_float32_and_float64_agree(name):
    m = build(name, seed=3)
    x = np.random.default_rng(0).random((4,) + m.input_shape, dtype=np.float32)
    a32, a64 = run(m, x), run(m, x, dtype=np.float64)
    assert a32.dtype == np.float32 and a64.dtype == np.float64
    np.testing.assert_allclose(a32, a64, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", ["lenet5", "digits-cnn"])
def test_numpy_forward_matches_torch(name):
    torch = pytest.importorskip("torch")
    from stationary.infer.torchnet import make_torchnet
    m = build(name, seed=5)
    x = np.random.default_rng(1).random((8,) + m.input_shape, dtype=np.float32)
    with torch.no_grad():
        expected = make_torchnet(m)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(run(m, x), expected, rtol=1e-4, atol=1e-5)


def test_odd_and_negative_padding_match_torch():
    torch = pytest.importorskip("torch")
    from stationary.infer.torchnet import make_torchnet
    net = Network("odd", (Layer("a", LayerKind.CONV, M=3, C=2, H=7, W=6, R=3, S=2, pad_h=1, pad_w=3),
                          conv("b", 4, 3, (6, 8), 1, stride=2, floor=True)))
    m = init_model(net, (relu(),), (), seed=2)
    x = np.random.default_rng(3).standard_normal((2, 2, 7, 6)).astype(np.float32)
    with torch.no_grad():
        expected = make_torchnet(m)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(run(m, x), expected, rtol=1e-5, atol=1e-5)


def test_records_every_layer_and_rejects_a_wrong_input_shape():
    m = build("lenet5")
    acts = forward(m, np.zeros((2, 1, 28, 28), np.float32))
    assert [a.ofmap.shape[1:] for a in acts] == [(6, 14, 14), (400,), (120,), (84,), (10,)]
    assert acts[1].ifmap.shape == (2, 6, 14, 14) and acts[0].preact.shape == (2, 6, 28, 28)
    with pytest.raises(StationaryError, match="input batch"):
        forward(m, np.zeros((2, 1, 8, 8)))


def test_model_rejects_layers_that_do_not_fit():
    net = Network("bad", (conv("c", 4, 1, 8, 3), fc("f", 2, 99)))
    with pytest.raises(StationaryError, match="does not fit"):
        init_model(net, (flatten(),), ())
    with pytest.raises(StationaryError, match="one tuple of ops per layer"):
        Model(net, ((),), {})
