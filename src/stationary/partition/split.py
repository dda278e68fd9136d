"""Splitting a layer over the nodes of an array of engines (HMC vaults, DaDianNao chips): which part each node runs.

A :class:`Split` gives a factor per split dimension: ``N`` (batch: each node runs some images), ``M`` (output
channels: each node runs some filters; a grouped layer splits its groups when it has at least as many as the
factor, else the filters inside every group), ``E`` (output rows: each node computes a band of rows and reads the
input rows under it, the halo included). The factors multiply to the number of nodes. Extents that do not divide
are split as evenly as possible (the first parts one larger). C is never split, so no partial sums cross nodes.

Node ``v`` is ``(i, j, k)`` in row-major order over (N, M, E). Each :class:`Part` is an ordinary :class:`Layer`
(the sub-layer the node's engine maps and evaluates) plus the index ranges it covers, so a layer's parts tile it.

>>> from stationary.workload import conv
>>> layer = conv("c", 8, 4, 10, 3, batch=2)              # M=8, C=4, 10x10 -> 8x8, N=2
>>> parts = split_layer(layer, Split.parse("N2xM2"))
>>> [(p.node, p.layer.N, p.layer.M) for p in parts]
[(0, 1, 4), (1, 1, 4), (2, 1, 4), (3, 1, 4)]
>>> sum(p.layer.macs for p in parts) == layer.macs
True
>>> [p.layer.H for p in split_layer(layer, Split.parse("E3"))]   # output rows 3+3+2, each with its 2-row halo
[5, 5, 4]
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from stationary.core import Dim, StationaryError, prod
from stationary.workload.layer import Layer, LayerKind

SPLIT_DIMS = (Dim.N, Dim.M, Dim.E)


@dataclass(frozen=True, slots=True)
class Split:
    """Factors over (N, M, E); ``nodes`` is their product."""
    n: int = 1
    m: int = 1
    e: int = 1

    def __post_init__(self):
        for name in ("n", "m", "e"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise StationaryError("a split factor must be a positive integer", field=name.upper(), value=value)

    @property
    def nodes(self) -> int:
        return self.n * self.m * self.e

    @property
    def factors(self) -> tuple[int, int, int]:
        return self.n, self.m, self.e

    def __str__(self) -> str:
        text = "x".join(f"{d.name}{f}" for d, f in zip(SPLIT_DIMS, self.factors) if f > 1)
        return text or "none"

    @classmethod
    def parse(cls, text: str) -> "Split":
        """``"N4xM4"``, ``"M16"``, ``"E2"`` or ``"none"``."""
        key = str(text).strip().upper()
        if key in ("NONE", "1", ""):
            return cls()
        factors = {"N": 1, "M": 1, "E": 1}
        for part in key.split("X"):
            match = re.fullmatch(r"([NME])(\d+)", part.strip())
            if not match or factors[match.group(1)] != 1:
                raise StationaryError("a split is like N4xM4, M16 or E2 (each of N, M, E at most once)",
                                      field="split", value=text)
            factors[match.group(1)] = int(match.group(2))
        return cls(factors["N"], factors["M"], factors["E"])


@dataclass(frozen=True, slots=True)
class Part:
    """What node ``node`` runs: ``layer`` (a sub-layer) and the ranges of the whole layer it covers.

    ``batch`` and ``rows`` are half-open ranges of images and of output rows; ``channels`` the output channels
    (over all groups) and ``in_channels`` the input channels (over all groups) it reads; ``in_rows`` the rows of
    the padded input it reads."""
    node: int
    layer: Layer
    batch: tuple[int, int]
    channels: tuple[int, int]
    in_channels: tuple[int, int]
    rows: tuple[int, int]
    in_rows: tuple[int, int]


def slices(extent: int, parts: int) -> list[tuple[int, int]]:
    """``extent`` split into ``parts`` contiguous ranges as evenly as possible, the first ones larger.

    >>> slices(10, 3)
    [(0, 4), (4, 7), (7, 10)]
    """
    if parts > extent:
        raise StationaryError(f"cannot split an extent of {extent} over {parts} nodes (a node would get nothing)",
                              field="split", value=parts)
    base, extra = divmod(extent, parts)
    out, start = [], 0
    for k in range(parts):
        size = base + (k < extra)
        out.append((start, start + size))
        start += size
    return out


def _channel_parts(layer: Layer, k: int) -> list[tuple[Layer, tuple[int, int], tuple[int, int]]]:
    """(sub-layer, output channels, input channels) for a split of M over ``k`` nodes."""
    cin = layer.C * layer.G
    if layer.G > 1 and k <= layer.G:
        out = []
        for g0, g1 in slices(layer.G, k):
            sub = replace(layer, G=g1 - g0, M=(g1 - g0) * layer.M_per_group)
            out.append((sub, (g0 * layer.M_per_group, g1 * layer.M_per_group), (g0 * layer.C, g1 * layer.C)))
        return out
    mg = layer.M_per_group
    # within every group: the node takes filters [a, b) of each group; its output channels are not contiguous
    # when G > 1, so they are recorded as the span of group 0's slice scaled to the whole (a fraction of M)
    return [(replace(layer, M=(b - a) * layer.G), (a * layer.G, b * layer.G), (0, cin)) for a, b in slices(mg, k)]


def split_layer(layer: Layer, split: Split) -> tuple[Part, ...]:
    """The parts of ``layer`` under ``split``, one per node, node order (N, M, E) row-major."""
    where = f"layer {layer.name}"
    if layer.kind is not LayerKind.CONV and split.e > 1:
        raise StationaryError("only a convolution's output rows can be split", where=where, field="split",
                              value=str(split))
    for dim, factor, extent in zip(SPLIT_DIMS, split.factors, (layer.N, layer.M, layer.E)):
        if factor > extent:
            raise StationaryError(f"the split does not cover the layer: {dim.name} = {extent} cannot go to "
                                  f"{factor} nodes", where=where, field="split", value=str(split))
    batches = slices(layer.N, split.n)
    channels = _channel_parts(layer, split.m)
    rows = slices(layer.E, split.e)
    span = layer.dilation * (layer.R - 1) + 1
    parts = []
    for node, ((b0, b1), (sub, out_ch, in_ch), (e0, e1)) in enumerate(itertools.product(batches, channels, rows)):
        in_rows = (e0 * layer.U, (e1 - 1) * layer.U + span)
        part = replace(sub, N=b1 - b0)
        if split.e > 1:
            part = replace(part, H=in_rows[1] - in_rows[0], pad_h=0)
        if prod((part.N, part.M, part.E)) == 0:  # pragma: no cover - slices never returns empty ranges
            raise StationaryError("empty part", where=where, field="split", value=str(split))
        parts.append(Part(node, part, (b0, b1), out_ch, in_ch, (e0, e1), in_rows))
    return tuple(parts)


def candidate_splits(layer: Layer, nodes: int, dims: tuple[Dim, ...] = SPLIT_DIMS) -> tuple[Split, ...]:
    """Every split of ``layer`` over exactly ``nodes`` nodes using only ``dims`` whose factors fit the extents.

    >>> from stationary.workload import conv
    >>> [str(s) for s in candidate_splits(conv("c", 8, 4, 10, 3), 4)]
    ['E4', 'M2xE2', 'M4']
    """
    limits = {Dim.N: layer.N, Dim.M: layer.M, Dim.E: layer.E if layer.kind is LayerKind.CONV else 1}
    allowed = [[f for f in range(1, nodes + 1) if nodes % f == 0 and f <= limits[d] and (f == 1 or d in dims)]
               for d in SPLIT_DIMS]
    return tuple(Split(n, m, e) for n in allowed[0] for m in allowed[1] for e in allowed[2] if n * m * e == nodes)
