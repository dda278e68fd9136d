"""The ONNX importer on graphs built here with onnx.helper: MACs and weights from arithmetic on the shapes."""
import numpy as np
import pytest

from stationary.core import StationaryError
from stationary.workload import LayerKind

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from stationary.workload.importers import from_onnx  # noqa: E402


def value(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def weight(name, shape):
    return numpy_helper.from_array(np.zeros(shape, dtype=np.float32), name)


def model(nodes, inputs, outputs, initializers=(), name="g"):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def cnn_graph(batch=1):
    """Conv (stride 2, asymmetric padding) -> Relu -> MaxPool -> depthwise Conv -> Flatten -> Gemm (transB)."""
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", strides=[2, 2], pads=[1, 1, 0, 0]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "w2"], ["c2"], name="dw", group=8, pads=[1, 1, 1, 1], dilations=[2, 2]),
        helper.make_node("Flatten", ["c2"], ["f"]),
        helper.make_node("Gemm", ["f", "w3", "b3"], ["y"], name="fc", transB=1),
    ]
    inits = [weight("w1", (8, 3, 3, 3)), weight("b1", (8,)), weight("w2", (8, 1, 3, 3)),
             weight("w3", (10, 8 * 2 * 2)), weight("b3", (10,))]
    return model(nodes, [value("x", [batch, 3, 16, 16])], [value("y", [batch, 10])], inits, name="cnn")


def test_conv_and_gemm_from_shapes():
    net = from_onnx(cnn_graph(batch=2))
    conv1, dw, fc = net.layers
    # conv1: floor((16 + 1 - 3) / 2) + 1 = 8; pool -> 4; dw: 4 + 2 - 2*2 - 1 + 1 = 2
    assert (conv1.E, conv1.F, dw.E, dw.F) == (8, 8, 2, 2)
    assert conv1.macs == 2 * 8 * 8 * 8 * 3 * 9 and conv1.weights == 8 * 3 * 9
    assert dw.is_depthwise and dw.dilation == 2 and dw.macs == 2 * 8 * 2 * 2 * 9 and dw.weights == 8 * 9
    assert (fc.kind, fc.N, fc.C, fc.M, fc.macs) == (LayerKind.FC, 2, 32, 10, 2 * 32 * 10)
    assert net.name == "cnn" and net.input_shape == (3, 16, 16) and net.inputs == ((), (), ())


