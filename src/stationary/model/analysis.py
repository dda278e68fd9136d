"""The analytical model: (Layer, Arch, Mapping) -> AccessCounts, exact and in closed form.

Semantics (docs/semantics.md has the long form, with worked examples):

* A level keeps one tile per tensor at a time. As the temporal loops above a child level advance, its tile moves;
  the words fetched are those of the new tile not in the old one (so an ifmap halo is fetched once, and a tile
  that does not move is not refetched). Advancing loop q moves its dimension by q's stride and rewinds every
  loop inside it; there are ``(B_q - 1) x (product of bounds outside q)`` such steps.
* The parent reads, per step, the union over its children of what they newly need (multicast: a word needed by
  several children at once is read once). Children sit at offsets set by the spatial loops between the two
  levels. Because the children's offsets form a product over the tensor's axes, the union's size is
  ``prod(n1) - prod(n2)`` with per-axis counts (see ``_union_delta``), so nothing is enumerated.
* The MACs keep nothing: each MAC reads one weight and one input and updates one partial sum per step.
* Outputs: a tile's residency ends when it moves; the child drains it up (spatial siblings that differ only in
  C, R or S are reduced on the way, so the parent is updated once per word). A residency that continues
  outputs computed before is first filled with their partial sums (into one child of each reduction group);
  the first residency of each output starts from zero and reads nothing.
* Bounds that leave remainders (the last iteration covers what is left, edge tiles are smaller, idle children
  hold nothing) are counted by :mod:`stationary.model.imperfect`, also in closed form.

>>> from stationary.arch import preset
>>> from stationary.mapping import Mapping, LevelMapping, Loop
>>> from stationary.workload import conv
>>> from stationary.core import Dim, Tensor
>>> arch = preset("eyeriss")
>>> layer = conv("tiny", 2, 1, 4, 3)           # E = F = 2
>>> m = Mapping((LevelMapping(temporal=(Loop(Dim.M, 2),)), LevelMapping(temporal=(Loop(Dim.E, 2),)),
...              LevelMapping(temporal=(Loop(Dim.F, 2), Loop(Dim.R, 3), Loop(Dim.S, 3)))))
>>> counts = analyze(layer, arch, m)
>>> counts.at("RF", Tensor.WEIGHT).reads == layer.macs   # one weight per MAC from the innermost level
True
>>> counts.at("DRAM", Tensor.IFMAP).reads                # the 4x4 input once: M does not move it
16
"""
from __future__ import annotations

from stationary.arch.spec import Arch
from stationary.core import StationaryError, TENSORS, Tensor, prod
from stationary.mapping.legality import check, kept
from stationary.mapping.mapping import Mapping
from stationary.mapping.tiles import (footprint, fresh_union_size, lattice, loop_strides, overlap_size, tensor_axes,
                                      tile_bounds_at, union_size)
from stationary.model.conventions import Conventions
from stationary.model.counts import AccessCounts, LevelCounts, NetworkCounts
from stationary.model.imperfect import hop_counts
from stationary.model.timeloop_counts import timeloop_levels
from stationary.workload.layer import Layer


def analyze(layer: Layer, arch: Arch, mapping: Mapping, *, validate: bool = True,
            conventions: Conventions = Conventions.PHYSICAL) -> AccessCounts:
    """Exact reads, fills, updates and drains per level and tensor, and network transfers per fan-out, counted by
    ``conventions``: the physical count by default, Timeloop v3.0.3's with ``Conventions.TIMELOOP``
    (:mod:`stationary.model.timeloop_counts`; docs/timeloop.md)."""
    if validate:
        check(layer, arch, mapping)
    if conventions.timeloop and not mapping.perfect:
        raise StationaryError("Timeloop's counting conventions are modelled for loop bounds that divide their "
                              "dimensions; this mapping leaves remainders", where=f"layer {layer.name}",
                              field="conventions", value=str(conventions))
    return analyze_hops(layer, arch, mapping, _perfect_hop if mapping.perfect else hop_counts, conventions)


