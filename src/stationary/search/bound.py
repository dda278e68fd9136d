"""Sound lower bounds, in bulk: per tiling (any loop order), and per layer (any mapping).

For a tiling and a bypass choice, every term of the analytical model is bounded below without knowing the loop
orders: the hop into the MACs does not depend on order and is counted exactly (for the ifmap, the rows its spatial
loops cover are bounded by the larger of the E and R spreads, W likewise); on every other hop, each instance of
the child receives each word it ever uses at least once, and each instance of the parent sends (outputs: takes
back) each word its subtree uses at least once. Network transfers count 0. Cycles are bounded by the temporal
steps and by each level's bandwidth on these words. tests/test_search_bound.py holds the bound under
``stationary.model.evaluate`` on random mappings.

>>> from stationary.arch import preset
>>> from stationary.workload import fc
>>> compulsory_energy(fc("fc", 4, 8), preset("eyeriss"))   # 32 MACs + (32 + 8 + 4) words x DRAM 200
8832.0
"""
from __future__ import annotations

import numpy as np

from stationary.arch.spec import Arch
from stationary.core import DIMS, TENSORS, Tensor
from stationary.search.space import slots
from stationary.search.tiling import C, E, F, G, M, N, R, S, words
from stationary.workload.layer import Layer


def compulsory_energy(layer: Layer, arch: Arch) -> float:
    """MAC energy plus every tensor's words once at the outermost level (outputs written, the rest read)."""
    full = np.array([[layer.dims[d] for d in DIMS]], dtype=np.int64)
    top = arch.levels[0]
    total = layer.macs * arch.mac.mac_energy
    for t in TENSORS:
        cost = top.write_cost(t) if t is Tensor.PSUM else top.read_cost(t)
        total += float(words(t, full, layer)[0]) * cost
    return total


def tiling_bounds(rows: np.ndarray, layer: Layer, arch: Arch, bypass) -> tuple[np.ndarray, np.ndarray]:
    """(energy, cycles) lower bounds for each tiling row under ``bypass`` (a frozenset of tensors per level)."""
    sl = slots(arch)
    depth = len(arch.levels)
    temporal = [k for k, s in enumerate(sl) if s.axis is None]
    steps = rows[:, :, temporal].prod(axis=(1, 2))
    energy = np.full(len(rows), float(layer.macs * arch.mac.mac_energy))
    level_words = [np.zeros(len(rows)) for _ in range(depth)]

    def excl(level):   # extents over every slot but the spatial ones above ``level``
        ks = [k for k, s in enumerate(sl) if not (s.axis is not None and s.level < level)]
        return rows[:, :, ks].prod(axis=2)

    def instances(level):
        ks = [k for k, s in enumerate(sl) if s.axis is not None and s.level < level]
        return rows[:, :, ks].prod(axis=(1, 2)) if ks else np.ones(len(rows), dtype=np.int64)

    def charge(level, tensor, count, write):
        nonlocal energy
        lv = arch.levels[level]
        energy = energy + count * (lv.write_cost(tensor) if write else lv.read_cost(tensor))
        level_words[level] += count

    for t in TENSORS:
        keepers = [i for i in range(depth) if t in arch.levels[i].keeps - bypass[i]]
        for p, c in zip(keepers, keepers[1:] + [depth]):
            pi = instances(p)
            if c < depth:
                charge(p, t, pi * words(t, excl(p), layer), write=t is Tensor.PSUM)
                charge(c, t, instances(c) * words(t, excl(c), layer), write=t is not Tensor.PSUM)
                continue
            sp = rows[:, :, [k for k, s in enumerate(sl) if s.axis is not None and s.level >= p]].prod(axis=2)
            if t is Tensor.WEIGHT:
                union = sp[:, G] * sp[:, M] * sp[:, C] * sp[:, R] * sp[:, S]
            elif t is Tensor.PSUM:
                union = sp[:, N] * sp[:, G] * sp[:, M] * sp[:, E] * sp[:, F]
            else:
                union = (sp[:, N] * sp[:, G] * sp[:, C] * np.maximum(sp[:, E], sp[:, R])
                         * np.maximum(sp[:, F], sp[:, S]))
            if t is Tensor.PSUM:
                fresh = rows[:, :, temporal][:, [N, G, M, E, F], :].prod(axis=(1, 2))
                charge(p, t, steps * union * pi, write=True)
                charge(p, t, (steps - fresh) * union * pi, write=False)
            else:
                charge(p, t, steps * union * pi, write=False)
    cycles = steps.astype(np.float64)
    for i, level in enumerate(arch.levels):
        if level.bandwidth_words_per_cycle is not None:
            cycles = np.maximum(cycles, np.ceil(level_words[i] / arch.instances(i) / level.bandwidth_words_per_cycle))
    sizes = np.array([layer.dims[d] for d in DIMS])
    past = (rows.prod(axis=2) != sizes[None, :]).any(axis=1)
    if past.any():   # bounds past a dimension (remainders): tiles above are padded, so only the layer-wide floors hold
        units = rows[:, :, [k for k, s in enumerate(sl) if s.axis is not None]].prod(axis=(1, 2))
        energy = np.where(past, compulsory_energy(layer, arch), energy)
        cycles = np.where(past, np.ceil(layer.macs / units), cycles)
    return energy, cycles
