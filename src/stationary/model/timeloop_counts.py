"""Timeloop v3.0.3's counting conventions, for one tensor on one (Layer, Arch, Mapping): the per-level figures its
nest analysis produces, from which :mod:`stationary.model.analysis` takes each parent/child hop's counts when
asked for ``Conventions.TIMELOOP``. docs/timeloop.md explains each convention with a worked example.

What Timeloop does, and so what this module does (facts read from Timeloop's public source, v3.0.3):

* Tiles are boxes: a tile's footprint on each tensor axis is the interval from its first to its last coordinate,
  so the rows and columns a stride skips are counted as held, read and filled.
* Temporal deltas are extrapolated: every loop above a tile evaluates its iteration 0 and its iteration 1, which
  stands for all the others; a step's delta is the new box less the box of the step evaluated before it, but only
  while the tile keeps moving by the same stride: when its stride changes (an outer loop steps, the inner ones
  start over) Timeloop drops what the tile held and fetches it whole, even where the two overlap.
* Multicast is per spatial level and only of identical deltas: children whose deltas are equal share one access;
  children whose windows only overlap each get their own (a DummyBuffer keeping nothing is a level too).
* Link transfers (unless disabled, as ``TIMELOOP_DISABLE_LINK_TRANSFERS`` does): at every spatial level a child
  whose delta equals a mesh neighbour's previous delta takes it from the neighbour, when that lowers the parent's
  accesses in that step; the neighbour's level is charged one read and one fill per transfer, spread over every
  instance of the child level.
* Bypassed levels are folded into their parent: the parent's accesses become the bypassed level's accesses times
  its own fan-out over its average multicast.
* Fills are the parent's deliveries shared over its fan-out (so a read-back partial sum is filled into every PE of
  a reduction group), and read-write tensors elide the first read and the first fill of every output a level holds
  (its partition: the outputs one instance ever holds); nothing is drained.

Per-instance figures are those of instance 0 (Timeloop computes one instance per spatial level and translates the
rest); whole-layer totals are per-instance figures times the instances used.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import product as cartesian

import numpy as np

from stationary.core import Tensor, prod
from stationary.mapping.tiles import footprint, overlap_size, tensor_axes, tile_bounds_at


@dataclass(frozen=True, slots=True)
class TimeloopLevels:
    """Per storage level (index as in the arch) of one tensor, before bypassed levels are folded in:
    ``accesses``/``weighted`` the accesses the level serves its children (weighted: times their multicast),
    ``fanout`` its logical fan-out, ``links`` its link transfers, ``partition`` its first-access elision, ``fills``
    the parent's share per instance, ``instances`` the instances used. All per instance."""
    accesses: tuple[float, ...]
    weighted: tuple[float, ...]
    fanout: tuple[int, ...]
    links: tuple[float, ...]
    partition: tuple[int, ...]
    fills: tuple[float, ...]
    instances: tuple[int, ...]

    def folded(self, parent: int, child: int) -> float:
        """The parent's accesses once every level strictly between it and ``child`` (all bypassed) is folded in."""
        content = self.accesses[child - 1]
        for cur in range(child - 1, parent, -1):
            outer = cur - 1
            weighted = self.weighted[outer]
            factor = content * self.fanout[outer] / weighted if weighted else 0.0
            content = self.accesses[outer] * factor
        return content

    def counts(self, tensor: Tensor, keepers: list[int], depth: int) -> dict[int, tuple[int, int, int]]:
        """Whole-layer (reads, fills, updates) per level that keeps ``tensor``: Timeloop's per-instance figures,
        rounded as it rounds them, times the instances used."""
        per_instance = {k: [0.0, 0.0, 0.0] for k in keepers}
        written = tensor is Tensor.PSUM
        for parent, child in zip(keepers, keepers[1:] + [depth]):
            served = self.folded(parent, child)
            per_instance[parent][0] += served - (self.partition[parent] if written else 0)
            per_instance[parent][2] += served if written else 0.0
            if child < depth:
                peer = self.peer(child)
                per_instance[child][0] += peer
                per_instance[child][1] += self.fills[child] + peer - (self.partition[child] if written else 0)
        return {k: tuple(round_half_up(v) * self.instances[k] for v in values)
                for k, values in per_instance.items()}

    def delivered(self, tensor: Tensor, parent: int, child: int, depth: int) -> int:
        """Words crossing the fan-outs between ``parent`` and ``child``: what the children are sent, and for
        outputs the updates sent back up."""
        sent = self.fills[child] * self.instances[child] if child < depth else 0.0
        if tensor is Tensor.PSUM:
            sent += self.folded(parent, child) * self.instances[parent]
        return round_half_up(sent)

    def peer(self, child: int) -> float:
        """Per instance of ``child``: reads and fills its link transfers cost (Timeloop spreads the transfers of one
        parent instance over every instance of the child level, in whole words)."""
        return float(int(self.links[child - 1]) // self.instances[child]) if child >= 1 else 0.0


def timeloop_levels(layer, arch, mapping, nest, strides, tensor: Tensor, conventions) -> TimeloopLevels:
    """Every storage level's figures for ``tensor`` under Timeloop's conventions (``conventions.boxes`` and
    ``conventions.link_transfers`` switch those two off, for the diff that attributes each difference)."""
    depth = len(arch.levels)
    axes = tensor_axes(layer, tensor)
    extents = [tile_bounds_at(nest, i) for i in range(depth + 1)]
    shapes = [_Shape(axes, extents[i], conventions.boxes) for i in range(depth)]
    sizes = [shape.size for shape in shapes]
    link_transfers = conventions.link_transfers
    spatial = [tuple(loop for loop in lm.spatial if loop.bound > 1) for lm in mapping.levels]
    fanout = [prod(loop.bound for loop in spatial[i]) for i in range(depth)]
    instances = [prod(fanout[:i]) for i in range(depth)]
    accesses, weighted, links = [0.0] * depth, [0.0] * depth, [0.0] * depth
    steps = mapping.temporal_steps
    for i in range(depth):
        offsets = _offsets(axes, [(strides[pos], loop) for pos, (lvl, loop) in enumerate(nest)
                                  if lvl == i and loop.spatial and loop.bound > 1])
        groups = len(set(offsets))
        if i == depth - 1:  # served to the MACs: one operand per MAC per step
            accesses[i], weighted[i] = steps * groups, steps * fanout[i]
            continue
        mesh = _mesh(arch, i, spatial[i], offsets) if link_transfers and fanout[i] > 1 else None
        accesses[i], weighted[i], links[i] = _serve(shapes[i + 1], nest, strides, i + 1, offsets, groups, mesh,
                                                    conventions.stride_refetch)
    partition = [sizes[0]] * depth
    for i in range(1, depth):
        span = _Shape(axes, _with_spatial(extents[i], spatial[i - 1]), True).size if fanout[i - 1] > 1 else sizes[i]
        partition[i] = partition[i - 1] * sizes[i] // span
    fills = [0.0] + [weighted[i - 1] / fanout[i - 1] for i in range(1, depth)]
    return TimeloopLevels(tuple(accesses), tuple(weighted), tuple(fanout), tuple(links), tuple(partition),
                          tuple(fills), tuple(instances))


def _with_spatial(extents: dict, loops) -> dict:
    out = dict(extents)
    for loop in loops:
        out[loop.dim] = out.get(loop.dim, 1) * loop.bound
    return out


def _offsets(axes, loops) -> list[tuple[int, ...]]:
    """Each child's offset on every tensor axis, for (stride, loop) spatial loops outermost first: children in
    Timeloop's order (the outermost loop varies slowest)."""
    out = []
    for index in cartesian(*(range(loop.bound) for _, loop in loops)):
        moved: dict = {}
        for (stride, loop), k in zip(loops, index):
            moved[loop.dim] = moved.get(loop.dim, 0) + k * stride
        out.append(tuple(sum(coef * moved.get(d, 0) for d, coef in axis.terms) for axis in axes))
    return out


def _mesh(arch, level: int, loops, offsets) -> list[set[tuple[int, ...]]]:
    """For each child, how far (in tensor coordinates) the data of each mesh neighbour sits from its own: Timeloop's
    grid is as wide as the larger of the physical and the mapped X fan-out, children numbered row by row."""
    below = arch.levels[level + 1] if level + 1 < len(arch.levels) else arch.mac
    x = max(below.fanout_x, prod(loop.bound for loop in loops if loop.axis.value == "X"))
    y = max(below.fanout_y, prod(loop.bound for loop in loops if loop.axis.value == "Y"))
    out = []
    for child, mine in enumerate(offsets):
        h, v = child % x, child // x
        near = [vv * x + hh for hh, vv in ((h, v - 1), (h, v + 1), (h - 1, v), (h + 1, v))
                if 0 <= hh < x and 0 <= vv < y and vv * x + hh < len(offsets)]
        out.append({tuple(a - b for a, b in zip(offsets[n], mine)) for n in near})
    return out


class _Shape:
    """A tile's footprint on each tensor axis, at offset 0: its bounding box (Timeloop) or its exact coordinates
    (strided holes left out). A tile at some base index is the shape moved by the base's per-axis position."""

    def __init__(self, axes, extents: dict, boxes: bool):
        self.axes = axes
        self.coords = []
        for axis in axes:
            exact = footprint(axis, extents)
            self.coords.append(np.arange(int(exact[-1]) + 1) if boxes else exact)
        self.size = prod(len(c) for c in self.coords)
        self._overlap: dict = {}

    def position(self, base: dict) -> tuple[int, ...]:
        return tuple(sum(coef * base.get(d, 0) for d, coef in axis.terms) for axis in self.axes)

    def common(self, a: tuple[int, ...], b: tuple[int, ...]) -> int:
        """Words two placements of the tile share."""
        out = 1
        for k, (x, y) in enumerate(zip(a, b)):
            key = (k, y - x)
            if key not in self._overlap:
                self._overlap[key] = overlap_size(self.coords[k], y - x)
            out *= self._overlap[key]
            if not out:
                return 0
        return out


def _walk(nest, strides, child: int, hardware: bool):
    """Timeloop's extrapolated walk over the temporal loops above ``child``: (weight, base index per dimension)
    for every step it evaluates, in order (iteration 0, then iteration 1 weighted by the bound less one). With
    ``hardware``, after each loop a weight-0 entry for where the tile really is when the loop ends (every loop from
    it down at its last iteration), so that the next step's delta is the one the hardware fetches."""
    above = [(strides[pos], loop) for pos, (lvl, loop) in enumerate(nest)
             if lvl < child and not loop.spatial and loop.bound > 1]

    def rec(k, weight, base):
        if k == len(above):
            yield weight, base
            return
        stride, loop = above[k]
        yield from rec(k + 1, weight, base)
        moved = dict(base)
        moved[loop.dim] = moved.get(loop.dim, 0) + stride
        yield from rec(k + 1, weight * (loop.bound - 1), moved)
        if hardware:
            last = dict(base)
            for inner_stride, inner in above[k:]:
                last[inner.dim] = last.get(inner.dim, 0) + inner_stride * (inner.bound - 1)
            yield 0, last

    yield from rec(0, 1, {})


def _serve(shape: _Shape, nest, strides, child, offsets, groups, mesh, stride_refetch: bool):
    """Accesses, weighted accesses and link transfers of the level above ``child``, per instance. A delta is named
    by (where the tile is, where it was when the two overlap): equal names, equal point sets."""
    accesses = weighted = links = 0.0
    previous, previous_delta, stride = None, None, None
    for weight, base in _walk(nest, strides, child, not stride_refetch):
        here = shape.position(base)
        if weight == 0:
            previous = here
            continue
        moved_by = tuple(a - b for a, b in zip(here, previous)) if previous is not None else None
        if not stride_refetch:
            common = shape.common(here, previous) if previous is not None else 0
        elif stride is None or moved_by == stride:  # Timeloop keeps what the tile held only while its stride holds
            common = shape.common(here, previous) if previous is not None else 0
            stride = moved_by if stride is None else stride
        else:
            common, stride = 0, None
        delta = shape.size - common
        name = (here, previous if common else None)
        previous = here
        if delta == 0:
            previous_delta = None
            continue
        without = (groups * delta, len(offsets) * delta)
        chosen, moved = without, 0
        if mesh is not None and previous_delta is not None:
            # a child takes its delta from a neighbour whose previous delta is the same point set: the neighbour's
            # data must sit where this delta moved from the previous one
            shift = _displacement(name, previous_delta)
            taken = {c for c, near in enumerate(mesh) if shift in near} if shift is not None else set()
            rest = [offsets[c] for c in range(len(offsets)) if c not in taken]
            with_links = (len(set(rest)) * delta, len(rest) * delta)
            if with_links[0] < without[0]:
                chosen, moved = with_links, len(taken) * delta
        accesses += weight * chosen[0]
        weighted += weight * chosen[1]
        links += weight * moved
        previous_delta = name
    return accesses, weighted, links


def _displacement(current, previous) -> tuple[int, ...] | None:
    """The shift that carries delta ``previous`` onto delta ``current`` (each named by where its tile is and where
    it was, when the two overlap), or None when no shift does."""
    (here, before), (here_p, before_p) = current, previous
    shift = tuple(a - b for a, b in zip(here, here_p))
    if (before is None) != (before_p is None):
        return None
    if before is not None and tuple(a - b for a, b in zip(before, before_p)) != shift:
        return None
    return shift


def round_half_up(x: float) -> int:
    """``std::round`` as Timeloop rounds its per-instance figures (halves away from zero; they are never negative)."""
    return int(math.floor(x + 0.5))
