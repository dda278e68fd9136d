"""What the PyTorch and ONNX importers share: layers from framework shapes, and the graph walk's bookkeeping.

An importer walks the framework's graph in topological order and keeps, for every value, its *sources*:
the names of the nearest MAC layers that produced it through operators doing no MACs (``INPUT`` stands for
the network input). A MAC operator becomes a :class:`Layer` whose inputs are its operands' sources, and its
output's sources are just itself; any other operator passes the union of its operands' sources on.

>>> from stationary.workload.builders import fc
>>> stem = conv_layer("stem", batch=1, channels=3, size=(8, 8), filters=4, kernel=(3, 3), pad=(2, 2))
>>> net = assemble("tiny", [(stem, frozenset({INPUT})), (fc("head", 10, 4 * 8 * 8), frozenset({"stem"}))],
...                [], source="tiny.py")
>>> net.inputs, net.macs == 4 * 3 * 8 * 8 * 9 + 10 * 256
(((), ()), True)
>>> assemble("bad", [(stem, frozenset({INPUT}))], ["Einsum (node e1)", "LSTM (node l1)"], source="bad.onnx")
Traceback (most recent call last):
...
stationary.core.StationaryError: bad.onnx: model bad: 2 unsupported operators (nothing was dropped; \
convert or remove them): Einsum (node e1), LSTM (node l1)
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from stationary.core import StationaryError, prod
from stationary.workload.builders import conv, fc, matmul
from stationary.workload.chain import chain_problems
from stationary.workload.layer import Layer, LayerKind
from stationary.workload.network import Network

INPUT = "<network input>"


class Unsupported(Exception):
    """A node the importer cannot convert; the message says why (collected, then reported all at once)."""


def union(source_sets: Iterable[frozenset[str]]) -> frozenset[str]:
    """The sources of a value computed from several values without MACs."""
    return frozenset().union(*source_sets)


def conv_layer(name: str, *, batch: int, channels: int, size: tuple[int, int], filters: int,
               kernel: tuple[int, int], stride: tuple[int, int] = (1, 1), pad: tuple[int, int] = (0, 0),
               dilation: tuple[int, int] = (1, 1), groups: int = 1) -> Layer:
    """A convolution from framework attributes: ``channels`` in total, ``pad`` the rows/columns added in
    total (both sides), output rounded down as frameworks do. A 1-D convolution is H = R = 1.

    Layer has one stride and one dilation: an axis where they differ must be trivial (one row, a 1-tall
    filter, no padding), as in a 1-D convolution, or the node is :class:`Unsupported`.

    >>> conv_layer("c", batch=1, channels=8, size=(7, 7), filters=8, kernel=(3, 3), stride=(2, 2),
    ...            pad=(1, 1), groups=8).E     # asymmetric padding, floor((7 + 1 - 3) / 2) + 1
    3
    """
    trivial = [n == 1 and k == 1 and p == 0 for n, k, p in zip(size, kernel, pad)]
    if not any(trivial):
        for axis, pair in (("stride", stride), ("dilation", dilation)):
            if pair[0] != pair[1]:
                raise Unsupported(f"unequal {axis} {tuple(pair)} (a Layer has one {axis})")
    stride_1, dilation_1 = (stride[0], dilation[0]) if trivial[1] else (stride[1], dilation[1])
    if channels % groups:
        raise Unsupported(f"{channels} input channels do not divide into {groups} groups")
    if pad[0] % 2 == 0 and pad[1] % 2 == 0:
        return conv(name, filters, channels // groups, size, kernel, stride=stride_1,
                    pad=(pad[0] // 2, pad[1] // 2), groups=groups, batch=batch, dilation=dilation_1, floor=True)
    trimmed = [p - (n + p - dilation_1 * (k - 1) - 1) % stride_1 for n, p, k in zip(size, pad, kernel)]
    return Layer(name, LayerKind.CONV, M=filters, C=channels // groups, H=size[0], W=size[1], R=kernel[0],
                 S=kernel[1], U=stride_1, N=batch, G=groups, pad_h=trimmed[0], pad_w=trimmed[1],
                 dilation=dilation_1)


def matmul_layer(name: str, a_shape: tuple[int, ...], b_shape: tuple[int, ...]) -> Layer:
    """``a @ b`` between two activations, numpy/torch broadcasting rules.

    Leading (batch) dimensions: with two or more, the first is the batch N and the rest are heads, which
    become groups G (each head has its own second operand); a single leading dimension is G (batch and
    heads cannot be told apart there; MACs are the same). When ``b`` has no leading dimensions of its own,
    it is shared, like weights: the leading dimensions of ``a`` are tokens instead.

    >>> matmul_layer("QK", (2, 12, 128, 64), (2, 12, 64, 128)).macs == 2 * 12 * 128 * 64 * 128
    True
    """
    a = (1, *a_shape) if len(a_shape) == 1 else tuple(a_shape)
    b = (*b_shape, 1) if len(b_shape) == 1 else tuple(b_shape)
    if a[-1] != b[-2]:
        raise Unsupported(f"inner dimensions differ: {tuple(a_shape)} @ {tuple(b_shape)}")
    tokens, d_in, d_out = a[-2], a[-1], b[-1]
    lead_a, lead_b = a[:-2], b[:-2]
    if all(d == 1 for d in lead_b):
        return linear_layer(name, (*lead_a, tokens, d_in), d_out)
    lead = _broadcast(lead_a, lead_b)
    batch, heads = (lead[0], prod(lead[1:])) if len(lead) >= 2 else (1, lead[0])
    return matmul(name, tokens=tokens, d_in=d_in, d_out=d_out, heads=heads, batch=batch)


def linear_layer(name: str, in_shape: tuple[int, ...], d_out: int) -> Layer:
    """A layer with weights of shape d_in x d_out applied to the last axis of ``in_shape``: fully
    connected on (batch, d_in), a matmul on (batch, tokens..., d_in) with the middle axes as tokens.

    >>> linear_layer("fc", (4, 512), 10).kind.value, linear_layer("qkv", (1, 16, 64), 192).macs
    ('fc', 196608)
    """
    if len(in_shape) == 1:
        return fc(name, d_out, in_shape[0])
    if len(in_shape) == 2:
        return fc(name, d_out, in_shape[1], batch=in_shape[0])
    return matmul(name, tokens=prod(in_shape[1:-1]), d_in=in_shape[-1], d_out=d_out, batch=in_shape[0])


def check_output(layer: Layer, out_shape: tuple[int, ...] | None) -> None:
    """The framework's output size must be the layer's E x F (a safeguard on the conversion)."""
    if out_shape is None or layer.kind is not LayerKind.CONV:
        return
    want = tuple(out_shape[2:]) if len(out_shape) == 4 else (1, *out_shape[2:])
    if want != (layer.E, layer.F):
        raise Unsupported(f"output {tuple(out_shape)} does not match the layer's E x F = {layer.E} x {layer.F}")


def assemble(name: str, layers: list[tuple[Layer, frozenset[str]]], unsupported: list[str], *, source: str,
             input_shape: tuple[int, int, int] | None = None) -> Network:
    """The network from the walk: each layer with the sources of its operands; every unsupported operator
    listed in one error. The network input is not a layer, so it is left out of ``inputs`` (a layer fed by
    it alone, after the first, reads as fed by the previous layer: :class:`Network` has no name for it)."""
    if unsupported:
        raise StationaryError(f"{len(unsupported)} unsupported operator{'s' * (len(unsupported) > 1)} "
                              f"(nothing was dropped; convert or remove them): {', '.join(unsupported)}",
                              source=source, where=f"model {name}")
    if not layers:
        raise StationaryError("no layer with MACs (Conv, Linear/Gemm, MatMul) found", source=source,
                              where=f"model {name}")
    order = [layer.name for layer, _ in layers]
    inputs = []
    for i, (layer, sources) in enumerate(layers):
        named = tuple(n for n in order[:i] if n in sources)
        inputs.append(() if named in ((), tuple(order[i - 1:i])) else named)
    net = Network(name, tuple(layer for layer, _ in layers), tuple(inputs), input_shape)
    # the graph's edges are real even where the chain rule cannot follow them (operators without MACs reshape
    # or merge tensors between layers): say so on those layers, so that the network file reads back
    why = (f"imported from {source}: its input reaches it through operators without MACs that reshape or merge "
           "tensors")
    return replace(net, unchained=tuple((layer, why) for layer, *_ in chain_problems(net)))


def unique_name(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted_2``, ``wanted_3``... when a layer of that name exists (a module called twice)."""
    name, k = wanted, 1
    while name in taken:
        k += 1
        name = f"{wanted}_{k}"
    taken.add(name)
    return name


def _broadcast(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    width = max(len(a), len(b))
    a, b = (1,) * (width - len(a)) + a, (1,) * (width - len(b)) + b
    return tuple(max(x, y) for x, y in zip(a, b))

