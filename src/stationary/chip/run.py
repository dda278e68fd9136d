"""The chip end to end: configure every CONV layer, evaluate it, gate zeros, price it in pJ, compare with the chip.

>>> from stationary.arch import preset
>>> from stationary.chip.model import chip_result
>>> from stationary.workload import conv
>>> r = chip_result(conv("c", 384, 256, 15, 3, batch=4), preset("eyeriss"))
>>> f = chip_fields(r, density=0.5)
>>> f["nonzero_macs"] == r.layer.macs // 2, sorted(f)[:3], f["active_pes"]
(True, ['active_pes', 'dram_mb', 'dram_mb_uncompressed'], 156)
"""
from __future__ import annotations

from dataclasses import dataclass

from stationary.arch.presets import preset
from stationary.chip.configuration import RSConfig, configure
from stationary.chip.figures import LayerFigures, pj_arch, rlc_ratio, total
from stationary.chip.link import Link, stall_cycles
from stationary.chip.model import chip_result
from stationary.chip.sparsity import Densities, chip_data, gate, stated
from stationary.core import StationaryError, Tensor
from stationary.model.energy import energy
from stationary.model.evaluate import LayerResult
from stationary.workload.layer import LayerKind
from stationary.workload.network import Network


def chip_link() -> Link:
    """The chip's off-chip data bus, from the chip's data file (with its source)."""
    link = chip_data()["link"]
    return Link(int(link["bits"]), float(link["clock_mhz"]), str(link.get("source", "")))


def figures_of(results: list[LayerResult], name: str, density: float, *, first_layer: bool,
               output_density: float | None = None) -> LayerFigures:
    """One layer's figures from its evaluated mapping(s), with zero gating at ``density``, RLC on the feature maps
    in DRAM (the input unless ``first_layer``; the final outputs at ``output_density``), and the stalls on the
    chip's link (:mod:`stationary.chip.link`). Active PEs: MACs per array cycle (the PEs busy on average; the
    product of the spatial loops when nothing is left over)."""
    arch = pj_arch(results[0].arch)
    top, glb = arch.levels[0].name, arch.levels[1].name
    word_bytes = arch.word_bits / 8
    out_density = density if output_density is None else output_density
    r_in, r_out = rlc_ratio(density), rlc_ratio(out_density)
    e = dram = glb_words = cycles = macs = nonzero = stall = 0
    coded = 0.0
    link = chip_link()
    for r in results:
        gated = gate(r.counts, density)
        e += energy(gated, arch).total
        macs, nonzero, cycles = macs + r.counts.macs, nonzero + gated.macs, cycles + r.latency.compute_cycles
        words = sum(c.total for c in r.counts.levels if c.level == top)
        glb_words += sum(c.total for c in r.counts.levels if c.level == glb)
        dram += words
        if r_in is not None and r_out is not None:
            ifmap = r.counts.at(top, Tensor.IFMAP).total
            final = min(r.layer.N * r.layer.M * r.layer.E * r.layer.F, r.counts.at(top, Tensor.PSUM).updates)
            layer_coded = (words - ifmap - final) + final * r_out + ifmap * (1.0 if first_layer else r_in)
            coded += layer_coded
            stall += stall_cycles(r, link, layer_coded / words if words else 1.0)
        else:
            stall += stall_cycles(r, link)
    rlc = coded * word_bytes if r_in is not None and r_out is not None else None
    active = round(macs / cycles) if cycles else 0
    return LayerFigures(name, macs, nonzero, e, cycles, dram * word_bytes, rlc, glb_words * word_bytes, active,
                        stall, arch.clock_mhz)


def chip_fields(result: LayerResult, *, density: float = 1.0, first_layer: bool = False,
                output_density: float | None = None) -> dict:
    """The chip's fields for `stationary evaluate --arch eyeriss --json`, from any evaluated mapping on the chip:
    latency_ms, processing_latency_ms, power_mw, dram_mb, dram_mb_uncompressed, glb_mb, active_pes, nonzero_macs
    (and energy_uj, gmacs, gmacs_per_w), priced with the 65 nm table."""
    return figures_of([result], result.layer.name, density, first_layer=first_layer,
                      output_density=output_density).json()


