"""A quantization scheme: how weights and activations of every layer are quantized, and their bit widths.

Text forms (the CLI's): ``float``, ``fixed16``, ``fixed8``, ``fixed4`` (add ``pc`` for per-channel weight
scales, e.g. ``fixed8pc``; add ``/A`` for another activation width, e.g. ``fixed4/8``), ``binary`` and
``ternary`` (weights 1 and 2 bits, activations 8), ``xnor`` (binary weights and binary activations),
``log4`` / ``log5`` (power-of-two weights, 8-bit activations).

Activations are each layer's input; fixed-point activations are unsigned (they are images or ReLU outputs)
with a range calibrated on training data. XNOR binarizes every layer's input except the first (the
image stays at 8 bits, as XNOR-Net keeps the first layer's input). Biases stay at accumulator precision.

>>> Scheme.parse("fixed4pc/8")
Scheme(method=<Method.FIXED: 'fixed'>, weight_bits=4, act_bits=8, per_channel=True)
>>> Scheme.parse("xnor").label, Scheme.parse("log5").weight_bits
('xnor', 5)
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from stationary.core import StationaryError


class Method(enum.Enum):
    FLOAT = "float"
    FIXED = "fixed"
    BINARY = "binary"
    TERNARY = "ternary"
    XNOR = "xnor"
    LOG2 = "log"


_FIXED_WIDTH = {Method.FLOAT: 32, Method.BINARY: 1, Method.TERNARY: 2, Method.XNOR: 1}
_PATTERN = re.compile(r"^(float|fixed|binary|ternary|xnor|log)(\d+)?(pc)?(?:/(\d+))?$")


@dataclass(frozen=True, slots=True)
class Scheme:
    method: Method
    weight_bits: int
    act_bits: int
    per_channel: bool = False

    def __post_init__(self):
        if not isinstance(self.method, Method):
            raise StationaryError("method must be a Method", field="method", value=self.method)
        fixed = _FIXED_WIDTH.get(self.method)
        if fixed is not None and self.weight_bits != fixed:
            raise StationaryError(f"{self.method.value} weights are {fixed} bits", field="weight_bits",
                                  value=self.weight_bits)
        if self.method in (Method.FIXED, Method.LOG2) and not 2 <= self.weight_bits <= 16:
            raise StationaryError("weight bits must be 2 to 16", field="weight_bits", value=self.weight_bits)
        want_act = {Method.FLOAT: 32, Method.XNOR: 1}.get(self.method)
        if want_act is not None and self.act_bits != want_act:
            raise StationaryError(f"{self.method.value} activations are {want_act} bits", field="act_bits",
                                  value=self.act_bits)
        if want_act is None and not 2 <= self.act_bits <= 16:
            raise StationaryError("activation bits must be 2 to 16", field="act_bits", value=self.act_bits)

    @classmethod
    def parse(cls, text: str) -> "Scheme":
        match = _PATTERN.match(str(text).strip().lower())
        if not match:
            raise StationaryError("unknown quantization scheme (e.g. float, fixed8, fixed4pc, fixed4/8, binary, "
                                  "ternary, xnor, log4)", field="scheme", value=text)
        name, bits, pc, act = match.groups()
        method = Method(name)
        wbits = int(bits) if bits else _FIXED_WIDTH.get(method)
        if wbits is None:
            raise StationaryError(f"{name} needs a bit width (e.g. {name}8)", field="scheme", value=text)
        default_act = {Method.FLOAT: 32, Method.XNOR: 1, Method.FIXED: wbits}.get(method, 8)
        return cls(method, wbits, int(act) if act else default_act, bool(pc))

    @property
    def label(self) -> str:
        if self.method in (Method.FLOAT, Method.BINARY, Method.TERNARY, Method.XNOR):
            base = self.method.value
        else:
            base = f"{self.method.value}{self.weight_bits}"
        default_act = {Method.FIXED: self.weight_bits}.get(self.method, 8)
        suffix = f"/{self.act_bits}" if self.method not in (Method.FLOAT, Method.XNOR) and \
            self.act_bits != default_act else ""
        return base + ("pc" if self.per_channel else "") + suffix


DEFAULT_SWEEP = ("float", "fixed16", "fixed8", "fixed8pc", "fixed4", "fixed4pc", "log5", "log4", "ternary",
                 "binary", "xnor")
