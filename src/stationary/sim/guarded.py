"""Counting by moving words when bounds leave remainders: every loop runs its full bound, an iteration whose index
reaches a dimension is skipped (a *guard*), and each child holds, at each step, the words of the iterations it
still has.

The same walk as :mod:`stationary.sim.counting`, with tiles that change shape. For a hop, every loop's digits are
expanded into dimension indices; a step (a tuple of the temporal loops above the child) exists when its indices are
inside the layer, an instance (a tuple of spatial loops) is a child, and the child's tile at a step is the set of
addresses of its tile points (the loops at the child and below) whose indices, added to the step's and the
instance's, stay inside the layer. Nothing is assumed about the shape of that set: tiles are looked up per
distinct ``room`` (per dimension, how many indices are left) and compared as sets of addresses.

* inputs and weights: each child fetches the words of its tile missing from its tile one step before (a child with
  no work holds nothing); its parent reads, per step, the distinct words its children fetch;
* outputs: a child's residency lasts while its tile (for C, R and S, the tile of the child at index 0 of the
  spatial loops between the two levels: a reduction group holds its outputs together) stays the same; at its
  start the representative child is filled with partial sums if the child held those words before, at its end
  the child drains and the parent is updated once per distinct word (spatial reduction);
* MACs: each working MAC needs one word of each operand per step and accumulates into one output, which its
  parent reads back unless this parent has never had it accumulated before.

>>> from stationary.arch import preset
>>> from stationary.core import Dim, Tensor
>>> from stationary.mapping import LevelMapping, Loop, Mapping
>>> from stationary.workload import conv
>>> layer = conv("row", 1, 1, (1, 7), (1, 3))            # F = 5 in strips of 2, 2 and 1
>>> m = Mapping((LevelMapping(temporal=(Loop(Dim.F, 3),)), LevelMapping(),
...              LevelMapping(temporal=(Loop(Dim.F, 2, residual=1), Loop(Dim.S, 3)))))
>>> count_guarded(layer, preset("eyeriss"), m).at("RF", Tensor.IFMAP).fills    # words 0-3, 4-5, 6
7
"""
from __future__ import annotations

import numpy as np

from stationary.arch.spec import Arch
from stationary.core import DIMS, Tensor
from stationary.mapping.mapping import Mapping
from stationary.model.counts import AccessCounts
from stationary.sim.counting import BATCH_WORDS, n_distinct, tally
from stationary.sim.nest import loop_weights, odometer, tensor_shape
from stationary.workload.layer import Layer


