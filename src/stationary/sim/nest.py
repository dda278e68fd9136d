"""Where each word lives: loop indices -> tensor coordinates -> one linear address per word.

The simulator's own geometry, written apart from :mod:`stationary.mapping.tiles` so the two can disagree. A
dimension's index is the mixed-radix number of every loop on it (outer loops are the high digits); a tensor's
coordinates are linear in the dimension indices (the input's row is ``U*e + dilation*r``) and a word's address is
its position in the tensor laid out densely (inputs over the padded index space). So the address of a word is
``sum(index_k * weight_k)`` over the loops of the nest, and a set of loops spans the addresses of every
combination of its indices.

>>> from stationary.core import Dim, Tensor
>>> from stationary.mapping import LevelMapping, Loop, Mapping
>>> from stationary.workload import conv
>>> layer = conv("c", 1, 1, 5, 3, stride=2)                 # E = 2: inputs 5 wide
>>> m = Mapping((LevelMapping(temporal=(Loop(Dim.E, 2), Loop(Dim.F, 2))),
...              LevelMapping(temporal=(Loop(Dim.R, 3), Loop(Dim.S, 3)))))
>>> [w for _, _, w in loop_weights(layer, m, Tensor.IFMAP)]   # e moves 2 rows of 5, f two columns
[10, 2, 5, 1]
>>> span(layer, m, Tensor.IFMAP, [2, 3]).tolist()             # a 3 x 3 window
[0, 1, 2, 5, 6, 7, 10, 11, 12]
"""
from __future__ import annotations

import numpy as np

from stationary.core import Dim, Tensor
from stationary.mapping.mapping import Loop, Mapping
from stationary.workload.layer import Layer


def tensor_shape(layer: Layer, tensor: Tensor) -> tuple[int, ...]:
    """The dense layout the simulator addresses: weights (G, M/G, C, R, S), outputs (N, G, M/G, E, F),
    inputs (N, G, C, H_padded, W_padded)."""
    g, m = layer.G, layer.M_per_group
    if tensor is Tensor.WEIGHT:
        return (g, m, layer.C, layer.R, layer.S)
    if tensor is Tensor.PSUM:
        return (layer.N, g, m, layer.E, layer.F)
    return (layer.N, g, layer.C, layer.H_padded, layer.W_padded)


def dim_coefficients(layer: Layer, tensor: Tensor) -> dict[Dim, int]:
    """Address step per unit of each dimension's index (0 for a dimension the tensor does not depend on)."""
    shape = tensor_shape(layer, tensor)
    pitch = [int(np.prod(shape[k + 1:])) for k in range(len(shape))]
    if tensor is Tensor.WEIGHT:
        out = dict(zip((Dim.G, Dim.M, Dim.C, Dim.R, Dim.S), pitch))
    elif tensor is Tensor.PSUM:
        out = dict(zip((Dim.N, Dim.G, Dim.M, Dim.E, Dim.F), pitch))
    else:
        n, g, c, h, w = pitch
        u, dil = layer.U, layer.dilation
        out = {Dim.N: n, Dim.G: g, Dim.C: c, Dim.E: u * h, Dim.R: dil * h, Dim.F: u * w, Dim.S: dil * w}
    return {d: out.get(d, 0) for d in Dim}


def loop_weights(layer: Layer, mapping: Mapping, tensor: Tensor) -> list[tuple[int, Loop, int]]:
    """(level, loop, address step when this loop's index grows by one), for every loop of the nest in order."""
    nest = [(lvl, loop) for lvl, level in enumerate(mapping.levels) for loop in level.temporal + level.spatial]
    coef = dim_coefficients(layer, tensor)
    radix: dict[Dim, int] = {}
    out = []
    for lvl, loop in reversed(nest):
        place = radix.get(loop.dim, 1)
        radix[loop.dim] = place * loop.bound
        out.append((lvl, loop, coef[loop.dim] * place))
    return out[::-1]


def odometer(bounds_and_weights) -> np.ndarray:
    """Addresses of every index combination of the given (bound, weight) loops, outermost varying slowest."""
    values = np.zeros(1, dtype=np.int64)
    for bound, weight in bounds_and_weights:
        values = (values[:, None] + weight * np.arange(bound, dtype=np.int64)[None, :]).ravel()
    return values


def span(layer: Layer, mapping: Mapping, tensor: Tensor, positions) -> np.ndarray:
    """Sorted distinct addresses touched by the loops at these nest positions (the others at index 0)."""
    lw = loop_weights(layer, mapping, tensor)
    return np.unique(odometer((lw[p][1].bound, lw[p][2]) for p in positions))
