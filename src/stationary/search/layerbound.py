"""A lower bound of the mapper's objective over a layer's whole mapping space, in closed form (no enumeration).

``tiling_bounds`` bounds one tiling; this bounds every tiling at once, so the mapper can state how far its answer
can be from the optimum even where the space is too large to enumerate (AlexNet CONV1 on
``timeloop-eyeriss-like`` has 15.5 million tilings per bypass choice). For each bypass choice the search allows and
each tensor, with keepers ``k0 (outermost) .. kn (innermost)``:

* every hop between consecutive keepers moves each word of the tensor at least once (parent read and child
  write; outputs: child read and parent update), as in ``tiling_bounds``;
* the hop into the MACs reads the innermost keeper once per MAC, divided by the reuse the MACs below it can share
  one read among: spatial loops below ``kn`` over the dimensions the tensor does not depend on, so at most the
  fan-out below ``kn`` and at most those dimensions' sizes (weights: N E F; outputs: C R S; inputs: M and the
  overlap of E with R and F with S). Outputs are also read back (``1 - 1/T`` of the updates, ``T`` the temporal
  steps of C R S, which the fan-out above ``kn`` limits); the reuse ``q`` that minimizes the sum is taken.

The energy bound is the smallest such sum over bypass choices plus the MACs, and never below the compulsory
energy; cycles are bounded by the MACs spread over every unit and by the outermost level's bandwidth on every
word once. ``first_term`` combines them as the objective's first sort term (EDP: the product of the two bounds).
The bound ignores buffer capacities (a mapping that refetches because a tile does not fit pays more); the gap the
mapper reports says how much that and the loop orders cost at most. tests/test_search_layerbound.py holds it under
``stationary.model.evaluate`` on random layers, archs and mappings.

>>> from stationary.arch import preset
>>> from stationary.workload import fc
>>> from stationary.search.bound import compulsory_energy
>>> layer, arch = fc("fc", 4, 8), preset("eyeriss")
>>> layer_energy_bound(layer, arch, None) >= compulsory_energy(layer, arch)
True
"""
from __future__ import annotations

import math

import numpy as np

from stationary.arch.spec import Arch
from stationary.core import DIMS, TENSORS, Dim, Tensor, prod
from stationary.mapping.dataflows import Dataflow
from stationary.search.bound import compulsory_energy
from stationary.search.objective import Objective
from stationary.search.space import bypass_choices, fanout, slots
from stationary.search.tiling import words
from stationary.workload.layer import Layer


def layer_energy_bound(layer: Layer, arch: Arch, dataflow: Dataflow | None, choices=None) -> float:
    """The least energy any mapping of ``layer`` on ``arch`` can have (bypass ``choices``: the dataflow's)."""
    choices = bypass_choices(arch, dataflow) if choices is None else choices
    full = np.array([[layer.dims[d] for d in DIMS]], dtype=np.int64)
    size = {t: int(words(t, full, layer)[0]) for t in TENSORS}
    best = math.inf
    cache: dict = {}
    for bypass in choices:
        total = float(layer.macs * arch.mac.mac_energy)
        for t in TENSORS:
            keepers = tuple(i for i in range(len(arch.levels)) if t in arch.levels[i].keeps - bypass[i])
            if (t, keepers) not in cache:
                cache[t, keepers] = _tensor_bound(layer, arch, t, keepers, size[t])
            total += cache[t, keepers]
        best = min(best, total)
    return max(best, compulsory_energy(layer, arch))


def layer_cycles_bound(layer: Layer, arch: Arch) -> int:
    """The fewest cycles any mapping can take: every MAC unit busy every cycle, and the outermost level's
    bandwidth moving each word it keeps once."""
    units = prod(fanout(arch, s) for s in slots(arch) if s.axis is not None)
    cycles = math.ceil(layer.macs / units)
    top = arch.levels[0]
    if top.bandwidth_words_per_cycle is not None:
        full = np.array([[layer.dims[d] for d in DIMS]], dtype=np.int64)
        moved = sum(int(words(t, full, layer)[0]) for t in TENSORS if t in top.keeps)
        cycles = max(cycles, math.ceil(moved / top.bandwidth_words_per_cycle))
    return cycles


