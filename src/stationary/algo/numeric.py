"""Number formats the algorithms execute in, as a rounding applied at every stage boundary.

Each stage (a transform, a GEMM, an inverse transform) rounds its output to the format; inside a stage the
arithmetic runs in ``compute_dtype``:

* ``float64``, ``float32``: IEEE arithmetic in that type throughout.
* ``float16``: operands and stage outputs rounded to IEEE half, products accumulated in float32 (as fp16
  GEMM libraries and tensor cores do; numpy has no half-precision BLAS).
* ``fixed16``: 16-bit signed fixed point, one power-of-two scale per tensor chosen from its largest
  magnitude (a binary point per stage), accumulated exactly (a wide accumulator, emulated in float64).

>>> x = np.array([1.0, 1 / 3])
>>> Precision.FLOAT16.round(x).tolist(), bool(Precision.FIXED16.round(x)[1] == round((1 / 3) * 2 ** 14) / 2 ** 14)
([1.0, 0.333251953125], True)
"""
from __future__ import annotations

import enum

import numpy as np

from stationary.core import StationaryError


class Precision(enum.Enum):
    FLOAT64 = "float64"
    FLOAT32 = "float32"
    FLOAT16 = "float16"
    FIXED16 = "fixed16"

    @classmethod
    def parse(cls, text: "str | Precision") -> "Precision":
        if isinstance(text, Precision):
            return text
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            raise StationaryError(f"unknown precision (expected {', '.join(p.value for p in cls)})",
                                  field="precision", value=text) from None

    @property
    def compute_dtype(self) -> type:
        return np.float32 if self in (Precision.FLOAT32, Precision.FLOAT16) else np.float64

    @property
    def bits(self) -> int:
        return {"float64": 64, "float32": 32, "float16": 16, "fixed16": 16}[self.value]

    def round(self, x: np.ndarray) -> np.ndarray:
        """``x`` on this format's grid, as an array of ``compute_dtype``."""
        x = np.asarray(x)
        if self is Precision.FLOAT16:
            return x.astype(np.float16).astype(np.float32)
        if self is Precision.FIXED16:
            from stationary.precision.quantizers import fixed_point
            return fixed_point(np.asarray(x, np.float64), 16, pow2_scale=True)
        return x.astype(self.compute_dtype, copy=False)


PRECISIONS: tuple[Precision, ...] = tuple(Precision)
