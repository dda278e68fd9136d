"""The chip end to end: configure every CONV layer, evaluate it, gate zeros, price it in pJ, compare with the chip.

>>> from stationary.arch import preset
>>> from stationary.chip.model import chip_results
>>> from stationary.workload import conv
>>> r = chip_results(conv("c", 384, 256, 15, 3, batch=4), preset("eyeriss"))[0]
>>> f = chip_fields(r, density=0.5)
>>> f["nonzero_macs"] == r.layer.macs // 2, sorted(f)[:3]
(True, ['active_pes', 'dram_mb', 'dram_mb_uncompressed'])
"""
from __future__ import annotations

from dataclasses import dataclass

from stationary.arch.presets import preset
from stationary.chip.configuration import RSConfig, configure
from stationary.chip.figures import LayerFigures, pj_arch, rlc_ratio, total
from stationary.chip.model import chip_results
from stationary.chip.sparsity import Densities, chip_data, gate, stated
from stationary.core import StationaryError, Tensor
from stationary.model.energy import energy
from stationary.model.evaluate import LayerResult
from stationary.workload.layer import LayerKind
from stationary.workload.network import Network


def _link_bytes_per_s() -> float:
    link = chip_data()["link"]
    return link["bits"] / 8 * link["clock_mhz"] * 1e6


def figures_of(results: list[LayerResult], name: str, active_pes: int, density: float, *, first_layer: bool,
               output_density: float | None = None) -> LayerFigures:
    """One layer's figures from its evaluated parts (strip groups), with zero gating at ``density`` and RLC on the
    feature maps in DRAM (the input unless ``first_layer``; the final outputs at ``output_density``)."""
    arch = pj_arch(results[0].arch)
    top, glb = arch.levels[0].name, arch.levels[1].name
    word_bytes = arch.word_bits / 8
    out_density = density if output_density is None else output_density
    r_in, r_out = rlc_ratio(density), rlc_ratio(out_density)
    e = dram = glb_words = cycles = macs = nonzero = 0
    coded = 0.0
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
            coded += (words - ifmap - final) + final * r_out + ifmap * (1.0 if first_layer else r_in)
    rlc = coded * word_bytes if r_in is not None and r_out is not None else None
    return LayerFigures(name, macs, nonzero, e, cycles, dram * word_bytes, rlc, glb_words * word_bytes, active_pes,
                        _link_bytes_per_s(), arch.clock_mhz)


def chip_fields(result: LayerResult, *, density: float = 1.0, first_layer: bool = False,
                output_density: float | None = None) -> dict:
    """The chip's fields for `stationary evaluate --arch eyeriss --json`, from any evaluated mapping on the chip:
    latency_ms, processing_latency_ms, power_mw, dram_mb, dram_mb_uncompressed, glb_mb, active_pes, nonzero_macs
    (and energy_uj, gmacs, gmacs_per_w), priced with the 65 nm table."""
    return figures_of([result], result.layer.name, result.counts.units_used, density, first_layer=first_layer,
                      output_density=output_density).json()


@dataclass(frozen=True, slots=True)
class ChipRun:
    network: str
    batch: int
    configs: tuple[RSConfig, ...]
    layers: tuple[LayerFigures, ...]
    densities: Densities

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
    configs, figures = [], []
    for i, layer in enumerate(convs):
        config = configure(layer)
        nxt = densities.of(convs[i + 1].name) if i + 1 < len(convs) else None
        figures.append(figures_of(chip_results(layer, arch, config), layer.name, config.active_pes,
                                  densities.of(layer.name), first_layer=(i == 0), output_density=nxt))
        configs.append(config)
    return ChipRun(network.name, convs[0].N if convs else 1, tuple(configs), tuple(figures), densities)


def measured(network: str) -> dict | None:
    """The chip's measured figures for a network, with their source (None when none are published)."""
    return chip_data()["measured"].get(network.lower())
