"""Import an ONNX model as a :class:`Network`, through ONNX shape inference.

``Conv`` (1-D and 2-D, grouped, strided, padded, dilated, ``auto_pad``), ``Gemm`` and ``MatMul`` become
layers: with one operand a weight (an initializer or a ``Constant``) a fully connected layer on 2-D
inputs or a token-wise matmul on 3-D ones; with both operands activations a matmul whose leading axes
are batch and heads (heads as groups). The operators in :data:`PASS_OPS` do no MACs and pass through;
any other is listed in one :class:`StationaryError` naming the file. onnx is imported only when
:func:`from_onnx` runs (``pip install 'stationary[onnx]'``).

>>> {"Relu", "Softmax", "Concat"} <= PASS_OPS, "Einsum" in PASS_OPS
(True, False)
"""
from __future__ import annotations

import os

from stationary.core import StationaryError, prod
from stationary.validation import check_int
from stationary.workload.builders import matmul
from stationary.workload.importers.graph import (INPUT, Unsupported, assemble, check_output, conv_layer,
                                                  linear_layer, matmul_layer, union, unique_name)
from stationary.workload.layer import Layer
from stationary.workload.network import Network

# ONNX operators that do no MACs: element-wise arithmetic, activations, normalization, pooling, shape,
# indexing and type plumbing.
PASS_OPS = frozenset({
    "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Reciprocal", "Neg", "Abs", "Exp", "Log", "Erf", "Max", "Min",
    "Mean", "Sum", "Clip", "Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Celu", "Gelu", "Sigmoid",
    "HardSigmoid", "HardSwish", "Tanh", "Softplus", "Mish", "Softmax", "LogSoftmax", "Dropout",
    "BatchNormalization", "LayerNormalization", "InstanceNormalization", "GroupNormalization",
    "RMSNormalization", "LRN", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "ReduceMean",
    "ReduceSum", "ReduceMax", "ReduceMin", "Concat", "Split", "Flatten", "Reshape", "Transpose", "Squeeze",
    "Unsqueeze", "Expand", "Slice", "Gather", "Shape", "Size", "Identity", "Cast", "CastLike", "Constant",
    "ConstantOfShape", "Range", "Where", "Equal", "Greater", "Less", "Not", "And", "Or", "Pad", "Resize",
    "Upsample", "Tile", "Trilu", "DepthToSpace", "SpaceToDepth",
})


def from_onnx(path_or_model, name: str | None = None, *, dims: dict[str, int] | None = None) -> Network:
    """The network of an ONNX file (a path) or ``onnx.ModelProto``.

    ``dims`` binds the graph inputs' symbolic dimensions (``{"batch": 1}``) before shape inference; a MAC
    operator whose shape is still symbolic is an error naming the tensor.

    >>> try:
    ...     from onnx import TensorProto, helper
    ... except ImportError:
    ...     helper = None
    >>> helper is None or from_onnx(helper.make_model(helper.make_graph(
    ...     [helper.make_node("MatMul", ["x", "w"], ["y"])], "g",
    ...     [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 16])],
    ...     [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 4])],
    ...     [helper.make_tensor("w", TensorProto.FLOAT, [16, 4], [0.0] * 64)]))).macs == 2 * 16 * 4
    True
    """
    try:
        import onnx
        from onnx import shape_inference
    except ImportError as err:
        raise StationaryError("importing an ONNX model needs onnx (pip install 'stationary[onnx]')",
                              field="onnx", value=str(err)) from None
    if isinstance(path_or_model, (str, os.PathLike)):
        source = os.fspath(path_or_model)
        try:
            model = onnx.load(source)
        except OSError:
            raise
        except Exception as err:  # protobuf decode errors have no common public base class
            raise StationaryError(f"not an ONNX model: {type(err).__name__}: {err}", source=source) from None
    elif isinstance(path_or_model, onnx.ModelProto):
        model = path_or_model
        source = f"ONNX model {model.graph.name or '(unnamed)'}"
    else:
        raise StationaryError("expected the path of an .onnx file or an onnx.ModelProto", field="model",
                              value=type(path_or_model).__name__)
    name = name or model.graph.name or os.path.splitext(os.path.basename(source))[0]
    try:
        graph = shape_inference.infer_shapes(_bound(model, dims or {}, onnx)).graph
    except Exception as err:  # onnx raises its own InferenceError and ValueError
        raise StationaryError(f"ONNX shape inference failed: {err}", source=source) from None
    return _convert(graph, name, source)


def _bound(model, dims: dict[str, int], onnx):
    """A copy of ``model`` with the graph inputs' symbolic dimensions named in ``dims`` set."""
    bound = onnx.ModelProto()
    bound.CopyFrom(model)
    symbolic = {dim.dim_param for value in bound.graph.input for dim in value.type.tensor_type.shape.dim
                if dim.HasField("dim_param")}
    for name, size in dims.items():
        check_int(size, f"dim {name}")
        if name not in symbolic:
            raise StationaryError(f"the model's inputs have no symbolic dimension of this name (they have: "
                                  f"{', '.join(sorted(symbolic)) or 'none'})", field="dim", value=name)
    for value in bound.graph.input:
        for dim in value.type.tensor_type.shape.dim:
            if dim.HasField("dim_param") and dim.dim_param in dims:
                dim.dim_value = int(dims[dim.dim_param])
    return bound


