"""What an algorithm is: a method and its parameters, parsed once from the command line's ``METHOD[:ARGS]``.

* ``direct``: the convolution nest as written (the reference every other method is held to).
* ``im2col``: the Toeplitz lowering, one GEMM per group.
* ``winograd:m,r``: Winograd F(m x m, r x r) minimal filtering (stride 1, R = S = r).
* ``fft`` / ``fft:4m``: FFT convolution, the spectral products by Gauss's 3M complex product (default)
  or the schoolbook 4M one.
* ``strassen:depth[,cutoff]``: Strassen on the im2col GEMMs, ``depth`` levels of recursion, none on a block
  whose smallest dimension is below ``cutoff``.

>>> parse_algorithm("winograd:4,3").label, parse_algorithm("strassen:2").depth
('winograd F(4x4,3x3)', 2)
>>> parse_algorithm("fft").gauss, parse_algorithm("fft:4m").label
(True, 'fft (4M complex products)')
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from stationary.core import StationaryError

MAX_WINOGRAD_POINTS = 12  # m + r - 1 beyond this: the transforms' entries are too large to be useful


class Method(enum.Enum):
    DIRECT = "direct"
    IM2COL = "im2col"
    WINOGRAD = "winograd"
    FFT = "fft"
    STRASSEN = "strassen"


@dataclass(frozen=True, slots=True)
class Algorithm:
    """A method with its parameters: ``m``/``r`` for Winograd, ``depth``/``cutoff`` for Strassen,
    ``gauss`` (3M complex products) for FFT."""
    method: Method
    m: int = 0
    r: int = 0
    depth: int = 0
    cutoff: int = 1
    gauss: bool = True

    def __post_init__(self):
        if self.method is Method.WINOGRAD:
            for name in ("m", "r"):
                value = getattr(self, name)
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    raise StationaryError("Winograd's tile and filter sizes must be positive integers",
                                          field=name, value=value)
            if self.m + self.r - 1 > MAX_WINOGRAD_POINTS:
                raise StationaryError(f"m + r - 1 must be at most {MAX_WINOGRAD_POINTS} (interpolation points)",
                                      field="m", value=self.m)
        if self.method is Method.STRASSEN:
            if isinstance(self.depth, bool) or not isinstance(self.depth, int) or self.depth < 0:
                raise StationaryError("Strassen's depth must be a non-negative integer", field="depth",
                                      value=self.depth)
            if isinstance(self.cutoff, bool) or not isinstance(self.cutoff, int) or self.cutoff < 1:
                raise StationaryError("Strassen's cut-off must be a positive integer", field="cutoff",
                                      value=self.cutoff)

    @property
    def label(self) -> str:
        if self.method is Method.WINOGRAD:
            return f"winograd F({self.m}x{self.m},{self.r}x{self.r})"
        if self.method is Method.STRASSEN:
            cut = f", cut-off {self.cutoff}" if self.cutoff > 1 else ""
            return f"strassen depth {self.depth}{cut}"
        if self.method is Method.FFT:
            return "fft (3M complex products)" if self.gauss else "fft (4M complex products)"
        return self.method.value

    @property
    def spec(self) -> str:
        """The string :func:`parse_algorithm` reads back."""
        if self.method is Method.WINOGRAD:
            return f"winograd:{self.m},{self.r}"
        if self.method is Method.STRASSEN:
            return f"strassen:{self.depth}" + (f",{self.cutoff}" if self.cutoff > 1 else "")
        if self.method is Method.FFT:
            return "fft" if self.gauss else "fft:4m"
        return self.method.value


DIRECT = Algorithm(Method.DIRECT)
IM2COL = Algorithm(Method.IM2COL)


def _ints(text: str, spec: str, names: tuple[str, ...], least: int) -> list[int]:
    parts = [p.strip() for p in text.split(",")] if text else []
    if not least <= len(parts) <= len(names) or not all(p.isdigit() for p in parts):
        raise StationaryError(f"expected {':'.join(('METHOD', ','.join(names)))} with non-negative integers",
                              field="method", value=spec)
    return [int(p) for p in parts]


def parse_algorithm(spec: "str | Algorithm") -> Algorithm:
    """``direct``, ``im2col``, ``winograd:m,r``, ``fft``, ``fft:4m`` or ``strassen:depth[,cutoff]``."""
    if isinstance(spec, Algorithm):
        return spec
    text = str(spec).strip().lower()
    name, _, args = text.partition(":")
    try:
        method = Method(name)
    except ValueError:
        raise StationaryError("unknown method (expected direct, im2col, winograd:m,r, fft, fft:4m or "
                              "strassen:depth[,cutoff])", field="method", value=spec) from None
    if method is Method.WINOGRAD:
        m, r = _ints(args, spec, ("m", "r"), 2)
        return Algorithm(method, m=m, r=r)
    if method is Method.STRASSEN:
        values = _ints(args, spec, ("depth", "cutoff"), 1)
        return Algorithm(method, depth=values[0], cutoff=values[1] if len(values) > 1 else 1)
    if method is Method.FFT:
        if args not in ("", "3m", "4m"):
            raise StationaryError("fft takes no argument, or 3m / 4m (the complex product)", field="method",
                                  value=spec)
        return Algorithm(method, gauss=args != "4m")
    if args:
        raise StationaryError(f"{method.value} takes no arguments", field="method", value=spec)
    return Algorithm(method)
