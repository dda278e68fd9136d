"""A network on an array of engines: each layer's split chosen, its parts mapped, weights kept on chip when they fit.

Every distinct part shape of every candidate split is mapped once (by ``solve``, the mapper); then the layers are
taken in order and each gets the candidate split that is best for the objective given its producer's split (the
copies depend on it), by ``key(energy, cycles)`` (the mapper's objective order; fewest cycles first by default).
The choice is greedy, layer by layer.

**Resident weights.** When the arch names a ``resident_weights`` level and every node's weights for the whole
network (each layer's part, copies included where a split needs the same weights on several nodes) fit in it,
the weights are loaded once and stay: each part's compulsory weight traffic (one read of every weight from the
outermost level and one fill of the resident level) moves out of the per-inference counts into ``load``, the
one-time cost. Reads beyond the compulsory ones (a mapping that refetches) stay per inference.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from stationary.arch.spec import Arch
from stationary.core import Dim, StationaryError, Tensor
from stationary.model.counts import AccessCounts, LevelCounts, sum_level_counts
from stationary.model.energy import Energy, energy
from stationary.model.evaluate import LayerResult
from stationary.model.latency import latency
from stationary.partition.evaluate import SplitLayerResult, assemble, evaluate_split
from stationary.partition.split import SPLIT_DIMS, Split, candidate_splits, split_layer
from stationary.workload.layer import Layer
from stationary.workload.network import NETWORK_INPUT, Network


@dataclass(frozen=True, slots=True)
class SplitNetworkResult:
    """A network on an arch (one engine or many): per-layer results, and the one-time weight load if resident."""
    network: str
    arch: Arch
    layers: tuple[SplitLayerResult, ...]
    resident: bool
    resident_words: int        # the largest node's weights for the whole network (what residency needs)
    load: Energy | None        # the one-time weight load's energy when resident

    @property
    def macs(self) -> int:
        return sum(r.layer.macs for r in self.layers)

    @property
    def energy_total(self) -> float:
        return sum(r.energy.total for r in self.layers)

    @property
    def cycles(self) -> int:
        return sum(r.cycles for r in self.layers)

    @property
    def latency_ms(self) -> float:
        return self.cycles / (self.arch.clock_mhz * 1e3)

    def by_level(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for r in self.layers:
            for level, e in r.energy.by_level().items():
                out[level] = out.get(level, 0.0) + e
        return out

    def accesses(self, level: str) -> int:
        return sum(c.total for r in self.layers for c in r.counts.levels if c.level == level)


def _key(layer: Layer) -> Layer:
    return replace(layer, name="")


def delay_first(energy_total: float, cycles: int) -> tuple:
    """The default order of candidate splits: fewest cycles, then least energy."""
    return cycles, energy_total


def _producer(network: Network, index: int, chosen: dict[str, SplitLayerResult]):
    preds = network.predecessors(network.layers[index].name)
    if not preds or preds[0] == NETWORK_INPUT:
        return None, None
    done = chosen[preds[0]]
    return done.layer, done.split


def evaluate_network(network: Network, arch: Arch, solve_all: Callable[[list[Layer]], list[LayerResult]], *,
                     key: Callable[[float, int], tuple] = delay_first, dims: tuple[Dim, ...] = SPLIT_DIMS,
                     splits: dict[str, Split] | None = None) -> SplitNetworkResult:
    """Every layer of ``network`` on ``arch``; ``solve_all`` maps a list of layers (distinct shapes) at once; the
    smallest ``key(energy, cycles)`` picks each layer's split.

    ``dims`` limits the split dimensions tried; ``splits`` fixes a layer's split by name (checked to cover it)."""
    candidates = {}
    for layer in network.layers:
        if splits and layer.name in splits:
            candidates[layer.name] = (splits[layer.name],)
        else:
            candidates[layer.name] = candidate_splits(layer, arch.nodes, dims)
        if not candidates[layer.name]:
            raise StationaryError(f"no split of this layer over {arch.nodes} nodes along "
                                  f"{', '.join(d.name for d in dims)} covers it", where=f"layer {layer.name}",
                                  field="nodes", value=arch.nodes)
    shapes = {}
    for layer in network.layers:
        for split in candidates[layer.name]:
            for part in split_layer(layer, split):
                shapes.setdefault(_key(part.layer), part.layer)
    solved = dict(zip(shapes, solve_all(list(shapes.values()))))

    def solve(sub: Layer) -> LayerResult:
        result = solved[_key(sub)]
        return result if result.layer.name == sub.name else replace(result, layer=sub)

    chosen: dict[str, SplitLayerResult] = {}
    for i, layer in enumerate(network.layers):
        producer, producer_split = _producer(network, i, chosen)
        options = [evaluate_split(layer, arch, s, solve, producer, producer_split) for s in candidates[layer.name]]
        chosen[layer.name] = min(options, key=lambda r: key(r.energy.total, r.cycles))
    layers = tuple(chosen[layer.name] for layer in network.layers)
    return _resident(network.name, arch, layers)


def _resident(name: str, arch: Arch, layers: tuple[SplitLayerResult, ...]) -> SplitNetworkResult:
    if not arch.resident_weights:
        return SplitNetworkResult(name, arch, layers, False, 0, None)
    index = arch.level_index(arch.resident_weights)
    level = arch.levels[index]
    capacity = arch.instances(index) * next(words for ts, words in level.capacity_groups() if Tensor.WEIGHT in ts)
    per_node = [0] * arch.nodes
    for r in layers:
        for v, part in enumerate(r.parts):
            per_node[v] += part.layer.weights
    need = max(per_node)
    if need > capacity:
        return SplitNetworkResult(name, arch, layers, False, need, None)
    top = arch.levels[0].name
    kept, loads = [], []
    for r in layers:
        parts = []
        for p in r.parts:
            moved = (LevelCounts(top, Tensor.WEIGHT, reads=min(p.counts.at(top, Tensor.WEIGHT).reads, p.layer.weights)),
                     LevelCounts(level.name, Tensor.WEIGHT,
                                 fills=min(p.counts.at(level.name, Tensor.WEIGHT).fills, p.layer.weights)))
            loads.extend(moved)
            counts = _minus(p.counts, moved)
            parts.append(replace(p, counts=counts, energy=energy(counts, arch), latency=latency(counts, arch)))
        kept.append(assemble(r.layer, arch, r.split, tuple(parts), r.remote))
    load_counts = AccessCounts("weight load", 0, 0, 0, sum_level_counts(loads), ())
    return SplitNetworkResult(name, arch, tuple(kept), True, need, energy(load_counts, arch))


def _minus(counts: AccessCounts, moved: tuple[LevelCounts, ...]) -> AccessCounts:
    out = []
    for c in counts.levels:
        m = next((x for x in moved if x.level == c.level and x.tensor is c.tensor), None)
        out.append(c if m is None else LevelCounts(c.level, c.tensor, c.reads - m.reads, c.fills - m.fills,
                                                   c.updates, c.drains))
    return replace(counts, levels=tuple(out))