def attention_graph(tokens=6, d=8, heads=2):
    """x @ Wq, x @ Wk, x @ Wv (weights as initializers), heads by Reshape/Transpose, Q K^T and A V as MatMuls
    between activations, a Concat skip, and a weight on the left (W @ x^T)."""
    dh = d // heads
    split = lambda src, dst: [  # noqa: E731
        helper.make_node("Reshape", [src, "heads_shape"], [dst + "_r"]),
        helper.make_node("Transpose", [dst + "_r"], [dst], perm=[0, 2, 1, 3])]
    nodes = [helper.make_node("MatMul", ["x", f"w{t}"], [t], name=t) for t in "qkv"]
    nodes += split("q", "qh") + split("k", "kh") + split("v", "vh")
    nodes += [
        helper.make_node("Transpose", ["kh"], ["kt"], perm=[0, 1, 3, 2]),
        helper.make_node("MatMul", ["qh", "kt"], ["s"], name="qk"),
        helper.make_node("Softmax", ["s"], ["a"], axis=-1),
        helper.make_node("MatMul", ["a", "vh"], ["ctx"], name="av"),
        helper.make_node("Transpose", ["ctx"], ["ctx_t"], perm=[0, 2, 1, 3]),
        helper.make_node("Reshape", ["ctx_t", "flat_shape"], ["ctx2"]),
        helper.make_node("Concat", ["ctx2", "q"], ["cat"], axis=-1),
        helper.make_node("Transpose", ["cat"], ["cat_t"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["wl", "cat_t"], ["y"], name="left"),
    ]
    inits = [weight(f"w{t}", (d, d)) for t in "qkv"] + [
        numpy_helper.from_array(np.array([1, tokens, heads, dh], dtype=np.int64), "heads_shape"),
        numpy_helper.from_array(np.array([1, tokens, d], dtype=np.int64), "flat_shape"),
        weight("wl", (3, 2 * d))]
    return model(nodes, [value("x", [1, tokens, d])], [value("y", [1, 3, tokens])], inits, name="attn")


def test_matmul_weights_and_activation_heads():
    tokens, d, heads = 6, 8, 2
    net = from_onnx(attention_graph(tokens, d, heads))
    assert [l.name for l in net.layers] == ["q", "k", "v", "qk", "av", "left"]
    for name in "qkv":
        layer = net[name]
        assert (layer.kind, layer.G, layer.H, layer.macs, layer.weights) == (
            LayerKind.MATMUL, 1, tokens, tokens * d * d, d * d)
    qk, av = net["qk"], net["av"]
    assert (qk.G, qk.H, qk.C, qk.M) == (heads, tokens, d // heads, heads * tokens)
    assert qk.macs == av.macs == heads * tokens * tokens * (d // heads)
    left = net["left"]  # (3 x 2d) @ (2d x tokens): tokens are the columns
    assert (left.H, left.C, left.M, left.macs, left.weights) == (tokens, 2 * d, 3, tokens * 2 * d * 3, 3 * 2 * d)
    pred = {l.name: set(net.predecessors(l.name)) for l in net.layers}
    assert pred["qk"] == {"q", "k"} and pred["av"] == {"qk", "v"} and pred["left"] == {"av", "q"}


def test_unsupported_operators_named_with_the_file(tmp_path):
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
             helper.make_node("ConvTranspose", ["c", "wt"], ["u"], name="up"),
             helper.make_node("Einsum", ["u", "u"], ["y"], equation="bchw,bchw->bc")]
    m = model(nodes, [value("x", [1, 3, 8, 8])], [value("y", [1, 4])],
              [weight("w", (4, 3, 3, 3)), weight("wt", (4, 4, 2, 2))])
    path = tmp_path / "odd.onnx"
    onnx.save(m, path)
    with pytest.raises(StationaryError) as err:
        from_onnx(path)
    text = str(err.value)
    assert text.startswith(str(path)) and "2 unsupported operators" in text
    assert "ConvTranspose (node up)" in text and "Einsum (node Einsum_2)" in text


def test_a_file_round_trip_and_symbolic_batch(tmp_path):
    m = cnn_graph()
    m.graph.input[0].type.tensor_type.shape.dim[0].dim_param = "batch"
    path = tmp_path / "cnn.onnx"
    onnx.save(m, path)
    with pytest.raises(StationaryError, match=r"cnn.onnx: tensor x: field 'shape' = \['batch', 3, 16, 16\]"):
        from_onnx(path)
    net = from_onnx(str(path), name="mine", dims={"batch": 3})
    assert net.name == "mine" and net.layers[0].N == 3 and net.macs == 3 * from_onnx(cnn_graph()).macs


def test_auto_pad_same_and_1d_conv():
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="same", strides=[2, 2], auto_pad="SAME_UPPER"),
             helper.make_node("Reshape", ["c", "shape"], ["c1d"]),
             helper.make_node("Conv", ["c1d", "w1d"], ["y"], name="conv1d", pads=[2, 2], strides=[3])]
    inits = [weight("w", (4, 3, 3, 3)), weight("w1d", (5, 4, 5)),
             numpy_helper.from_array(np.array([1, 4, 25], dtype=np.int64), "shape")]
    net = from_onnx(model(nodes, [value("x", [1, 3, 9, 10])], [value("y", [1, 5, 9])], inits))
    same, c1d = net.layers
    assert (same.E, same.F) == (5, 5)                         # ceil(9 / 2), ceil(10 / 2)
    assert same.macs == 4 * 5 * 5 * 3 * 9
    assert (c1d.H, c1d.R, c1d.F) == (1, 1, 9)                 # floor((25 + 4 - 5) / 3) + 1
    assert c1d.macs == 5 * 9 * 4 * 5


def test_not_an_onnx_file(tmp_path):
    path = tmp_path / "junk.onnx"
    path.write_bytes(b"\x00 not a protobuf \xff" * 10)
    with pytest.raises(StationaryError, match="junk.onnx: not an ONNX model"):
        from_onnx(path)


def run_import(argv):
    """`stationary import ARGV` through the command's own parser (the frame maps StationaryError to status 2)."""
    import argparse
    from stationary.cli import import_
    parser = argparse.ArgumentParser(prog="stationary")
    import_.register(parser.add_subparsers())
    args = parser.parse_args(["import", *argv])
    return args.run(args)


def test_import_command_writes_a_network_file_that_reads_back(tmp_path, capsys):
    from stationary.workload.files import load_network_yaml
    m = cnn_graph()
    m.graph.input[0].type.tensor_type.shape.dim[0].dim_param = "N"
    onnx.save(m, tmp_path / "cnn.onnx")
    out = tmp_path / "cnn.yaml"
    assert run_import([str(tmp_path / "cnn.onnx"), "-o", str(out), "--dim", "N=2"]) == 0
    assert load_network_yaml(out) == from_onnx(tmp_path / "cnn.onnx", dims={"N": 2})
    assert "wrote" in capsys.readouterr().err
    assert run_import([str(tmp_path / "cnn.onnx"), "--dim", "N=1"]) == 0
    assert "name: conv1, kind: conv" in capsys.readouterr().out
    with pytest.raises(StationaryError, match="field '--dim' = 'N'"):
        run_import([str(tmp_path / "cnn.onnx"), "--dim", "N"])


def test_import_command_reports_unsupported_operators(tmp_path):
    m = model([helper.make_node("Einsum", ["x", "x"], ["y"], equation="ij,ij->i")],
              [value("x", [2, 3])], [value("y", [2])])
    onnx.save(m, tmp_path / "e.onnx")
    with pytest.raises(StationaryError, match=r"e.onnx: model g: 1 unsupported operator .*Einsum \(node Einsum_0\)"):
        run_import([str(tmp_path / "e.onnx")])