def _perfect_hop(layer, nest, strides, tensor, parent, child, depth):
    pair = _Pair(layer, depth, nest, strides, tensor, parent, child)
    return pair.output_counts() if tensor is Tensor.PSUM else pair.input_counts()


def analyze_hops(layer: Layer, arch: Arch, mapping: Mapping, hop,
                 conventions: Conventions = Conventions.PHYSICAL) -> AccessCounts:
    """The counts with ``hop(layer, nest, strides, tensor, parent, child, depth)`` counting each
    parent/child hop of each tensor (the perfect-factor closed form, or :func:`~stationary.model.imperfect.
    hop_counts`, which also holds for perfect factors)."""
    nest = mapping.nest()
    strides = loop_strides(nest)
    depth = len(arch.levels)
    totals: dict[tuple[int, Tensor], list[int]] = {}
    network: dict[tuple[str, Tensor], int] = {}

    def add(level: int, tensor: Tensor, reads=0, fills=0, updates=0, drains=0):
        entry = totals.setdefault((level, tensor), [0, 0, 0, 0])
        for k, v in enumerate((reads, fills, updates, drains)):
            entry[k] += v

    for tensor in TENSORS:
        keepers = [i for i in range(depth) if tensor in kept(arch, mapping, i)]
        if conventions.timeloop:
            levels = timeloop_levels(layer, arch, mapping, nest, strides, tensor, conventions)
            for level, (reads, fills, updates) in levels.counts(tensor, keepers, depth).items():
                add(level, tensor, reads=reads, fills=fills, updates=updates)
            for parent, child in zip(keepers, keepers[1:] + [depth]):
                for name in fanouts_crossed(arch, parent, child):
                    moved = levels.delivered(tensor, parent, child, depth)
                    network[(name, tensor)] = network.get((name, tensor), 0) + moved
            continue
        for parent, child in zip(keepers, keepers[1:] + [depth]):
            r = hop(layer, nest, strides, tensor, parent, child, depth)
            if tensor is Tensor.PSUM:
                add(parent, tensor, reads=r["parent_reads"], updates=r["parent_updates"])
                if child < depth:
                    add(child, tensor, fills=r["child_fills"], drains=r["child_drains"])
                moved = r["child_fills"] + r["child_drains"] - r["parent_updates"]
            else:
                add(parent, tensor, reads=r["parent_reads"])
                if child < depth:
                    add(child, tensor, fills=r["child_fills"])
                moved = r["child_fills"]
            for name in fanouts_crossed(arch, parent, child):
                network[(name, tensor)] = network.get((name, tensor), 0) + moved

    levels = tuple(LevelCounts(arch.levels[i].name, t, *v) for (i, t), v in sorted(
        totals.items(), key=lambda kv: (kv[0][0], TENSORS.index(kv[0][1]))))
    nets = tuple(NetworkCounts(name, t, v) for (name, t), v in network.items() if v)
    return AccessCounts(layer=layer.name, macs=layer.macs, steps=mapping.temporal_steps,
                        units_used=mapping.spatial_units, levels=levels, network=nets)


def fanouts_crossed(arch: Arch, parent: int, child: int) -> list[str]:
    """The fan-outs a word crosses from level ``parent`` down to ``child`` (``len(arch.levels)``: the MACs)."""
    depth = len(arch.levels)
    names = [arch.levels[i].name for i in range(parent + 1, min(child, depth - 1) + 1)
             if i < depth and arch.levels[i].fanout > 1]
    if child == depth and arch.mac.fanout_x * arch.mac.fanout_y > 1:
        names.append("MAC")
    return names


