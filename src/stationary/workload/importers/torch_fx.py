"""Import a PyTorch ``nn.Module`` as a :class:`Network`, through ``torch.fx`` and shape propagation.

The module is traced symbolically, run once on a zero tensor of the example input shape
(``ShapeProp``) so that every node knows its shape, and walked in order: ``Conv1d``/``Conv2d``
(``F.conv1d``/``F.conv2d``), ``Linear`` (``F.linear``), ``matmul``/``bmm``/``mm``/``@`` and
``F.scaled_dot_product_attention`` become layers; the operators in the tables below do no MACs and
pass through; anything else is listed in one :class:`StationaryError`, never dropped. torch is imported
only when :func:`from_torch` runs (``pip install 'stationary[torch]'``).

>>> sorted(PASS_MODULES & {"ReLU", "LayerNorm", "MaxPool2d"})
['LayerNorm', 'MaxPool2d', 'ReLU']
"""
from __future__ import annotations

from stationary.core import StationaryError
from stationary.workload.importers.graph import (INPUT, Unsupported, assemble, check_output, conv_layer,
                                                  linear_layer, matmul_layer, union, unique_name)
from stationary.workload.layer import Layer
from stationary.workload.network import Network

# torch.nn leaf modules that do no MACs (activations, normalization, pooling, reshaping, regularization).
PASS_MODULES = frozenset({
    "ReLU", "ReLU6", "LeakyReLU", "PReLU", "ELU", "SELU", "CELU", "GELU", "SiLU", "Mish", "Sigmoid", "Tanh",
    "Hardswish", "Hardsigmoid", "Hardtanh", "Softplus", "Softmax", "LogSoftmax", "Softmax2d",
    "BatchNorm1d", "BatchNorm2d", "LayerNorm", "GroupNorm", "InstanceNorm1d", "InstanceNorm2d", "RMSNorm",
    "LocalResponseNorm", "MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d", "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "Dropout", "Dropout1d", "Dropout2d",
    "AlphaDropout", "Identity", "Flatten", "Unflatten", "ZeroPad2d", "ConstantPad2d", "ReflectionPad2d",
    "ReplicationPad2d", "Upsample", "UpsamplingNearest2d", "PixelShuffle", "ChannelShuffle",
})
# functions (by __name__: torch.*, torch.nn.functional.*, operator.*, builtins) and Tensor methods that do
# no MACs: element-wise arithmetic, activations, normalization, pooling, shape and indexing.
PASS_CALLS = frozenset({
    "add", "sub", "mul", "truediv", "div", "floordiv", "neg", "pow", "sqrt", "rsqrt", "exp", "log", "abs",
    "iadd", "imul", "clamp", "clip", "maximum", "minimum", "where", "masked_fill", "masked_fill_", "tril",
    "triu", "relu", "relu_", "relu6", "leaky_relu", "gelu", "silu", "sigmoid", "tanh", "hardswish",
    "hardsigmoid", "hardtanh", "elu", "softplus", "mish", "softmax", "log_softmax", "dropout",
    "batch_norm", "layer_norm", "group_norm", "instance_norm", "rms_norm", "normalize", "max_pool1d",
    "max_pool2d", "avg_pool1d", "avg_pool2d", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
    "adaptive_max_pool2d", "interpolate", "pad", "mean", "sum", "amax", "max", "min", "cat", "concat",
    "stack", "flatten", "unflatten", "view", "reshape", "permute", "transpose", "t", "contiguous",
    "squeeze", "unsqueeze", "expand", "expand_as", "repeat", "chunk", "split", "unbind", "narrow",
    "getitem", "getattr", "size", "dim", "to", "type", "float", "half", "clone", "detach", "zeros_like",
    "ones_like", "flip", "roll", "eq", "ne", "lt", "gt", "le", "ge", "scale", "__getitem__",
})
MATMUL_CALLS = frozenset({"matmul", "bmm", "mm", "__matmul__"})


