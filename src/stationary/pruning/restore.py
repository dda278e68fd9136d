"""Least-squares restoration (Yang et al., CVPR 2017, local fine-tuning): after a layer's weights are pruned, the
weights it keeps are refit, in closed form, so that the layer's output on a calibration batch stays as close as
possible to the unpruned network's output.

For every output channel m with kept weights K: ``w_K = argmin |X_K w - (y_m - b_m)|^2 + ridge |w|^2``, where X
holds the layer's inputs (im2col rows for a conv layer) as the pruned network computes them and y the original
network's pre-activation outputs. One Gram matrix per layer; one small solve per channel.

>>> import numpy as np
>>> from stationary.workload import Network, fc
>>> from stationary.infer.model import Model
>>> net = Network("t", (fc("f", 2, 3),))
>>> w = np.array([[1.0, 0.5, 2.0], [0.0, -1.0, 1.0]], np.float32)
>>> x = np.random.default_rng(0).random((50, 3), dtype=np.float32)
>>> x[:, 1] = x[:, 0]                         # input 1 copies input 0: dropping w[0, 1] loses nothing
>>> orig = Model(net, ((),), {"f": (w, np.zeros(2, np.float32))})
>>> mask = {"f": np.array([[1, 0, 1], [0, 1, 1]], bool)}
>>> fixed = restore_layer(orig, orig, "f", mask["f"], x.reshape(50, 3, 1, 1), ridge=0.0)
>>> np.round(fixed.weights["f"][0], 3).tolist()
[[1.5, 0.0, 2.0], [0.0, -1.0, 1.0]]
"""
from __future__ import annotations

import numpy as np

from stationary.core import StationaryError
from stationary.infer.forward import forward, pad_input
from stationary.infer.model import Model
from stationary.workload import Layer, LayerKind


def im2col(x: np.ndarray, layer: Layer) -> np.ndarray:
    """The layer's input as rows of (C x R x S) windows, one per output position: (N E F) x (C R S)."""
    if layer.kind is LayerKind.FC:
        return x.reshape(x.shape[0], -1)
    if layer.G != 1:
        raise StationaryError("least-squares restoration handles ungrouped conv layers", where=f"layer {layer.name}",
                              field="G", value=layer.G)
    d, u = layer.dilation, layer.U
    xp = pad_input(x, layer)
    span_r, span_s = d * (layer.R - 1) + 1, d * (layer.S - 1) + 1
    win = np.lib.stride_tricks.sliding_window_view(xp, (span_r, span_s), axis=(2, 3))
    win = win[:, :, ::u, ::u, ::d, ::d][:, :, :layer.E, :layer.F]       # N, C, E, F, R, S
    return win.transpose(0, 2, 3, 1, 4, 5).reshape(-1, layer.C * layer.R * layer.S)


def restore_layer(model: Model, original: Model, name: str, mask: np.ndarray, inputs: np.ndarray, *,
                  ridge: float = 1e-3) -> Model:
    """``model`` with layer ``name`` pruned to ``mask`` and its kept weights refit by least squares on ``inputs``."""
    index = [layer.name for layer in model.network.layers].index(name)
    layer = model.network.layers[index]
    x_new = forward(model, inputs)[index].ifmap if index else np.asarray(inputs, np.float32)
    target = forward(original, inputs)[index].preact
    w, b = model.weights[name]
    cols = im2col(np.asarray(x_new, np.float64), layer)
    y = np.asarray(target, np.float64)
    y = y.reshape(y.shape[0], -1) if layer.kind is LayerKind.FC else y.transpose(0, 2, 3, 1).reshape(-1, layer.M)
    y = y - np.asarray(b, np.float64)
    gram, rhs = cols.T @ cols, cols.T @ y
    scale = max(float(np.trace(gram)) / len(gram), 1e-12)
    flat_mask = np.asarray(mask, bool).reshape(layer.M, -1)
    new = np.zeros_like(flat_mask, dtype=np.float64)
    for m in range(layer.M):
        keep = np.flatnonzero(flat_mask[m])
        if keep.size:
            g = gram[np.ix_(keep, keep)] + ridge * scale * np.eye(keep.size)
            try:
                new[m, keep] = np.linalg.solve(g, rhs[keep, m])
            except np.linalg.LinAlgError:   # ridge 0 and an input that is always zero: the least-norm fit
                new[m, keep] = np.linalg.lstsq(g, rhs[keep, m], rcond=None)[0]
    weights = dict(model.weights)
    weights[name] = (new.reshape(np.shape(w)).astype(np.float32), b)
    return model.with_weights(weights)
