"""A layer split over an array of engines, evaluated: each node's part by the mapper and the model, plus the words
the nodes copy from each other.

The counts of a split layer are the sum of its parts' counts plus the copies (:mod:`traffic`): each copied word is
one read of the outermost level (at the node that holds it), one fill of the outermost level (at the node that
needs it) and one transfer across the node network (``Arch.node_network_energy``). Energy is then the model's one
product (``stationary.model.energy``) over those counts, so it is the parts' energies plus the copies' exactly.
The nodes run in parallel: a layer takes its slowest part, after the copies (each node's copies limited by its
own outermost-level bandwidth; no overlap with the compute is assumed).

With one node the only split is ``none``, the one part is the layer itself, nothing is copied, and the result is
the single-engine evaluation exactly.

>>> from stationary.arch import preset
>>> from stationary.model.evaluate import evaluate
>>> from stationary.mapping import Mapping, LevelMapping, Loop
>>> from stationary.workload import fc
>>> from stationary.core import Dim
>>> layer, arch = fc("fc", 4, 8), preset("eyeriss")
>>> one = evaluate(layer, arch, Mapping((LevelMapping(temporal=(Loop(Dim.M, 4), Loop(Dim.C, 8))),
...                                     LevelMapping(), LevelMapping())))
>>> r = evaluate_split(layer, arch, Split(), lambda sub: one, None, None)
>>> r.energy.total == one.energy.total, r.cycles == one.latency.cycles, r.remote
(True, True, (0,))
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from stationary.arch.spec import Arch
from stationary.core import StationaryError, Tensor
from stationary.model.counts import AccessCounts, LevelCounts, NetworkCounts, sum_level_counts
from stationary.model.energy import NODES, Energy, energy
from stationary.model.evaluate import LayerResult
from stationary.partition.split import Split, split_layer
from stationary.partition.traffic import remote_words
from stationary.workload.layer import Layer

Solver = Callable[[Layer], LayerResult]


@dataclass(frozen=True, slots=True)
class SplitLayerResult:
    """One layer on every node: ``parts[v]`` is node v's result, ``remote[v]`` the input words it copied in."""
    layer: Layer
    arch: Arch
    split: Split
    parts: tuple[LayerResult, ...]
    remote: tuple[int, ...]
    counts: AccessCounts
    energy: Energy
    cycles: int
    copy_cycles: int

    @property
    def copied_words(self) -> int:
        return sum(self.remote)

    @property
    def latency_ms(self) -> float:
        return self.cycles / (self.arch.clock_mhz * 1e3)


def combine(layer: Layer, arch: Arch, parts: tuple[LayerResult, ...], remote: tuple[int, ...]) -> AccessCounts:
    """The parts' counts summed per level and tensor, plus the copies (outermost read + fill, a node transfer)."""
    copied = sum(remote)
    copies = (LevelCounts(arch.levels[0].name, Tensor.IFMAP, reads=copied, fills=copied),) if copied else ()
    levels = sum_level_counts([c for part in parts for c in part.counts.levels] + list(copies))
    network: dict[tuple[str, Tensor], int] = {}
    for part in parts:
        for n in part.counts.network:
            network[(n.level, n.tensor)] = network.get((n.level, n.tensor), 0) + n.transfers
    if copied:
        network[(NODES, Tensor.IFMAP)] = copied
    return AccessCounts(layer.name, sum(p.counts.macs for p in parts), max(p.counts.steps for p in parts),
                        sum(p.counts.units_used for p in parts), levels,
                        tuple(NetworkCounts(level, tensor, t) for (level, tensor), t in network.items()))


def evaluate_split(layer: Layer, arch: Arch, split: Split, solve: Solver, producer: Layer | None,
                   producer_split: Split | None) -> SplitLayerResult:
    """``layer`` split by ``split`` over ``arch.nodes`` nodes, each part solved by ``solve`` (the mapper)."""
    if split.nodes != arch.nodes:
        raise StationaryError(f"the split must use the arch's {arch.nodes} nodes", where=f"layer {layer.name}",
                              field="split", value=str(split))
    parts = tuple(solve(p.layer) for p in split_layer(layer, split))
    return assemble(layer, arch, split, parts, remote_words(layer, split, producer, producer_split))


def assemble(layer: Layer, arch: Arch, split: Split, parts: tuple[LayerResult, ...], remote: tuple[int, ...]
             ) -> SplitLayerResult:
    """The split layer's result from its parts' results and the words each node copied in."""
    counts = combine(layer, arch, parts, remote)
    bandwidth = arch.levels[0].bandwidth_words_per_cycle
    copy = max((math.ceil(r / bandwidth) for r in remote), default=0) if bandwidth else 0
    cycles = copy + max(p.latency.cycles for p in parts)
    return SplitLayerResult(layer, arch, split, parts, remote, counts, energy(counts, arch), cycles, copy)