def from_torch(module, input_shape: tuple[int, ...], name: str | None = None) -> Network:
    """The network of ``module`` run on an input of ``input_shape`` (batch first, e.g. ``(1, 3, 224, 224)``).

    Layer names are the modules' qualified names (``layer1.0.conv1``) or the fx node names for functions
    (``matmul_1``); each layer's ``inputs`` are the nearest layers feeding it, so a residual shortcut shows
    up as a second input.

    >>> try:
    ...     import torch
    ... except ImportError:
    ...     torch = None
    >>> torch is None or from_torch(torch.nn.Conv2d(3, 8, 3, stride=2), (1, 3, 9, 9)).layers[0].E == 4
    True
    """
    try:
        import torch
        import torch.fx
        from torch.fx.passes.shape_prop import ShapeProp
    except ImportError as err:
        raise StationaryError("importing a PyTorch module needs torch (pip install 'stationary[torch]')",
                              field="torch", value=str(err)) from None
    name = name or type(module).__name__
    source = f"{type(module).__name__} (torch.fx)"
    try:
        graph_module = torch.fx.symbolic_trace(module)
        placeholders = [n for n in graph_module.graph.nodes if n.op == "placeholder"]
        if len(placeholders) != 1:
            raise StationaryError(f"forward takes {len(placeholders)} inputs; only one input is supported",
                                  source=source, field="input_shape", value=input_shape)
        modes = {m: m.training for m in graph_module.modules()}  # shared with the caller's module
        try:
            with torch.no_grad():
                ShapeProp(graph_module.eval()).propagate(torch.zeros(tuple(input_shape)))
        finally:
            for m, training in modes.items():
                m.training = training
    except StationaryError:
        raise
    except Exception as err:  # tracing or running raises many types; all mean "cannot read this module"
        raise StationaryError(f"torch.fx could not trace and run the module: {type(err).__name__}: {err}",
                              source=source, field="input_shape", value=input_shape) from None
    layers, unsupported = _walk(graph_module)
    shape = tuple(input_shape)
    return assemble(name, layers, unsupported, source=source,
                    input_shape=tuple(shape[1:]) if len(shape) == 4 else None)


def _walk(graph_module) -> tuple[list[tuple[Layer, frozenset[str]]], list[str]]:
    modules = dict(graph_module.named_modules())
    sources: dict = {}
    layers: list[tuple[Layer, frozenset[str]]] = []
    unsupported: list[str] = []
    taken: set[str] = set()

    def fed_by(*values) -> frozenset[str]:
        return union(sources.get(n, frozenset()) for n in _nodes_in(values))

    for node in graph_module.graph.nodes:
        if node.op in ("placeholder", "get_attr", "output"):
            sources[node] = frozenset({INPUT}) if node.op == "placeholder" else frozenset()
            continue
        is_module = node.op == "call_module"
        kind = type(modules[node.target]).__name__ if is_module else _call_name(node.target)
        try:
            made = _layers(node, kind, modules[node.target] if is_module else None, taken, fed_by)
            if made is None and kind not in (PASS_MODULES if is_module else PASS_CALLS):
                raise Unsupported()
        except Unsupported as why:
            unsupported.append(f"{kind} (node {node.name}{': ' * bool(str(why))}{why})")
            made = None
        layers.extend(made or ())
        sources[node] = frozenset({made[-1][0].name}) if made else fed_by(node.args, node.kwargs)
    return layers, unsupported