class _Pair:
    """One parent/child hop of one tensor: the child is the next level down that keeps it (``depth`` = MACs)."""

    def __init__(self, layer, depth, nest, strides, tensor, parent, child):
        self.tensor, self.parent, self.child, self.depth = tensor, parent, child, depth
        self.axes = tensor_axes(layer, tensor)
        self.above = [(pos, loop) for pos, (lvl, loop) in enumerate(nest) if lvl < child and not loop.spatial]
        self.between = [(pos, loop) for pos, (lvl, loop) in enumerate(nest)
                        if parent <= lvl < child and loop.spatial]
        self.child_instances = prod(loop.bound for lvl, loop in nest if lvl < child and loop.spatial)
        self.parent_instances = prod(loop.bound for lvl, loop in nest if lvl < parent and loop.spatial)
        self.strides = strides
        tile = tile_bounds_at(nest, child) if child < self.depth else {}
        self.base = [footprint(axis, tile) for axis in self.axes]
        ranges: dict = {}
        for pos, loop in self.between:
            ranges.setdefault(loop.dim, []).append((strides[pos], loop.bound))
        self.offsets = [lattice(axis.terms, ranges) for axis in self.axes]

    def steps(self):
        """(count, per-axis displacement) for every kind of step of the temporal loops above the child."""
        outer = 1
        for k, (pos, loop) in enumerate(self.above):
            if loop.bound > 1:
                disp = {loop.dim: self.strides[pos]}
                for pos2, loop2 in self.above[k + 1:]:
                    disp[loop2.dim] = disp.get(loop2.dim, 0) - (loop2.bound - 1) * self.strides[pos2]
                shift = [sum(coef * disp.get(d, 0) for d, coef in axis.terms) for axis in self.axes]
                yield (loop.bound - 1) * outer, shift
            outer *= loop.bound

    def input_counts(self) -> dict[str, int]:
        first_child = prod(len(b) for b in self.base)
        first_parent = prod(union_size(b, o) for b, o in zip(self.base, self.offsets))
        child, parent = first_child, first_parent
        if self.child == self.depth:  # MACs keep nothing: every step fetches its operands anew
            steps = prod(loop.bound for _, loop in self.above)
            child, parent = steps * first_child, steps * first_parent
        else:
            for count, shift in self.steps():
                child += count * (first_child - prod(overlap_size(b, s) for b, s in zip(self.base, shift)))
                parent += count * _union_delta(self.base, self.offsets, shift)
        return {"child_fills": child * self.child_instances, "parent_reads": parent * self.parent_instances}

    def output_counts(self) -> dict[str, int]:
        tile = prod(len(b) for b in self.base)
        union = prod(union_size(b, o) for b, o in zip(self.base, self.offsets))
        if self.child == self.depth:
            residencies = prod(loop.bound for _, loop in self.above)
        else:
            residencies = 1 + sum(count for count, shift in self.steps() if any(shift))
        fresh = prod(loop.bound for _, loop in self.above if loop.dim in self.tensor.dims)
        reduction = prod(loop.bound for _, loop in self.between if loop.dim not in self.tensor.dims)
        continued = residencies - fresh
        return {
            "child_fills": continued * tile * self.child_instances // reduction if self.child < self.depth else 0,
            "child_drains": residencies * tile * self.child_instances,
            "parent_updates": residencies * union * self.parent_instances,
            "parent_reads": continued * union * self.parent_instances,
        }


def _union_delta(bases, offsets, shift) -> int:
    """Words new to at least one child after a step: |U_o ((B + d) minus B) + o| over the children's offsets o.

    Per axis a, n1 counts coordinates some child's new tile covers and n2 those where every child covering them
    already held them; a point is new to some child iff it is covered on every axis and not "already held" on
    some axis, so the count is prod(n1) - prod(n2)."""
    n1 = n2 = 1
    for base, offs, d in zip(bases, offsets, shift):
        covered = union_size(base, offs)
        n1 *= covered
        n2 *= covered - fresh_union_size(base, offs, d)
    return n1 - n2
