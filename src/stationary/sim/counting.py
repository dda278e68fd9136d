"""Counting by moving words: every tile of every instance, step by step, as sets of word addresses.

For one tensor and one hop (a keeping level, the *parent*, and the next keeping level down, the *child*, or the
MACs), the simulator walks the temporal steps of the loops above the child in order. At each step every child
instance holds the words its tile covers: ``origin(step, instance) + footprint``, where the footprint is the set
of addresses spanned by the loops at the child and below (see :mod:`stationary.sim.nest`). What it counts:

* inputs and weights: a child fetches the words of its new tile missing from its old one (a set difference of
  addresses); the parent reads, per step and parent instance, the distinct words its children fetch (multicast);
* outputs: a residency lasts while the tile stays put; a child that held any of its words before is filled with
  their partial sums (only the child at index 0 of the reduction loops between the two levels), the parent reading
  the distinct words filled; at the end of a residency every child drains its tile and the parent is updated once
  per distinct word arriving (spatial reduction);
* the MACs keep nothing: each unit needs one word of each tensor every step; the psum is read unless this unit
  has never accumulated into that word before.

Set sizes come from ``np.unique`` / ``np.setdiff1d`` / bitmaps over real addresses, batched over steps and
instances; nothing is a closed form. Costs are proportional to the words moved plus the steps, and memory to the
tensors (a bitmap per instance of the outputs it has held) plus a bounded batch.

>>> from stationary.arch import preset
>>> from stationary.core import Dim, Tensor
>>> from stationary.mapping import LevelMapping, Loop, Mapping
>>> from stationary.workload import conv
>>> layer = conv("row", 1, 1, (1, 6), (1, 3))
>>> m = Mapping((LevelMapping(), LevelMapping(temporal=(Loop(Dim.F, 4),)), LevelMapping(temporal=(Loop(Dim.S, 3),))))
>>> c = count_accesses(layer, preset("eyeriss"), m)
>>> c.at("RF", Tensor.IFMAP).fills       # 3 words, then one new word per step of F
6
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stationary.arch.spec import Arch
from stationary.core import TENSORS, Tensor, prod
from stationary.mapping.legality import check, kept
from stationary.mapping.mapping import Mapping
from stationary.model.counts import AccessCounts, LevelCounts, NetworkCounts
from stationary.sim.nest import loop_weights, odometer, tensor_shape
from stationary.workload.layer import Layer

BATCH_WORDS = 1 << 22  # addresses handled per numpy batch: bounds the working memory


@dataclass(frozen=True, slots=True)
class HopCounts:
    """What one parent -> child hop of one tensor moved (child fills/drains are at the MACs for the last hop)."""
    parent_reads: int = 0
    parent_updates: int = 0
    child_fills: int = 0
    child_drains: int = 0


class Hop:
    """Geometry of one hop: the steps' origins, the instances' origins, the child's footprint."""

    def __init__(self, layer: Layer, mapping: Mapping, tensor: Tensor, parent: int, child: int):
        self.tensor, self.parent, self.child = tensor, parent, child
        self.depth = len(mapping.levels)
        self.space = int(np.prod(tensor_shape(layer, tensor)))
        self.loop_weights = lw = loop_weights(layer, mapping, tensor)
        above = [(lvl, loop, w) for lvl, loop, w in lw if lvl < child]
        self.step_origin = odometer((loop.bound, w) for _, loop, w in above if not loop.spatial)
        spatial = [(lvl, loop, w) for lvl, loop, w in above if loop.spatial]   # nest order: parent's first
        self.instance_origin = odometer((loop.bound, w) for _, loop, w in spatial)
        self.per_parent = prod(loop.bound for lvl, loop, _ in spatial if lvl >= parent)
        self.parents = len(self.instance_origin) // self.per_parent
        # the child at index 0 of every between-loop the tensor does not depend on receives the fills
        rep = np.ones(1, dtype=bool)
        for lvl, loop, _ in spatial:
            first = np.arange(loop.bound) == 0 if (lvl >= parent and loop.dim not in tensor.dims) \
                else np.ones(loop.bound, dtype=bool)
            rep = (rep[:, None] & first[None, :]).ravel()
        self.representative = rep
        self.footprint = np.unique(odometer((loop.bound, w) for lvl, loop, w in lw if lvl >= child))

    @property
    def instances(self) -> int:
        return len(self.instance_origin)

    def distinct(self, steps: np.ndarray, offsets: np.ndarray, select: np.ndarray | None = None) -> int:
        """Sum over the given steps and parent instances of the number of distinct addresses
        ``step_origin[s] + instance_origin[i] + offset`` over the children i (only those in ``select``)."""
        inst = np.arange(self.instances) if select is None else np.flatnonzero(select)
        if len(steps) == 0 or len(inst) == 0 or len(offsets) == 0:
            return 0
        group = inst // self.per_parent
        if self.per_parent == 1:   # one child per parent: nothing to merge
            return len(steps) * len(inst) * len(offsets)
        words = (self.instance_origin[inst][:, None] + offsets[None, :]).ravel()
        groups = np.repeat(group, len(offsets))
        total = 0
        chunk = max(1, BATCH_WORDS // len(words))
        for lo in range(0, len(steps), chunk):
            part = steps[lo:lo + chunk]
            local = np.arange(len(part), dtype=np.int64)[:, None] * self.parents + groups[None, :]
            keys = local * self.space + (self.step_origin[part][:, None] + words[None, :])
            total += n_distinct(keys.ravel())
        return total

    def moves(self):
        """(steps, displacement) for each distinct displacement of the child's origin between consecutive steps."""
        delta = np.diff(self.step_origin)
        kinds, inverse = np.unique(delta, return_inverse=True)
        for k, d in enumerate(kinds):
            yield np.flatnonzero(inverse == k) + 1, int(d)


def count_operand(hop: Hop) -> HopCounts:
    """Inputs or weights: fetch the new tile's missing words; the parent reads their union per step."""
    n_steps = len(hop.step_origin)
    if hop.child == hop.depth:  # a MAC needs its operand every step
        fills = n_steps * hop.instances
        return HopCounts(parent_reads=hop.distinct(np.arange(n_steps), hop.footprint), child_fills=fills)
    first = np.zeros(1, dtype=np.int64)
    reads = hop.distinct(first, hop.footprint)
    fills = hop.instances * len(hop.footprint)
    for steps, d in hop.moves():
        new = np.setdiff1d(hop.footprint, hop.footprint - d, assume_unique=True)  # relative to the new origin
        fills += len(steps) * hop.instances * len(new)
        reads += hop.distinct(steps, new)
    return HopCounts(parent_reads=reads, child_fills=fills)


def count_outputs(hop: Hop) -> HopCounts:
    """Partial sums: residencies, fills of continued outputs into one child per reduction group, drains,
    and the parent's updates after spatial reduction."""
    if hop.child == hop.depth:
        return _count_mac_outputs(hop)
    held = np.zeros((hop.instances, hop.space), dtype=bool)   # what each child has held before
    rows = np.arange(hop.instances)[:, None]
    changed = np.concatenate([[True], np.diff(hop.step_origin) != 0])
    starts = np.flatnonzero(changed)
    ends = np.concatenate([starts[1:] - 1, [len(hop.step_origin) - 1]])
    fills = reads = 0
    for s in starts:
        words = hop.step_origin[s] + hop.instance_origin[:, None] + hop.footprint[None, :]
        continued = held[rows, words].any(axis=1)
        held[rows, words] = True
        receive = continued & hop.representative
        fills += int(receive.sum()) * len(hop.footprint)
        reads += hop.distinct(np.array([s]), hop.footprint, receive)
    drains = len(ends) * hop.instances * len(hop.footprint)
    updates = hop.distinct(ends, hop.footprint)
    return HopCounts(parent_reads=reads, parent_updates=updates, child_fills=fills, child_drains=drains)


def _count_mac_outputs(hop: Hop) -> HopCounts:
    """Each MAC unit accumulates into one psum per step; the first accumulation into a word reads nothing."""
    n_steps = len(hop.step_origin)
    macs = n_steps * hop.instances
    updates = hop.distinct(np.arange(n_steps), hop.footprint)
    if hop.per_parent == 1:
        first = _first_touches(hop)
        return HopCounts(parent_reads=macs - first, parent_updates=updates, child_drains=macs)
    held = np.zeros(hop.instances * hop.space, dtype=bool)
    inst = np.arange(hop.instances, dtype=np.int64)
    chunk = max(1, BATCH_WORDS // hop.instances)
    reads = 0
    for lo in range(0, n_steps, chunk):
        steps = np.arange(lo, min(n_steps, lo + chunk))
        words = hop.step_origin[steps][:, None] + hop.instance_origin[None, :]
        slot = (inst[None, :] * hop.space + words).ravel()        # (unit, word), in time order
        seen = held[slot]
        _, first_at = np.unique(slot, return_index=True)
        fresh = np.zeros(len(slot), dtype=bool)
        fresh[first_at] = True
        fresh &= ~seen
        held[slot] = True
        again = ~fresh.reshape(words.shape)
        local = (np.arange(len(steps), dtype=np.int64)[:, None] * hop.parents
                 + (inst // hop.per_parent)[None, :])
        keys = (local * hop.space + words)[again]
        reads += n_distinct(keys)
    return HopCounts(parent_reads=reads, parent_updates=updates, child_drains=macs)


def _first_touches(hop: Hop) -> int:
    """Distinct (unit, word) pairs over the whole run, for one MAC unit per parent instance. The loops at the
    innermost level sweep its footprint each time the loops above it step, so the words a unit touches over time
    are the union of those footprints, marked in a bitmap per unit."""
    inner = hop.depth - 1
    lw = hop.loop_weights
    outer = odometer((loop.bound, w) for lvl, loop, w in lw if lvl < inner and not loop.spatial)
    sweep = np.unique(odometer((loop.bound, w) for lvl, loop, w in lw if lvl == inner))
    held = np.zeros(hop.instances * hop.space, dtype=bool)
    base = np.arange(hop.instances, dtype=np.int64) * hop.space + hop.instance_origin
    chunk = max(1, BATCH_WORDS // (hop.instances * len(sweep)))
    for lo in range(0, len(outer), chunk):
        held[(outer[lo:lo + chunk, None, None] + base[None, :, None] + sweep[None, None, :]).ravel()] = True
    return int(held.sum())


def n_distinct(values: np.ndarray) -> int:
    """How many different values (by sorting: faster than numpy's hashing ``unique`` for integer keys)."""
    if values.size == 0:
        return 0
    ordered = np.sort(values)
    return 1 + int(np.count_nonzero(ordered[1:] != ordered[:-1]))


def fanouts_crossed(arch: Arch, parent: int, child: int) -> list[str]:
    """Names of the fan-outs a word crosses from parent to child: every level below the parent down to the child
    whose fan-out is above one, and "MAC" for the array under the innermost level."""
    depth = len(arch.levels)
    names = [arch.levels[i].name for i in range(parent + 1, min(child, depth - 1) + 1) if arch.levels[i].fanout > 1]
    if child == depth and arch.mac.fanout_x * arch.mac.fanout_y > 1:
        names.append("MAC")
    return names


def tally(arch: Arch, mapping: Mapping, hop_counts) -> tuple[tuple[LevelCounts, ...], tuple[NetworkCounts, ...]]:
    """Level and fan-out counts from ``hop_counts(tensor, parent, child)`` -> (parent reads, child fills, parent
    updates, child drains) over every hop between a tensor's keepers (the MACs the last child)."""
    depth = len(arch.levels)
    totals: dict[tuple[int, Tensor], list[int]] = {}
    network: dict[tuple[str, Tensor], int] = {}
    for tensor in TENSORS:
        keepers = [i for i in range(depth) if tensor in kept(arch, mapping, i)]
        for parent, child in zip(keepers, keepers[1:] + [depth]):
            reads, fills, updates, drains = hop_counts(tensor, parent, child)
            entry = totals.setdefault((parent, tensor), [0, 0, 0, 0])
            entry[0] += reads
            entry[2] += updates
            if child < depth:
                entry = totals.setdefault((child, tensor), [0, 0, 0, 0])
                entry[1] += fills
                entry[3] += drains
            moved = fills + drains - updates
            for name in fanouts_crossed(arch, parent, child):
                network[(name, tensor)] = network.get((name, tensor), 0) + moved
    levels = tuple(LevelCounts(arch.levels[i].name, t, *v) for (i, t), v in sorted(
        totals.items(), key=lambda kv: (kv[0][0], TENSORS.index(kv[0][1]))))
    return levels, tuple(NetworkCounts(name, t, v) for (name, t), v in network.items() if v)


def count_accesses(layer: Layer, arch: Arch, mapping: Mapping, *, validate: bool = True) -> AccessCounts:
    """Every read, fill, update and drain per level and tensor, and the words crossing each fan-out."""
    if validate:
        check(layer, arch, mapping)
    if not mapping.perfect:
        from stationary.sim.guarded import count_guarded   # tiles change shape at the edges
        return count_guarded(layer, arch, mapping)

    def hop_counts(tensor, parent, child):
        hop = Hop(layer, mapping, tensor, parent, child)
        r = count_outputs(hop) if tensor is Tensor.PSUM else count_operand(hop)
        return r.parent_reads, r.child_fills, r.parent_updates, r.child_drains

    levels, nets = tally(arch, mapping, hop_counts)
    steps = prod(loop.bound for level in mapping.levels for loop in level.temporal)
    units = prod(loop.bound for level in mapping.levels for loop in level.spatial)
    return AccessCounts(layer=layer.name, macs=layer.macs, steps=steps, units_used=units, levels=levels,
                        network=nets)
