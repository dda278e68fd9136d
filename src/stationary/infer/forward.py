"""The numpy reference forward pass: layer by layer, vectorized (im2col by strided views + einsum).

Padding is the Layer's total ``pad_h``/``pad_w``: ``pad // 2`` rows on top, the rest at the bottom (a
negative pad trims trailing rows the stride never reaches). ``forward`` returns every layer's input,
pre-activation output (MACs + bias) and output after the post ops, so statistics see real data.

>>> from stationary.workload import Network, conv
>>> from stationary.infer.model import Model
>>> net = Network("one", (conv("c", 1, 1, 3, 2),))
>>> w = np.ones((1, 1, 2, 2), np.float32), np.zeros(1, np.float32)
>>> x = np.arange(9, dtype=np.float32).reshape(1, 1, 3, 3)
>>> run(Model(net, ((),), {"c": w}), x)[0, 0]
array([[ 8., 12.],
       [20., 24.]], dtype=float32)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from stationary.core import StationaryError
from stationary.infer.model import Model, Op, OpKind
from stationary.workload import Layer, LayerKind

# an activation hook: (layer name, the layer's input) -> the input the layer actually reads
ActHook = Callable[[str, np.ndarray], np.ndarray]
# a weight transform: (layer name, weight) -> the weight the layer uses
WeightHook = Callable[[str, np.ndarray], np.ndarray]


@dataclass(frozen=True, slots=True)
class LayerActivations:
    """One layer's data on a batch: its input, its MAC output plus bias, and its output after the post ops."""
    name: str
    ifmap: np.ndarray
    preact: np.ndarray
    ofmap: np.ndarray


def pad_input(x: np.ndarray, layer: Layer) -> np.ndarray:
    """Pad (or trim) an N x C x H x W batch as the layer's total pad_h/pad_w says."""
    out = x
    for axis, pad in ((2, layer.pad_h), (3, layer.pad_w)):
        if pad > 0:
            widths = [(0, 0)] * 4
            widths[axis] = (pad // 2, pad - pad // 2)
            out = np.pad(out, widths)
        elif pad < 0:
            out = np.take(out, np.arange(out.shape[axis] + pad), axis=axis)
    return out


def conv_layer(x: np.ndarray, w: np.ndarray, layer: Layer) -> np.ndarray:
    """Grouped, strided, dilated convolution (no bias): N x (G C) x H x W -> N x M x E x F."""
    n = x.shape[0]
    g, c, mg = layer.G, layer.C, layer.M_per_group
    d, u = layer.dilation, layer.U
    xp = pad_input(x, layer)
    span_r, span_s = d * (layer.R - 1) + 1, d * (layer.S - 1) + 1
    win = np.lib.stride_tricks.sliding_window_view(xp, (span_r, span_s), axis=(2, 3))
    win = win[:, :, ::u, ::u, ::d, ::d][:, :, :layer.E, :layer.F]       # N, GC, E, F, R, S
    win = win.reshape(n, g, c, layer.E, layer.F, layer.R, layer.S)
    wg = w.reshape(g, mg, c, layer.R, layer.S)
    out = np.einsum("ngcefrs,gmcrs->ngmef", win, wg, optimize=True)
    return out.reshape(n, layer.M, layer.E, layer.F)


def mac_layer(x: np.ndarray, w: np.ndarray, layer: Layer) -> np.ndarray:
    """The layer's MACs (no bias) on a batch; FC layers flatten their input first."""
    if layer.kind is LayerKind.FC:
        return x.reshape(x.shape[0], -1) @ w.T
    if layer.kind is LayerKind.CONV:
        return conv_layer(x, w, layer)
    raise StationaryError("only conv and fc layers run here", where=f"layer {layer.name}", field="kind",
                          value=layer.kind.value)


def apply_op(x: np.ndarray, op: Op) -> np.ndarray:
    if op.kind is OpKind.RELU:
        return np.maximum(x, 0)
    if op.kind is OpKind.FLATTEN:
        return x.reshape(x.shape[0], -1)
    win = np.lib.stride_tricks.sliding_window_view(x, (op.size, op.size), axis=(2, 3))
    win = win[:, :, ::op.stride, ::op.stride]
    return win.max(axis=(4, 5)) if op.kind is OpKind.MAXPOOL else win.mean(axis=(4, 5), dtype=x.dtype)


def forward(model: Model, x: np.ndarray, *, dtype=np.float32, act_hook: ActHook | None = None,
            weight_hook: WeightHook | None = None) -> tuple[LayerActivations, ...]:
    """Run ``model`` on the batch ``x`` (N x C x H x W) and return every layer's activations.

    ``dtype`` is float32 or float64; ``act_hook`` may change each layer's input (activation quantization)
    and ``weight_hook`` each layer's weights.
    """
    if np.dtype(dtype) not in (np.float32, np.float64):
        raise StationaryError("dtype must be float32 or float64", field="dtype", value=str(dtype))
    x = np.asarray(x, dtype=dtype)
    if x.shape[1:] != model.input_shape:
        raise StationaryError(f"input batch must be N x {' x '.join(map(str, model.input_shape))}",
                              where=f"network {model.network.name}", field="shape", value=x.shape)
    records = []
    for layer, post in zip(model.network.layers, model.post):
        w, b = model.weights[layer.name]
        w = weight_hook(layer.name, w) if weight_hook else w
        if act_hook:
            x = act_hook(layer.name, x).astype(dtype, copy=False)
        pre = mac_layer(x, np.asarray(w, dtype), layer)
        pre += np.asarray(b, dtype).reshape((1, -1) + (1,) * (pre.ndim - 2))
        out = pre
        for op in post:
            out = apply_op(out, op)
        records.append(LayerActivations(layer.name, x, pre, out))
        x = out
    return tuple(records)


def run(model: Model, x: np.ndarray, **kwargs) -> np.ndarray:
    """The network's output (the last layer's activation after its post ops)."""
    return forward(model, x, **kwargs)[-1].ofmap


def predict(model: Model, x: np.ndarray, *, batch_size: int = 500, **kwargs) -> np.ndarray:
    """Predicted class per input (argmax of the output), computed in batches."""
    return np.concatenate([run(model, x[i:i + batch_size], **kwargs).argmax(axis=1)
                           for i in range(0, len(x), batch_size)])


def accuracy(model: Model, x: np.ndarray, y: np.ndarray, **kwargs) -> float:
    """Fraction of inputs classified correctly."""
    return float(np.mean(predict(model, x, **kwargs) == np.asarray(y)))