def _convert(graph, name: str, source: str) -> Network:
    weights = {t.name: tuple(t.dims) for t in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant":
            value = next((a.t for a in node.attribute if a.name == "value"), None)
            if value is not None:
                weights[node.output[0]] = tuple(value.dims)
    shapes = {v.name: _dims(v) for v in (*graph.input, *graph.value_info, *graph.output)}
    shapes.update(weights)
    net_inputs = [v.name for v in graph.input if v.name not in weights]
    sources = {n: frozenset({INPUT}) for n in net_inputs}
    layers: list[tuple[Layer, frozenset[str]]] = []
    unsupported: list[str] = []
    taken: set[str] = set()

    def shape(tensor: str) -> tuple[int, ...]:
        dims = shapes.get(tensor)
        if dims is None:
            raise Unsupported(f"no shape inferred for {tensor!r}")
        if not all(isinstance(d, int) for d in dims):
            raise StationaryError("symbolic dimension left after shape inference; bind it with "
                                  "from_onnx(..., dims={...})", source=source, where=f"tensor {tensor}",
                                  field="shape", value=list(dims))
        return dims

    for index, node in enumerate(graph.node):
        label = node.name or f"{node.op_type}_{index}"
        fed_by = union(sources.get(i, frozenset()) for i in node.input if i)
        try:
            layer = _layer(node, unique_name(label, taken), shape, weights) if node.op_type in _MAKERS else None
            if layer is None and node.op_type not in PASS_OPS:
                raise Unsupported()
            if layer is not None:
                check_output(layer, shapes.get(node.output[0]))
        except Unsupported as why:
            unsupported.append(f"{node.op_type} (node {label}{': ' * bool(str(why))}{why})")
            layer = None
        if layer is not None:
            layers.append((layer, fed_by))
        for out in node.output:
            sources[out] = frozenset({layer.name}) if layer is not None else fed_by
    first = shapes.get(net_inputs[0]) if net_inputs else None
    input_shape = tuple(first[1:]) if first and len(first) == 4 and all(isinstance(d, int) for d in first) else None
    return assemble(name, layers, unsupported, source=source, input_shape=input_shape)


def _layer(node, label: str, shape, weights: dict) -> Layer:
    attrs = {a.name: _attribute(a) for a in node.attribute}
    return _MAKERS[node.op_type](label, list(node.input), attrs, shape, weights)


def _conv(label, inputs, attrs, shape, weights) -> Layer:
    x, w = shape(inputs[0]), shape(inputs[1])
    spatial = len(x) - 2
    if spatial not in (1, 2):
        raise Unsupported(f"{spatial}-D convolution (1-D and 2-D only)")
    lift = (lambda v, h: (h, *v)) if spatial == 1 else (lambda v, h: tuple(v))  # 1-D: H = R = 1
    kernel = lift(attrs.get("kernel_shape", w[2:]), 1)
    stride = lift(attrs.get("strides", (1,) * spatial), 1)
    dilation = lift(attrs.get("dilations", (1,) * spatial), 1)
    size = lift(x[2:], 1)
    auto_pad = attrs.get("auto_pad", "NOTSET")
    if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        pads = tuple(max((-(-n // s) - 1) * s + d * (k - 1) + 1 - n, 0)
                     for n, s, d, k in zip(size, stride, dilation, kernel))
    else:
        begin_end = attrs.get("pads", (0,) * 2 * spatial) if auto_pad != "VALID" else (0,) * 2 * spatial
        pads = lift([begin_end[i] + begin_end[i + spatial] for i in range(spatial)], 0)
    return conv_layer(label, batch=x[0], channels=x[1], size=size, filters=w[0], kernel=kernel, stride=stride,
                      pad=pads, dilation=dilation, groups=attrs.get("group", 1))


def _gemm(label, inputs, attrs, shape, weights) -> Layer:
    a, b = shape(inputs[0]), shape(inputs[1])
    a = a[::-1] if attrs.get("transA", 0) else a
    b = b[::-1] if attrs.get("transB", 0) else b
    return _product(label, inputs, a, b, weights)


def _matmul(label, inputs, attrs, shape, weights) -> Layer:
    return _product(label, inputs, shape(inputs[0]), shape(inputs[1]), weights)


def _product(label: str, inputs, a: tuple[int, ...], b: tuple[int, ...], weights: dict) -> Layer:
    """a @ b: weights on the right (x W) are a linear layer, on the left (W x) a matmul whose tokens are
    the columns of x; two activations a matmul with heads."""
    if inputs[1] in weights and len(b) == 2:
        return linear_layer(label, a, b[1])
    if inputs[0] in weights and len(a) == 2 and len(b) >= 2:
        return matmul(label, tokens=b[-1], d_in=a[1], d_out=a[0], batch=prod(b[:-2]))
    return matmul_layer(label, a, b)


_MAKERS = {"Conv": _conv, "Gemm": _gemm, "MatMul": _matmul}


def _attribute(attr):
    from onnx import helper
    value = helper.get_attribute_value(attr)
    return value.decode() if isinstance(value, bytes) else value


def _dims(value_info) -> tuple | None:
    tensor_type = value_info.type.tensor_type
    if not tensor_type.HasField("shape"):
        return None
    return tuple(d.dim_value if d.HasField("dim_value") else (d.dim_param or "?") for d in tensor_type.shape.dim)
