"""One mapping, fully evaluated: counts, energy, latency, and the ISCA 2016 reuse view.

>>> from stationary.arch import preset
>>> from stationary.mapping import Mapping, LevelMapping, Loop
>>> from stationary.workload import fc
>>> from stationary.core import Dim
>>> layer = fc("fc", 4, 8)
>>> m = Mapping((LevelMapping(temporal=(Loop(Dim.M, 4), Loop(Dim.C, 8))), LevelMapping(), LevelMapping()))
>>> r = evaluate(layer, preset("eyeriss"), m)
>>> r.energy.per_mac > 1, r.latency.cycles
(True, 32)
"""
from __future__ import annotations

from dataclasses import dataclass

from stationary.arch.spec import Arch
from stationary.mapping.mapping import Mapping
from stationary.model.analysis import analyze
from stationary.model.conventions import Conventions
from stationary.model.counts import AccessCounts
from stationary.model.energy import Energy, energy
from stationary.model.latency import Latency, latency
from stationary.workload.layer import Layer


@dataclass(frozen=True, slots=True)
class LayerResult:
    layer: Layer
    arch: Arch
    mapping: Mapping
    counts: AccessCounts
    energy: Energy
    latency: Latency

    @property
    def dram_accesses(self) -> int:
        top = self.arch.levels[0].name
        return sum(c.total for c in self.counts.levels if c.level == top)

    @property
    def dram_accesses_per_mac(self) -> float:
        return self.dram_accesses / self.layer.macs


def evaluate(layer: Layer, arch: Arch, mapping: Mapping, *, validate: bool = True,
             conventions: Conventions = Conventions.PHYSICAL) -> LayerResult:
    """Counts (by ``conventions``: physical by default, or Timeloop's), energy and latency of one mapping."""
    counts = analyze(layer, arch, mapping, validate=validate, conventions=conventions)
    return LayerResult(layer, arch, mapping, counts, energy(counts, arch), latency(counts, arch))


@dataclass(frozen=True, slots=True)
class NetworkResult:
    """Per-layer results of one network on one architecture, and their totals."""
    network: str
    arch: Arch
    layers: tuple[LayerResult, ...]

    @property
    def macs(self) -> int:
        return sum(r.layer.macs for r in self.layers)

    @property
    def energy_total(self) -> float:
        return sum(r.energy.total for r in self.layers)

    @property
    def energy_per_mac(self) -> float:
        return self.energy_total / (self.macs * self.arch.mac.mac_energy)

    @property
    def cycles(self) -> int:
        return sum(r.latency.cycles for r in self.layers)

    @property
    def dram_accesses(self) -> int:
        return sum(r.dram_accesses for r in self.layers)

    @property
    def utilization(self) -> float:
        return self.macs / (self.cycles * self.arch.pes) if self.cycles else 0.0