class GuardedHop:
    """One hop's steps (only those with work), instances, and each (step, instance)'s tile as a shape id."""

    def __init__(self, layer: Layer, mapping: Mapping, tensor: Tensor, parent: int, child: int):
        self.tensor, self.parent, self.child = tensor, parent, child
        self.depth = len(mapping.levels)
        self.space = int(np.prod(tensor_shape(layer, tensor)))
        size = layer.dims
        lw = loop_weights(layer, mapping, tensor)
        places = _places(mapping)
        above = [(k, lvl, loop, w) for k, (lvl, loop, w) in enumerate(lw) if lvl < child]
        temporal = [a for a in above if not a[2].spatial]
        spatial = [a for a in above if a[2].spatial]
        tile = [(k, loop, w) for k, (lvl, loop, w) in enumerate(lw) if lvl >= child]

        def index(loops, d, skip_mid=False):
            return odometer((loop.bound, places[k] if loop.dim is d and not (skip_mid and lvl >= parent) else 0)
                            for k, lvl, loop, _ in loops)

        step_index = {d: index(temporal, d) for d in DIMS}
        live = np.ones(len(step_index[DIMS[0]]), dtype=bool)
        for d in DIMS:
            live &= step_index[d] < size[d]
        self.step_origin = odometer((loop.bound, w) for _, _, loop, w in temporal)[live]
        self.instance_origin = odometer((loop.bound, w) for _, _, loop, w in spatial)
        self.per_parent = int(np.prod([loop.bound for _, lvl, loop, _ in spatial if lvl >= parent]))
        self.parents = len(self.instance_origin) // self.per_parent
        rep = np.ones(1, dtype=bool)
        for _, lvl, loop, _ in spatial:
            first = np.arange(loop.bound) == 0 if (lvl >= parent and loop.dim not in tensor.dims) \
                else np.ones(loop.bound, dtype=bool)
            rep = (rep[:, None] & first[None, :]).ravel()
        self.representative = rep
        # tile points: their addresses and their index along each dimension
        self.point_address = odometer((loop.bound, w) for _, loop, w in tile)
        self.point_index = {d: odometer((loop.bound, places[k] if loop.dim is d else 0) for k, loop, _ in tile)
                            for d in DIMS}
        self.extent = {d: int(self.point_index[d].max()) + 1 for d in DIMS}
        # per (step, instance): how many indices of each dimension are left, as one shape id
        group_outputs = tensor is Tensor.PSUM and child < self.depth
        self.shape = np.zeros((int(live.sum()), len(self.instance_origin)), dtype=np.int64)
        self.radix = {}
        place = 1
        for d in DIMS:
            inst = index(spatial, d, skip_mid=group_outputs and d not in tensor.dims)
            room = np.clip(size[d] - step_index[d][live][:, None] - inst[None, :], 0, self.extent[d])
            self.shape += room * place
            self.radix[d] = place
            place *= self.extent[d] + 1
        self._tiles: dict[int, np.ndarray] = {}

    @property
    def instances(self) -> int:
        return len(self.instance_origin)

    def tile(self, shape: int) -> np.ndarray:
        """Sorted distinct addresses (relative to the child's origin) of the tile points with work."""
        if shape not in self._tiles:
            keep = np.ones(len(self.point_address), dtype=bool)
            for d in DIMS:
                room = (shape // self.radix[d]) % (self.extent[d] + 1)
                keep &= self.point_index[d] < room
            self._tiles[shape] = np.unique(self.point_address[keep])
        return self._tiles[shape]

    def words(self, steps: np.ndarray, insts: np.ndarray, shapes: np.ndarray) -> np.ndarray:
        """Keys ``(step x parents + parent) x space + address`` of every word of these (step, instance) tiles, for
        distinct counts per step and parent instance."""
        keys, words = [], []
        if not len(steps):
            return np.zeros(0, dtype=np.int64)
        origin = self.step_origin[steps] + self.instance_origin[insts]
        local = (steps - steps.min()) * self.parents + insts // self.per_parent
        for shape in np.unique(shapes):
            sel = shapes == shape
            rel = self.tile(int(shape))
            if len(rel):
                words.append((origin[sel][:, None] + rel[None, :]).ravel())
                keys.append(np.repeat(local[sel], len(rel)))
        if not words:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate(keys) * self.space + np.concatenate(words)


def _places(mapping: Mapping) -> list[int]:
    """For each loop of the nest, how far its dimension's index moves per iteration (inner bounds multiplied)."""
    nest = [loop for level in mapping.levels for loop in level.temporal + level.spatial]
    out, inner = [0] * len(nest), {d: 1 for d in DIMS}
    for k in range(len(nest) - 1, -1, -1):
        out[k] = inner[nest[k].dim]
        inner[nest[k].dim] *= nest[k].bound
    return out


def _operand(hop: GuardedHop) -> tuple[int, int]:
    """(parent reads, child fills) of inputs or weights."""
    n_steps, n_inst = hop.shape.shape
    if hop.child == hop.depth:
        active = working(hop)
        fills = int(active.sum())
        reads = 0
        for lo, hi in _chunks(n_steps, n_inst):
            s, i = np.nonzero(active[lo:hi])
            reads += n_distinct(hop.words(s + lo, i, hop.shape[lo:hi][s, i]))
        return reads, fills
    fills = reads = 0
    for lo, hi in _chunks(n_steps, n_inst):
        steps = np.repeat(np.arange(lo, hi), n_inst)
        insts = np.tile(np.arange(n_inst), hi - lo)
        new = hop.shape[lo:hi].ravel()
        old = np.where(steps > 0, hop.shape[np.maximum(steps - 1, 0), insts], -1)
        move = np.where(steps > 0, hop.step_origin[steps] - hop.step_origin[np.maximum(steps - 1, 0)], 0)
        keys, words = [], []
        local = (steps - lo) * hop.parents + insts // hop.per_parent
        origin = hop.step_origin[steps] + hop.instance_origin[insts]
        triples = np.stack([old, new, move], axis=1)
        uniq, inverse = np.unique(triples, axis=0, return_inverse=True)
        inverse = inverse.ravel()
        for k, (o, n, d) in enumerate(uniq):
            fresh = hop.tile(int(n))
            if o >= 0:
                fresh = np.setdiff1d(fresh, hop.tile(int(o)) - int(d), assume_unique=True)
            if not len(fresh):
                continue
            sel = inverse == k
            fills += int(sel.sum()) * len(fresh)
            words.append((origin[sel][:, None] + fresh[None, :]).ravel())
            keys.append(np.repeat(local[sel], len(fresh)))
        if words:
            reads += n_distinct(np.concatenate(keys) * hop.space + np.concatenate(words))
    return reads, fills


def working(hop: GuardedHop) -> np.ndarray:
    """(step, instance) pairs whose tile is not empty."""
    shapes, inverse = np.unique(hop.shape, return_inverse=True)
    nonempty = np.array([len(hop.tile(int(k))) > 0 for k in shapes], dtype=bool)
    return nonempty[inverse.ravel()].reshape(hop.shape.shape)


def _chunks(n_steps: int, n_inst: int):
    step = max(1, BATCH_WORDS // max(1, n_inst * 16))
    for lo in range(0, n_steps, step):
        yield lo, min(n_steps, lo + step)


def _outputs(hop: GuardedHop) -> tuple[int, int, int, int]:
    """(parent reads, parent updates, child fills, child drains) of partial sums."""
    n_steps, n_inst = hop.shape.shape
    busy = working(hop)
    if hop.child == hop.depth:
        drains = int(busy.sum())
        updates, touched = 0, []
        for lo, hi in _chunks(n_steps, n_inst):
            s, i = np.nonzero(busy[lo:hi])
            keys = hop.words(s + lo, i, hop.shape[lo:hi][s, i])
            updates += n_distinct(keys)
            parent = (keys // hop.space) % hop.parents
            touched.append(np.unique(parent * hop.space + keys % hop.space))
        first = n_distinct(np.concatenate(touched)) if touched else 0
        return updates - first, updates, 0, drains
    held = np.zeros((n_inst, hop.space), dtype=bool)
    shapes, inverse = np.unique(hop.shape, return_inverse=True)        # tiles compared as sets of words
    contents: dict[bytes, int] = {}
    tile_id = np.array([contents.setdefault(hop.tile(int(k)).tobytes(), len(contents)) for k in shapes])
    tiles = tile_id[inverse.ravel()].reshape(hop.shape.shape)
    same_as_before = np.zeros_like(busy)
    same_as_before[1:] = (tiles[1:] == tiles[:-1]) & (np.diff(hop.step_origin) == 0)[:, None]
    starts = busy & ~same_as_before
    ends = np.zeros_like(busy)
    ends[:-1] = busy[:-1] & ~same_as_before[1:]
    ends[-1] = busy[-1]
    fills = reads = drains = updates = 0
    for s in np.flatnonzero(starts.any(axis=1)):
        insts = np.flatnonzero(starts[s])
        receive = []
        for i in insts:
            rel = hop.tile(int(hop.shape[s, i]))
            words = hop.step_origin[s] + hop.instance_origin[i] + rel
            continued = bool(held[i, words].any())
            held[i, words] = True
            if continued and hop.representative[i]:
                fills += len(rel)
                receive.append(i)
        if receive:
            r = np.array(receive)
            reads += n_distinct(hop.words(np.full(len(r), s), r, hop.shape[s, r]))
    for s in np.flatnonzero(ends.any(axis=1)):
        insts = np.flatnonzero(ends[s])
        shapes = hop.shape[s, insts]
        drains += sum(len(hop.tile(int(k))) for k in shapes)
        updates += n_distinct(hop.words(np.full(len(insts), s), insts, shapes))
    return reads, updates, fills, drains


def count_guarded(layer: Layer, arch: Arch, mapping: Mapping) -> AccessCounts:
    """Every read, fill, update and drain per level and tensor, and the words crossing each fan-out."""
    def hop_counts(tensor, parent, child):
        hop = GuardedHop(layer, mapping, tensor, parent, child)
        if tensor is Tensor.PSUM:
            reads, updates, fills, drains = _outputs(hop)
            return reads, fills, updates, drains
        reads, fills = _operand(hop)
        return reads, fills, 0, 0

    levels, nets = tally(arch, mapping, hop_counts)
    steps_hop = GuardedHop(layer, mapping, Tensor.PSUM, 0, len(arch.levels))
    units = int(working(steps_hop).any(axis=0).sum())
    return AccessCounts(layer=layer.name, macs=layer.macs, steps=len(steps_hop.step_origin), units_used=units,
                        levels=levels, network=nets)
