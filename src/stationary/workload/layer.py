"""A DNN layer as the loop-nest shape the hardware sees.

Conventions (the talk's): ``M`` is the total number of filters, ``C`` the input channels *per group*,
``G`` the groups, so weights = M x C x R x S and MACs = N x M x C x E x F x R x S for every kind.
``H`` x ``W`` is the input feature map as stored; ``pad_h``/``pad_w`` are the rows/columns added in total
(both sides together). A negative pad stands for trailing rows the stride never reaches (e.g. a 1x1,
stride-2 convolution on a 56-row map reads rows 0..54 only). The output size is derived and must be
an integer: ``E = (H + pad_h - dilation*(R-1) - 1) / U + 1``.

>>> conv1 = Layer("CONV1", LayerKind.CONV, M=96, C=3, H=227, W=227, R=11, S=11, U=4)
>>> (conv1.E, conv1.F, conv1.macs, conv1.weights)
(55, 55, 105415200, 34848)
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace

from stationary.core import Dim, StationaryError, Tensor, prod
from stationary.validation import MAX_LOOP_BOUND


class LayerKind(enum.Enum):
    CONV = "conv"
    FC = "fc"
    MATMUL = "matmul"

    @classmethod
    def parse(cls, text: str, where: str | None = None) -> "LayerKind":
        aliases = {"conv": cls.CONV, "convolution": cls.CONV, "depthwise": cls.CONV, "pointwise": cls.CONV,
                   "fc": cls.FC, "linear": cls.FC, "fully_connected": cls.FC, "matmul": cls.MATMUL,
                   "gemm": cls.MATMUL}
        try:
            return aliases[str(text).strip().lower()]
        except KeyError:
            raise StationaryError(f"unknown layer kind (expected one of {', '.join(sorted(aliases))})",
                                  where=where, field="kind", value=text) from None


_POSITIVE = ("N", "M", "C", "G", "H", "W", "R", "S", "U", "dilation")


@dataclass(frozen=True, slots=True)
class Layer:
    name: str
    kind: LayerKind
    M: int
    C: int
    H: int = 1
    W: int = 1
    R: int = 1
    S: int = 1
    U: int = 1
    N: int = 1
    G: int = 1
    pad_h: int = 0
    pad_w: int = 0
    dilation: int = 1
    E: int = field(init=False)
    F: int = field(init=False)

    def __post_init__(self):
        where = f"layer {self.name}"
        if not isinstance(self.kind, LayerKind):
            raise StationaryError("kind must be a LayerKind", where=where, field="kind", value=self.kind)
        for name in _POSITIVE:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise StationaryError("must be an integer", where=where, field=name, value=value)
            if value < 1:
                raise StationaryError("must be a positive integer", where=where, field=name, value=value)
            if value > MAX_LOOP_BOUND:
                raise StationaryError(f"must be at most {MAX_LOOP_BOUND:,} (the limit for one loop bound)",
                                      where=where, field=name, value=value)
        for name, filt in (("pad_h", self.R), ("pad_w", self.S)):
            self._check_pad(name, getattr(self, name), filt, where)
        if self.M % self.G:
            raise StationaryError(f"filters M must divide into the {self.G} groups", where=where,
                                  field="M", value=self.M)
        object.__setattr__(self, "E", self._output_size("H", self.H, self.pad_h, self.R))
        object.__setattr__(self, "F", self._output_size("W", self.W, self.pad_w, self.S))

    def _check_pad(self, name: str, pad, filt: int, where: str) -> None:
        """A negative pad trims fewer rows than the stride (rows it never reaches); a positive one is bounded like
        any loop bound (network files hold it to the frameworks' rule: at most the filter's reach per side)."""
        if isinstance(pad, bool) or not isinstance(pad, int):
            raise StationaryError("must be an integer", where=where, field=name, value=pad)
        if pad > MAX_LOOP_BOUND:
            raise StationaryError(f"must be at most {MAX_LOOP_BOUND:,} (the limit for one loop bound)",
                                  where=where, field=name, value=pad)
        if pad < -(self.U - 1):
            raise StationaryError(f"a negative pad trims the rows a stride of {self.U} never reaches, so it is at "
                                  f"least {-(self.U - 1)}", where=where, field=name, value=pad)

    def _output_size(self, axis: str, size: int, pad: int, filt: int) -> int:
        span = size + pad - self.dilation * (filt - 1) - 1
        where = f"layer {self.name}"
        if span < 0:
            raise StationaryError(f"the {'RS'[axis == 'W']} filter does not fit the padded input",
                                  where=where, field=axis, value=size)
        if span % self.U:
            raise StationaryError(f"stride {self.U} gives a non-integer output size "
                                  f"({size} + pad {pad} - {self.dilation * (filt - 1) + 1}) / {self.U} + 1",
                                  where=where, field="pad_h" if axis == "H" else "pad_w", value=pad)
        return span // self.U + 1

    # ---- derived sizes -------------------------------------------------------------------------
    @property
    def M_per_group(self) -> int:
        return self.M // self.G

    @property
    def H_padded(self) -> int:
        """Input rows the convolution reads, padding included: the extent of the input index space."""
        return (self.E - 1) * self.U + self.dilation * (self.R - 1) + 1

    @property
    def W_padded(self) -> int:
        return (self.F - 1) * self.U + self.dilation * (self.S - 1) + 1

    @property
    def dims(self) -> dict[Dim, int]:
        """Loop bounds of the nest, per group (M per group here)."""
        return {Dim.N: self.N, Dim.G: self.G, Dim.M: self.M_per_group, Dim.C: self.C,
                Dim.E: self.E, Dim.F: self.F, Dim.R: self.R, Dim.S: self.S}

    @property
    def macs(self) -> int:
        return prod(self.dims.values())

    @property
    def weights(self) -> int:
        return self.M * self.C * self.R * self.S

    @property
    def ifmap_words(self) -> int:
        """Input words as stored (no padding), over the batch."""
        return self.N * self.G * self.C * self.H * self.W

    @property
    def ofmap_words(self) -> int:
        return self.N * self.M * self.E * self.F

    def tensor_words(self, tensor: Tensor) -> int:
        """Size of a tensor's index space as the loop nest addresses it (inputs with padding)."""
        if tensor is Tensor.WEIGHT:
            return self.weights
        if tensor is Tensor.PSUM:
            return self.ofmap_words
        return self.N * self.G * self.C * self.H_padded * self.W_padded

    def with_batch(self, n: int) -> "Layer":
        return replace(self, N=n)

    @property
    def is_depthwise(self) -> bool:
        return self.kind is LayerKind.CONV and self.C == 1 and self.G > 1 and self.G == self.M

    def describe(self) -> str:
        group = f" G={self.G}" if self.G > 1 else ""
        return (f"{self.name} ({self.kind.value}): N={self.N} M={self.M} C={self.C}{group} "
                f"H={self.H} W={self.W} R={self.R} S={self.S} U={self.U} -> E={self.E} F={self.F}")