@dataclass(frozen=True, slots=True)
class ChipRun:
    network: str
    batch: int
    configs: tuple[RSConfig, ...]
    layers: tuple[LayerFigures, ...]
    densities: Densities
    results: tuple[LayerResult, ...] = ()      # the chip's mapping of each layer, evaluated

    @property
    def total(self) -> LayerFigures:
        return total(list(self.layers))


def run_chip(network: Network, densities: Densities | None = None) -> ChipRun:
    """Every CONV layer of ``network`` on the chip, in order."""
    arch = preset("eyeriss")
    densities = densities or stated(network.name)
    convs = [l for l in network.layers if l.kind is LayerKind.CONV]
    if not convs:
        raise StationaryError("the Eyeriss chip runs CONV layers and this network has none", source=network.name,
                              field="layers", value=f"{len(network.layers)} {network.layers[0].kind.value} layers")
    densities.check_layers([l.name for l in convs])
    configs, figures, results = [], [], []
    for i, layer in enumerate(convs):
        config = configure(layer)
        result = chip_result(layer, arch, config)
        figures.append(layer_figures(result, densities, convs, i))
        configs.append(config)
        results.append(result)
    return ChipRun(network.name, convs[0].N if convs else 1, tuple(configs), tuple(figures), densities,
                   tuple(results))


def layer_figures(result: LayerResult, densities: Densities, convs: list, index: int) -> LayerFigures:
    """The figures of the ``index``-th CONV layer's evaluated mapping, whoever chose the mapping (the chip's
    configuration or the mapper): the same function, so the same mapping gives the same figures."""
    nxt = densities.of(convs[index + 1].name) if index + 1 < len(convs) else None
    return figures_of([result], result.layer.name, densities.of(result.layer.name), first_layer=(index == 0),
                      output_density=nxt)


def measured(network: str) -> dict | None:
    """The chip's measured figures for a network, with their source (None when none are published)."""
    return chip_data()["measured"].get(network.lower())


@dataclass(frozen=True, slots=True)
class MapperComparison:
    """One layer: the chip's figures beside those of the mapper's best mapping on the same ``eyeriss`` arch
    (what ``stationary evaluate --arch eyeriss --dataflow rs`` reports), both through :func:`layer_figures`."""
    chip: LayerFigures
    mapper: LayerFigures
    same_mapping: bool

    @property
    def energy_change(self) -> float:
        """Mapper's energy / chip's - 1 (negative: the mapper found a better mapping)."""
        return self.mapper.energy_pj / self.chip.energy_pj - 1.0

    @property
    def latency_change(self) -> float:
        return self.mapper.latency_ms / self.chip.latency_ms - 1.0

    def json(self) -> dict:
        out = self.chip.json()
        out["evaluate"] = {k: v for k, v in self.mapper.json().items() if k != "layer"}
        out.update(same_mapping=self.same_mapping, mapper_energy_change_relative=self.energy_change,
                   mapper_latency_change_relative=self.latency_change)
        return out

    def verdict(self) -> str:
        if self.same_mapping:
            return f"{self.chip.layer}: the mapper chose the chip's own mapping"
        better = [f"{-x:.1%} less {what}" for x, what in ((self.energy_change, "energy"),
                                                           (self.latency_change, "latency")) if x < -5e-4]
        worse = [f"{x:.1%} more {what}" for x, what in ((self.energy_change, "energy"),
                                                         (self.latency_change, "latency")) if x > 5e-4]
        if better:
            return f"{self.chip.layer}: the mapper finds a better mapping than the chip's: " + ", ".join(
                better + worse)
        return f"{self.chip.layer}: the chip's mapping is at least as good as the mapper's" + (
            f" (the mapper's: {', '.join(worse)})" if worse else "")


def compare_with_mapper(network: Network, run: ChipRun, objective: str = "delay,energy") -> list[MapperComparison]:
    """The mapper's best RS mapping of every CONV layer on the ``eyeriss`` arch beside the chip's."""
    from stationary.mapping.dataflows import Dataflow
    from stationary.search import search
    arch = preset("eyeriss")
    convs = [l for l in network.layers if l.kind is LayerKind.CONV]
    out = []
    for i, (layer, chip) in enumerate(zip(convs, run.results)):
        best = search(layer, arch, Dataflow.RS, objective=objective).best
        out.append(MapperComparison(run.layers[i], layer_figures(best, run.densities, convs, i),
                                    best.mapping == chip.mapping))
    return out
