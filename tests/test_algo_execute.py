"""Every algorithm's output equals the direct convolution (torch's conv2d, an independent implementation, and
our einsum) on random shapes, strides, padding, dilation and groups; bad input is a clear error."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stationary.algo import Precision, execute, plan
from stationary.algo.error import measure, random_tensors
from stationary.algo.gauss import complex_matmul, gauss_product
from stationary.algo.strassen import strassen_matmul
from stationary.cli import main
from stationary.core import StationaryError
from stationary.workload import conv, fc
from stationary.workload.layer import Layer, LayerKind
from strategies import layers

torch = pytest.importorskip("torch")
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
METHODS = ("im2col", "fft", "fft:4m", "strassen:1", "strassen:2,2")


def torch_conv(x, w, layer):
    """torch's convolution after padding as the Layer says (pad // 2 on top/left, the rest after)."""
    import torch.nn.functional as tf
    if layer.kind is LayerKind.FC:
        return x.reshape(len(x), -1) @ w.T
    xt = torch.from_numpy(x)
    pads = []
    for pad in (layer.pad_w, layer.pad_h):
        pads += [pad // 2, pad - pad // 2]
    xt = tf.pad(xt, pads)
    out = tf.conv2d(xt, torch.from_numpy(w), stride=layer.U, dilation=layer.dilation, groups=layer.G)
    return out.numpy()


@SETTINGS
@given(layers(max_dim=5), st.sampled_from(METHODS))
def test_outputs_equal_torch_in_float64(layer, method):
    x, w = random_tensors(layer, seed=1)
    ref = torch_conv(x, w, layer)
    p = plan(layer, method)
    if not p.applicable:
        assert method.startswith("strassen") or layer.kind is not LayerKind.CONV
        return
    out = execute(p, x, w)
    assert out.shape == ref.shape
    np.testing.assert_allclose(out, ref, rtol=1e-9, atol=1e-11)


@st.composite
def winograd_cases(draw):
    m, r = draw(st.sampled_from([(2, 3), (4, 3), (3, 2), (2, 5), (1, 3), (6, 3)]))
    e, f = draw(st.integers(m, 3 * m + 1)), draw(st.integers(m, 3 * m + 1))
    pad = draw(st.integers(0, r - 1))
    g = draw(st.sampled_from([1, 2]))
    layer = Layer("w", LayerKind.CONV, M=g * draw(st.integers(1, 3)), C=draw(st.integers(1, 4)), H=e + r - 1 - pad,
                  W=f + r - 1 - pad, R=r, S=r, G=g, N=draw(st.integers(1, 2)), pad_h=pad, pad_w=pad)
    return layer, m, r


@SETTINGS
@given(winograd_cases())
def test_winograd_equals_torch_with_edge_tiles(case):
    layer, m, r = case
    x, w = random_tensors(layer, seed=2)
    out = execute(plan(layer, f"winograd:{m},{r}"), x, w)
    np.testing.assert_allclose(out, torch_conv(x, w, layer), rtol=1e-8, atol=1e-10)


@SETTINGS
@given(layers(max_dim=4), st.sampled_from(("im2col", "fft", "strassen:1")))
def test_low_precision_outputs_stay_within_a_measured_bound(layer, method):
    """float32 within 1e-5 of the output's scale; float16 and fixed16 within 2 % (16-bit formats)."""
    p = plan(layer, method)
    if not p.applicable:
        return
    x, w = random_tensors(layer, seed=3)
    bounds = {Precision.FLOAT64: 1e-12, Precision.FLOAT32: 1e-5, Precision.FLOAT16: 2e-2, Precision.FIXED16: 2e-2}
    for e in measure(p, x, w):
        assert e.max_rel <= bounds[e.precision], (e, layer)


def test_gauss_product_and_3m_matmul_equal_numpy_complex():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4))
    b = rng.standard_normal((4, 5)) + 1j * rng.standard_normal((4, 5))
    np.testing.assert_allclose(gauss_product(a[:, :1], b[:1, :].T[:3]), a[:, :1] * b[:1, :].T[:3])
    for gauss in (True, False):
        re, im = complex_matmul(a.real, a.imag, b.real, b.imag, gauss=gauss)
        np.testing.assert_allclose(re + 1j * im, a @ b, rtol=1e-12)


def test_strassen_matmul_equals_numpy_on_odd_shapes():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 13, 17)), rng.standard_normal((2, 17, 9))
    for depth in range(4):
        np.testing.assert_allclose(strassen_matmul(a, b, depth), a @ b, rtol=1e-10, atol=1e-12)


def test_the_talks_toeplitz_example_runs_as_one_gemm():
    layer = conv("slide", 1, 1, 3, 2)
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    w = np.arange(1.0, 5.0).reshape(1, 1, 2, 2)
    # [1 2 3 4] x Toeplitz = the 2x2 output
    assert execute(plan(layer, "im2col"), x, w).ravel().tolist() == [37.0, 47.0, 67.0, 77.0]


@pytest.mark.parametrize("layer,method,field_text", [
    (conv("s2", 8, 8, 15, 3, stride=2, pad=1), "winograd:2,3", "U = 2"),
    (conv("small", 8, 8, 4, 3), "winograd:4,3", "E x F = 2x2"),
    (conv("five", 8, 8, 9, 5), "winograd:2,3", "R x S = 5x5"),
    (fc("fc", 10, 20), "fft", "kind = fc"),
    (conv("thin", 4, 2, 8, 3), "strassen:3", "depth = 3"),
])
def test_layers_an_algorithm_cannot_run_are_named_with_the_field_and_value(layer, method, field_text):
    p = plan(layer, method)
    assert not p.applicable and field_text in p.reason
    with pytest.raises(StationaryError) as err:
        execute(p, *random_tensors(layer))
    assert f"layer {layer.name}" in str(err.value) and "method" in str(err.value)


@pytest.mark.parametrize("spec", ["winograd:2", "winograd:0,3", "winograd:8,8", "strassen:-1", "fft:5m", "toeplitz",
                                  "im2col:3"])
def test_bad_method_strings_are_one_line_errors(spec, capsys):
    assert main(["algo", "lenet5", "--method", spec, "--no-error"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ("method" in err or "field" in err)
