"""Geometry of a loop nest: each tensor's axes, a tile's footprint per axis, loop strides.

A tensor's data space is a product of axes; every axis but the input's H and W is one loop dimension. The input's
H axis is ``U*e + dilation*r`` (W likewise with f and s), so a tile's footprint along H is the set
``{U*e + dilation*r : e < bE, r < bR}``, which has holes when the stride outruns the filter tile. Footprints are
kept as sorted integer arrays so that every count below is exact.

>>> from stationary.workload import conv
>>> axes = tensor_axes(conv("c", 4, 2, 9, 3, stride=2), Tensor.IFMAP)
>>> [a.name for a in axes], footprint(axes[3], {Dim.E: 2, Dim.R: 1}).tolist()
(['N', 'G', 'C', 'H', 'W'], [0, 2])
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stationary.core import Dim, StationaryError, Tensor
from stationary.workload.layer import Layer


@dataclass(frozen=True, slots=True)
class TensorAxis:
    """One axis of a tensor's data space: coordinate = sum of coefficient x loop index over its dimensions."""
    name: str
    terms: tuple[tuple[Dim, int], ...]


def tensor_axes(layer: Layer, tensor: Tensor) -> tuple[TensorAxis, ...]:
    if tensor is Tensor.WEIGHT:
        dims = (Dim.G, Dim.M, Dim.C, Dim.R, Dim.S)
    elif tensor is Tensor.PSUM:
        dims = (Dim.N, Dim.G, Dim.M, Dim.E, Dim.F)
    else:
        u, dil = layer.U, layer.dilation
        return (TensorAxis("N", ((Dim.N, 1),)), TensorAxis("G", ((Dim.G, 1),)), TensorAxis("C", ((Dim.C, 1),)),
                TensorAxis("H", ((Dim.E, u), (Dim.R, dil))), TensorAxis("W", ((Dim.F, u), (Dim.S, dil))))
    return tuple(TensorAxis(d.name, ((d, 1),)) for d in dims)


MAX_COORDINATES = 1 << 26   # coordinates the model holds for one tile axis (512 MiB of int64): the limit


def _bounded(size: int) -> None:
    """The model enumerates a tile's coordinates along each axis; past the limit a layer is refused up front
    rather than filling the memory (issue #12: batches of 10^12)."""
    if size > MAX_COORDINATES:
        raise StationaryError(f"too large for the model: a tile axis of {size:,} coordinates is past the limit of "
                              f"{MAX_COORDINATES:,} (reduce the batch or the layer's sizes)", field="tile coordinates",
                              value=size)


def lattice(terms: tuple[tuple[Dim, int], ...], ranges: dict[Dim, list[tuple[int, int]]]) -> np.ndarray:
    """Sorted distinct values of ``sum(coef * step * k)`` over each dimension's (step, count) ranges."""
    values = np.zeros(1, dtype=np.int64)
    for dim, coef in terms:
        for step, count in ranges.get(dim, ()):
            if count > 1:
                _bounded(len(values) * count)
                values = (values[:, None] + coef * step * np.arange(count, dtype=np.int64)[None, :]).ravel()
                values = np.unique(values)
    return values


def overlap_size(base: np.ndarray, shift: int) -> int:
    """Coordinates a footprint shares with itself moved by ``shift``: ``|B and (B + shift)|``."""
    return len(base) if shift == 0 else int(np.intersect1d(base, base + shift, assume_unique=True).size)


def union_size(base: np.ndarray, offsets: np.ndarray) -> int:
    """Coordinates some child covers when children sit at ``offsets``: ``|U_o (B + o)|``."""
    if len(offsets) == 1:
        return len(base)
    _bounded(len(base) * len(offsets))
    return int(np.unique((base[:, None] + offsets[None, :]).ravel()).size)


def fresh_union_size(base: np.ndarray, offsets: np.ndarray, shift: int) -> int:
    """Coordinates some child newly covers after its footprint moves by ``shift``: ``|U_o ((B + shift) - B) + o|``.

    >>> fresh_union_size(np.arange(3), np.array([0, 3]), 1)    # [0,3) -> [1,4): coordinate 3, and 6 next door
    2
    """
    if not shift:
        return 0
    fresh = np.setdiff1d(base + shift, base, assume_unique=True)
    return union_size(fresh, offsets) if len(fresh) else 0


def footprint(axis: TensorAxis, tile_bounds: dict[Dim, int]) -> np.ndarray:
    """The set of coordinates a tile with these per-dimension extents covers along ``axis``."""
    return lattice(axis.terms, {d: [(1, tile_bounds.get(d, 1))] for d, _ in axis.terms})


def tile_bounds_at(nest, level: int) -> dict[Dim, int]:
    """Per-dimension extent of the tile a level holds: the product of the bounds of every loop at or below it."""
    out: dict[Dim, int] = {}
    for lvl, loop in nest:
        if lvl >= level:
            out[loop.dim] = out.get(loop.dim, 1) * loop.bound
    return out


def loop_strides(nest) -> list[int]:
    """For each loop of the nest, how far its dimension's index moves when the loop advances by one."""
    strides = [1] * len(nest)
    inner: dict[Dim, int] = {}
    for pos in range(len(nest) - 1, -1, -1):
        loop = nest[pos][1]
        strides[pos] = inner.get(loop.dim, 1)
        inner[loop.dim] = strides[pos] * loop.bound
    return strides


def tile_words(layer: Layer, tensor: Tensor, bounds: dict[Dim, int]) -> int:
    """Words in a tile with these per-dimension extents (the input's halo counted once)."""
    size = 1
    for axis in tensor_axes(layer, tensor):
        size *= len(footprint(axis, bounds))
    return size
