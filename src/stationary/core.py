"""The vocabulary every layer of `stationary` shares: loop dimensions, tensors, and the error type.

Names follow the Eyeriss talk: N batch, M filters (output channels), C input channels per group,
G groups, E x F output, R x S filter. Timeloop calls M ``K``, E ``P`` and F ``Q``.

Nothing here imports from the rest of the package.

>>> Dim.parse("K") is Dim.M, Tensor.parse("weights") is Tensor.WEIGHT
(True, True)
>>> sorted(d.name for d in Tensor.WEIGHT.dims)
['C', 'G', 'M', 'R', 'S']
"""
from __future__ import annotations

import enum
import math
from functools import reduce


class StationaryError(ValueError):
    """A user-facing error: names where the bad value came from, which field, and the value.

    >>> str(StationaryError("must be positive", source="net.yaml", where="layer CONV1", field="H", value=-3))
    "net.yaml: layer CONV1: field 'H' = -3: must be positive"
    """

    def __init__(self, message: str, *, source: str | None = None, where: str | None = None,
                 field: str | None = None, value: object = None, has_value: bool | None = None):
        self.message, self.source, self.where, self.field, self.value = message, source, where, field, value
        self.has_value = (value is not None) if has_value is None else has_value
        super().__init__(self._render())

    def _render(self) -> str:
        parts = [p for p in (self.source, self.where) if p]
        if self.field is not None:
            parts.append(f"field {self.field!r} = {self.value!r}" if self.has_value else f"field {self.field!r}")
        parts.append(self.message)
        return ": ".join(parts)

    def located(self, source: str | None = None, where: str | None = None) -> "StationaryError":
        """The same error with the file and/or the place filled in where they were still unknown."""
        return StationaryError(self.message, source=self.source or source,
                               where=self.where or where, field=self.field, value=self.value,
                               has_value=self.has_value)


def optional_module(name: str, extra: str, purpose: str):
    """Import an optional package, or say which extra installs it.

    >>> optional_module("math", "none", "arithmetic").sqrt(4.0)
    2.0
    """
    import importlib
    try:
        return importlib.import_module(name)
    except ImportError:
        raise StationaryError(f"{purpose} needs {name.split('.')[0]} (pip install 'stationary[{extra}]')",
                              field="package", value=name) from None


class Dim(enum.Enum):
    """A loop dimension of the convolution nest (per group: M here counts filters in one group)."""
    N = "N"
    G = "G"
    M = "M"
    C = "C"
    E = "E"
    F = "F"
    R = "R"
    S = "S"

    @classmethod
    def parse(cls, text: str) -> "Dim":
        key = str(text).strip().upper()
        key = _TIMELOOP_DIMS.get(key, key)
        try:
            return cls[key]
        except KeyError:
            raise StationaryError(f"unknown dimension (expected one of {', '.join(d.name for d in cls)}, "
                                  "or Timeloop's K, P, Q)", field="dim", value=text) from None


_TIMELOOP_DIMS = {"K": "M", "P": "E", "Q": "F"}
DIMS: tuple[Dim, ...] = tuple(Dim)


class Tensor(enum.Enum):
    """The three data types of a layer; strings at the edges are Timeloop's names."""
    WEIGHT = "weights"
    IFMAP = "inputs"
    PSUM = "outputs"

    @property
    def dims(self) -> frozenset[Dim]:
        """The loop dimensions that index this tensor (E and R both move along the input's H)."""
        return _RELEVANT[self]

    @classmethod
    def parse(cls, text: str) -> "Tensor":
        key = str(text).strip().lower()
        for t in cls:
            if key in (t.value, t.name.lower()) or key in _TENSOR_ALIASES.get(t, ()):
                return t
        raise StationaryError("unknown tensor (expected weights, inputs or outputs)", field="tensor", value=text)


_TENSOR_ALIASES = {
    Tensor.WEIGHT: ("weight", "filter", "filters", "w"),
    Tensor.IFMAP: ("input", "ifmaps", "ifmap", "i"),
    Tensor.PSUM: ("output", "ofmap", "ofmaps", "psums", "o"),
}
_RELEVANT = {
    Tensor.WEIGHT: frozenset({Dim.G, Dim.M, Dim.C, Dim.R, Dim.S}),
    Tensor.IFMAP: frozenset({Dim.N, Dim.G, Dim.C, Dim.E, Dim.F, Dim.R, Dim.S}),
    Tensor.PSUM: frozenset({Dim.N, Dim.G, Dim.M, Dim.E, Dim.F}),
}
TENSORS: tuple[Tensor, ...] = tuple(Tensor)


def prod(values) -> int:
    """Product of integers (1 for none)."""
    return reduce(lambda a, b: a * b, values, 1)


def divisors(n: int) -> list[int]:
    """All positive divisors of ``n`` in increasing order.

    >>> divisors(12)
    [1, 2, 3, 4, 6, 12]
    """
    small = [d for d in range(1, math.isqrt(n) + 1) if n % d == 0]
    return small + [n // d for d in reversed(small) if d * d != n]


def prime_factors(n: int) -> list[int]:
    """Prime factors of ``n`` with multiplicity, smallest first.

    >>> prime_factors(96)
    [2, 2, 2, 2, 2, 3]
    """
    out, p = [], 2
    while p * p <= n:   # trial division up to sqrt(n): what is left above 1 is prime
        while n % p == 0:
            out.append(p)
            n //= p
        p += 1 if p == 2 else 2
    if n > 1:
        out.append(n)
    return out
