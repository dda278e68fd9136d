"""Number formats the simulator computes in, and a reference convolution written straight from the definition.

``Precision.float64()``: IEEE doubles (equal to the reference to rounding). ``Precision.fixed()``: Eyeriss's 16-bit
fixed-point operands with *wide* accumulation: the 32-bit products are summed exactly (in 64 bits), so any mapping
gives the reference's result bit for bit. ``Precision.fixed(accumulator_bits=16, product_shift=k)``: the chip's
truncation, modelled as selecting bits ``[k, k + 16)`` of each product (arithmetic shift right by ``k``, keep 16
bits, two's complement wrap) and accumulating modulo 2^16. Wrapping is order-free, so the result is still exact
for every mapping; saturation is not modelled (it would depend on the order of accumulation).

Layouts at the edge: weights (M, C, R, S) with M over all groups, inputs (N, G*C, H, W) as stored (no padding),
outputs (N, M, E, F). Padding is zeros; of an odd total the top (left) side gets the larger half.

>>> import numpy as np
>>> from stationary.workload import conv
>>> layer = conv("c", 1, 1, 3, 2)
>>> out = reference_conv(layer, np.ones((1, 1, 2, 2)), np.arange(9.0).reshape(1, 1, 3, 3), Precision.float64())
>>> out[0, 0].tolist()
[[8.0, 12.0], [20.0, 24.0]]
>>> wrap(np.array([40000, -40000]), 16).tolist()
[-25536, 25536]
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np

from stationary.core import StationaryError
from stationary.workload.layer import Layer


class Numeric(enum.Enum):
    FLOAT = "float"
    FIXED = "fixed"


@dataclass(frozen=True, slots=True)
class Precision:
    """How products and sums are computed. ``accumulator_bits=None`` is wide (exact) accumulation."""
    kind: Numeric = Numeric.FLOAT
    operand_bits: int = 16
    accumulator_bits: int | None = None
    product_shift: int = 0

    def __post_init__(self):
        if not 2 <= self.operand_bits <= 31:
            raise StationaryError("must be between 2 and 31", field="operand_bits", value=self.operand_bits)
        if self.accumulator_bits is not None and not 2 <= self.accumulator_bits <= 62:
            raise StationaryError("must be between 2 and 62", field="accumulator_bits", value=self.accumulator_bits)
        if self.product_shift < 0:
            raise StationaryError("must be non-negative", field="product_shift", value=self.product_shift)

    @classmethod
    def float64(cls) -> "Precision":
        return cls(Numeric.FLOAT)

    @classmethod
    def fixed(cls, operand_bits: int = 16, accumulator_bits: int | None = None, product_shift: int = 0):
        return cls(Numeric.FIXED, operand_bits, accumulator_bits, product_shift)

    @property
    def dtype(self):
        return np.float64 if self.kind is Numeric.FLOAT else np.int64

    @property
    def truncating(self) -> bool:
        return self.kind is Numeric.FIXED and self.accumulator_bits is not None

    def operands(self, array: np.ndarray, name: str) -> np.ndarray:
        """The array in this format; fixed point rejects values outside the signed operand range."""
        if self.kind is Numeric.FLOAT:
            return np.asarray(array, dtype=np.float64)
        arr = np.asarray(array)
        if not np.issubdtype(arr.dtype, np.integer):
            if not np.all(arr == np.round(arr)):
                raise StationaryError("fixed point needs integer values", field=name, value=str(arr.dtype))
        arr = arr.astype(np.int64)
        lo, hi = -(1 << (self.operand_bits - 1)), (1 << (self.operand_bits - 1)) - 1
        if arr.size and (arr.min() < lo or arr.max() > hi):
            raise StationaryError(f"values must fit {self.operand_bits}-bit signed [{lo}, {hi}]", field=name,
                                  value=(int(arr.min()), int(arr.max())))
        return arr

    def product(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Elementwise products as they enter the accumulator (bit-selected in truncating mode)."""
        p = a * b
        return wrap(p >> self.product_shift, self.accumulator_bits) if self.truncating else p

    def finish(self, acc: np.ndarray) -> np.ndarray:
        return wrap(acc, self.accumulator_bits) if self.truncating else acc


def wrap(values: np.ndarray, bits: int) -> np.ndarray:
    """Two's complement wrap-around to ``bits`` bits."""
    half = 1 << (bits - 1)
    return ((values + half) & ((1 << bits) - 1)) - half


def pad_top(total: int) -> int:
    """Rows added above (columns to the left) of a total padding; a negative total trims trailing rows only."""
    return max(0, (total + 1) // 2)


def padded_input(layer: Layer, inputs: np.ndarray) -> np.ndarray:
    """Inputs over the padded index space: (N, G, C, H_padded, W_padded), zeros in the padding."""
    n, g, c = layer.N, layer.G, layer.C
    if inputs.shape != (n, g * c, layer.H, layer.W):
        raise StationaryError(f"inputs must be (N, G*C, H, W) = {(n, g * c, layer.H, layer.W)}",
                              where=f"layer {layer.name}", field="inputs", value=inputs.shape)
    out = np.zeros((n, g, c, layer.H_padded, layer.W_padded), dtype=inputs.dtype)
    top, left = pad_top(layer.pad_h), pad_top(layer.pad_w)
    rows = min(layer.H, layer.H_padded - top)
    cols = min(layer.W, layer.W_padded - left)
    out[:, :, :, top:top + rows, left:left + cols] = inputs.reshape(n, g, c, layer.H, layer.W)[:, :, :, :rows, :cols]
    return out


def check_weights(layer: Layer, weights: np.ndarray) -> None:
    if weights.shape != (layer.M, layer.C, layer.R, layer.S):
        raise StationaryError(f"weights must be (M, C, R, S) = {(layer.M, layer.C, layer.R, layer.S)}",
                              where=f"layer {layer.name}", field="weights", value=weights.shape)


def reference_conv(layer: Layer, weights: np.ndarray, inputs: np.ndarray, precision: Precision) -> np.ndarray:
    """out[n, m, e, f] = sum over c, r, s of w[m, c, r, s] * x[n, group(m)*C + c, U*e + dil*r, U*f + dil*s]."""
    check_weights(layer, weights)
    w = precision.operands(weights, "weights").reshape(layer.G, layer.M_per_group, layer.C, layer.R, layer.S)
    x = padded_input(layer, precision.operands(inputs, "inputs"))
    u, dil, e_n, f_n = layer.U, layer.dilation, layer.E, layer.F
    out = np.zeros((layer.N, layer.G, layer.M_per_group, e_n, f_n), dtype=precision.dtype)
    for r in range(layer.R):
        for s in range(layer.S):
            window = x[:, :, :, dil * r: dil * r + u * (e_n - 1) + 1: u, dil * s: dil * s + u * (f_n - 1) + 1: u]
            for c in range(layer.C):
                out += precision.product(w[None, :, :, c, r, s, None, None], window[:, :, None, c])
                out = precision.finish(out)
    return out.reshape(layer.N, layer.M, e_n, f_n)