def first_term(objective: Objective, layer: Layer, arch: Arch, dataflow: Dataflow | None, choices=None) -> float:
    """The lower bound of ``objective``'s first sort term (energy, cycles, or their product) over the space."""
    if objective in (Objective.DELAY, Objective.DELAY_ENERGY):
        return float(layer_cycles_bound(layer, arch))
    energy = layer_energy_bound(layer, arch, dataflow, choices)
    return energy * layer_cycles_bound(layer, arch) if objective is Objective.EDP else energy


def gap_by_tensor(layer: Layer, arch: Arch, result) -> dict[Tensor, float]:
    """Where a mapping's energy sits above this bound: per tensor, the model's energy for it (every level and
    fan-out) less the bound's term for the same keepers (the mapping's bypass choice). The MACs cost the same on
    both sides, so the excesses add up to the mapping's energy less the bound of its bypass choice: at most its
    distance to ``layer_energy_bound``, which takes the least over bypass choices.

    >>> from stationary.arch import preset
    >>> from stationary.search import search
    >>> from stationary.workload import conv
    >>> layer, arch = conv("c", 8, 4, 9, 3), preset("eyeriss")
    >>> excess = gap_by_tensor(layer, arch, search(layer, arch, None).best)
    >>> all(v >= 0 for v in excess.values())
    True
    """
    full = np.array([[layer.dims[d] for d in DIMS]], dtype=np.int64)
    bypass = tuple(lm.bypass for lm in result.mapping.levels)
    out = {}
    for t in TENSORS:
        keepers = tuple(i for i in range(len(arch.levels)) if t in arch.levels[i].keeps - bypass[i])
        spent = sum(e.energy for e in result.energy.entries if e.tensor is t)
        out[t] = spent - _tensor_bound(layer, arch, t, keepers, int(words(t, full, layer)[0]))
    return out


def _tensor_bound(layer: Layer, arch: Arch, tensor: Tensor, keepers: tuple[int, ...], size: int) -> float:
    """Energy of ``tensor`` through its chain of keepers: every word once per hop, then the MACs' reads."""
    levels = arch.levels
    out = Tensor.PSUM
    energy = 0.0
    for p, c in zip(keepers, keepers[1:]):
        if tensor is out:
            energy += size * (levels[p].write_cost(tensor) + levels[c].read_cost(tensor))
        else:
            energy += size * (levels[p].read_cost(tensor) + levels[c].write_cost(tensor))
    if not keepers:
        return energy
    inner = keepers[-1]
    below = prod(fanout(arch, s) for s in slots(arch) if s.axis is not None and s.level >= inner)
    above = prod(fanout(arch, s) for s in slots(arch) if s.axis is not None and s.level < inner)
    d = layer.dims
    macs, lv = float(layer.macs), levels[inner]
    if tensor is Tensor.WEIGHT:     # every word is read at least once too
        return energy + max(size, macs / min(below, d[Dim.N] * d[Dim.E] * d[Dim.F])) * lv.read_cost(tensor)
    if tensor is Tensor.IFMAP:
        reuse = d[Dim.M] * min(d[Dim.E], d[Dim.R]) * min(d[Dim.F], d[Dim.S])
        return energy + max(size, macs / min(below, reuse)) * lv.read_cost(tensor)
    crs = d[Dim.C] * d[Dim.R] * d[Dim.S]
    q = np.arange(1, min(below, crs) + 1, dtype=np.float64)
    back = 1.0 - np.minimum(1.0, q * above / crs)     # reads: updates less the first one of each output
    return energy + float((np.maximum(size, macs / q) * lv.write_cost(out) + macs / q * back * lv.read_cost(out)).min())
