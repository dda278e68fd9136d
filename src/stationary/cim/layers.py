"""Layers on a CIM macro: real weights and activations quantized to the macro's codes with
:mod:`stationary.precision`, convolutions lowered to their GEMM (im2col: one row per output pixel, one column
per ``(c, r, s)``), FC layers as they are, and a whole trained :class:`Model` run through the macro.

>>> import numpy as np
>>> from stationary.workload import conv
>>> layer = conv("c", 2, 1, 4, 3)                        # 1 x 4 x 4 input, 2 filters 3 x 3 -> 2 x 2 x 2
>>> x = np.arange(16, dtype=float).reshape(1, 1, 4, 4)
>>> lower(x, layer).shape                                # E F = 4 rows, C R S = 9 columns
(4, 9)
>>> codes, scale = weight_codes(np.array([[0.5, -1.0], [0.25, 0.0]]), bits=3)
>>> codes.tolist(), scale                                # 3-bit symmetric: steps of 1/3
([[2, -3], [1, 0]], 0.3333333333333333)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stationary.cim.actions import Actions
from stationary.cim.array import Programmed, program, read
from stationary.cim.macro import Encoding, Macro
from stationary.core import StationaryError
from stationary.infer.forward import apply_op, pad_input
from stationary.infer.model import Model
from stationary.precision.quantizers import binary, fixed_point
from stationary.workload import Layer, LayerKind


def lower(x: np.ndarray, layer: Layer) -> np.ndarray:
    """The layer's input as its GEMM operand: (N E F) x (C R S) for conv, N x C for FC."""
    if layer.kind is LayerKind.FC:
        return x.reshape(x.shape[0], -1)
    if layer.kind is not LayerKind.CONV or layer.G != 1:
        raise StationaryError("only ungrouped conv and FC layers run on a CIM macro", where=f"layer {layer.name}",
                              field="kind", value=f"{layer.kind.value} G={layer.G}")
    d, u = layer.dilation, layer.U
    xp = pad_input(x, layer)
    win = np.lib.stride_tricks.sliding_window_view(xp, (d * (layer.R - 1) + 1, d * (layer.S - 1) + 1), axis=(2, 3))
    win = win[:, :, ::u, ::u, ::d, ::d][:, :, :layer.E, :layer.F]          # N C E F R S
    return win.transpose(0, 2, 3, 1, 4, 5).reshape(x.shape[0] * layer.E * layer.F, -1)


def weight_matrix(w: np.ndarray) -> np.ndarray:
    """A layer's weights (M x C [x R x S]) as the GEMM's K x N matrix, rows in lowering's (c, r, s) order."""
    return w.reshape(w.shape[0], -1).T


def weight_codes(w: np.ndarray, bits: int) -> tuple[np.ndarray, float]:
    """Integer codes and the scale (value = code x scale): ``bits``-bit symmetric fixed point
    (:func:`stationary.precision.fixed_point`), or +/-1 with the mean magnitude for 1 bit (``binary``)."""
    w = np.asarray(w, np.float64)
    if bits == 1:
        q = binary(w)
        scale = float(np.abs(q).max()) or 1.0
    else:
        q = fixed_point(w, bits)
        scale = float(np.abs(w).max()) / ((1 << (bits - 1)) - 1) or 1.0
    return np.rint(q / scale).astype(np.int64), scale


def input_codes(x: np.ndarray, bits: int, max_abs: float) -> tuple[np.ndarray, float]:
    """Unsigned ``bits``-bit codes of non-negative activations over ``[0, max_abs]`` and the scale."""
    if np.any(np.asarray(x) < 0):
        raise StationaryError("CIM row inputs are unsigned: the layer's input has negative values",
                              field="inputs", value=float(np.min(x)))
    scale = (max_abs or 1.0) / ((1 << bits) - 1)
    q = fixed_point(np.asarray(x, np.float64), bits, signed=False, max_abs=max_abs or 1.0)
    return np.rint(q / scale).astype(np.int64), scale


def code_bits(macro: Macro) -> int:
    """The signed bit width of the weight codes a macro holds (sign-magnitude: magnitude bits + 1)."""
    return macro.weight_bits if macro.encoding is Encoding.OFFSET or macro.weight_bits == 1 \
        else macro.magnitude_bits + 1


@dataclass(frozen=True, slots=True)
class DeployedLayer:
    """A layer's weights written into a macro, with the scales that turn results back into real values."""
    layer: Layer
    programmed: Programmed
    weight_scale: float
    bias: np.ndarray
    input_max: float

    def __call__(self, x: np.ndarray, rng: np.random.Generator | None = None) -> tuple[np.ndarray, Actions]:
        """The layer's pre-activation output (MACs + bias) on a batch, computed by the macro, and its actions."""
        m = self.programmed.macro
        rows = lower(x, self.layer)
        codes, x_scale = input_codes(rows, m.input_bits, self.input_max)
        y, actions = read(self.programmed, codes, rng)
        y = y * (x_scale * self.weight_scale) + self.bias
        if self.layer.kind is LayerKind.CONV:
            y = y.reshape(x.shape[0], self.layer.E, self.layer.F, -1).transpose(0, 3, 1, 2)
        return y, actions


def deploy_layer(macro: Macro, layer: Layer, w: np.ndarray, b: np.ndarray, input_max: float,
                 seed_offset: int = 0) -> DeployedLayer:
    codes, scale = weight_codes(weight_matrix(np.asarray(w)), code_bits(macro))
    prog = program(macro, codes, seed_offset=seed_offset, where=f"layer {layer.name}")
    return DeployedLayer(layer, prog, scale, np.asarray(b, np.float64), float(input_max))


def deploy(model: Model, macro: Macro, input_max: dict[str, float]) -> tuple[DeployedLayer, ...]:
    """Every layer of ``model`` written into its own arrays of ``macro`` (each with its own fabricated cells)."""
    return tuple(deploy_layer(macro, layer, *model.weights[layer.name], input_max[layer.name], seed_offset=i)
                 for i, layer in enumerate(model.network.layers))


def run_model(model: Model, deployed: tuple[DeployedLayer, ...], x: np.ndarray,
              rng: np.random.Generator | None = None) -> tuple[np.ndarray, Actions]:
    """The network's output on the batch ``x`` with every layer on the macro, and the actions of the batch."""
    total = Actions()
    out = np.asarray(x, np.float64)
    for layer_on_macro, post in zip(deployed, model.post):
        out, acts = layer_on_macro(out, rng)
        total = total + acts
        for op in post:
            out = apply_op(out, op)
    return out, total