def _layers(node, kind: str, module, taken: set[str], fed_by):
    """The layers a node makes, each with its sources, or None for a node without MACs."""
    shape, label = _shape_of, lambda: unique_name(str(node.target) if module else node.name, taken)
    if kind in ("Conv1d", "Conv2d"):
        layer = _conv(label(), shape(node.args[0]), module.out_channels, module.kernel_size, module.stride,
                      module.padding, module.dilation, module.groups)
    elif kind == "Linear":
        layer = linear_layer(label(), shape(node.args[0]), module.out_features)
    elif module is not None:
        return None
    elif kind in ("conv1d", "conv2d"):
        args = _arguments(node, ("input", "weight", "bias", "stride", "padding", "dilation", "groups"),
                          {"stride": 1, "padding": 0, "dilation": 1, "groups": 1})
        w = shape(args["weight"])
        layer = _conv(label(), shape(args["input"]), w[0], w[2:], args["stride"], args["padding"],
                      args["dilation"], args["groups"])
    elif kind == "linear":
        args = _arguments(node, ("input", "weight"), {})
        layer = linear_layer(label(), shape(args["input"]), shape(args["weight"])[0])
    elif kind in MATMUL_CALLS:
        a, b = node.args[:2]
        shared_weight = getattr(b, "op", None) == "get_attr" and len(shape(b)) == 2
        layer = (linear_layer(label(), shape(a), shape(b)[-1]) if shared_weight
                 else matmul_layer(label(), shape(a), shape(b)))
    elif kind == "scaled_dot_product_attention":
        return _attention(node, taken, fed_by)
    else:
        return None
    check_output(layer, shape(node))
    return [(layer, fed_by(node.args, node.kwargs))]


def _attention(node, taken: set[str], fed_by):
    """softmax(Q K^T) V as two matmuls with the heads as groups: Q K^T, then the scores times V."""
    q, k, v = node.args[:3]
    q_shape, k_shape, v_shape = _shape_of(q), _shape_of(k), _shape_of(v)
    k_transposed = (*k_shape[:-2], k_shape[-1], k_shape[-2])
    qk = matmul_layer(unique_name(f"{node.name}_qk", taken), q_shape, k_transposed)
    scores = (*q_shape[:-1], k_shape[-2])
    av = matmul_layer(unique_name(f"{node.name}_av", taken), scores, v_shape)
    return [(qk, fed_by(q, k)), (av, frozenset({qk.name}) | fed_by(v))]


def _conv(label: str, in_shape, filters: int, kernel, stride, padding, dilation, groups: int) -> Layer:
    one_d = len(in_shape) == 3  # (batch, channels, length): H = R = 1

    def pair(value, h_value: int = 1) -> tuple[int, int]:
        return (h_value, *_tuple(value, 1)) if one_d else _tuple(value, 2)

    kernel, stride, dilation = pair(kernel), pair(stride), pair(dilation)
    if padding == "valid":
        pads = (0, 0)
    elif padding == "same":  # torch allows it at stride 1 only: pads the filter's span minus one
        pads = tuple(d * (k - 1) for d, k in zip(dilation, kernel))
    else:
        pads = tuple(2 * p for p in pair(padding, 0))
    size = (1, in_shape[2]) if one_d else tuple(in_shape[2:4])
    return conv_layer(label, batch=in_shape[0], channels=in_shape[1], size=size, filters=filters, kernel=kernel,
                      stride=stride, pad=pads, dilation=dilation, groups=groups)


def _tuple(value, n: int) -> tuple[int, ...]:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * n


def _shape_of(node) -> tuple[int, ...]:
    meta = getattr(node, "meta", {}).get("tensor_meta")
    if meta is None or not hasattr(meta, "shape"):
        raise Unsupported("no tensor shape known for this operand")
    return tuple(int(d) for d in meta.shape)


def _arguments(node, names: tuple[str, ...], defaults: dict) -> dict:
    args = dict(defaults)
    args.update(zip(names, node.args))
    args.update(node.kwargs)
    return args


def _call_name(target) -> str:
    return target if isinstance(target, str) else getattr(target, "__name__", str(target))


def _nodes_in(value):
    """The fx nodes inside nested args/kwargs."""
    if hasattr(value, "op") and hasattr(value, "meta"):
        yield value
    elif isinstance(value, (tuple, list)):
        for v in value:
            yield from _nodes_in(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _nodes_in(v)
