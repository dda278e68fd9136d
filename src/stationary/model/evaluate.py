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
from stationary.core import prod
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
    used = None
    if conventions.timeloop:
        fanouts = [prod(loop.bound for loop in lm.spatial) for lm in mapping.levels]
        used = tuple(prod(fanouts[:i]) for i in range(len(fanouts)))
    return LayerResult(layer, arch, mapping, counts, energy(counts, arch, used_instances=used),
                       latency(counts, arch, used_instances=used))


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
        """Energy per MAC in multiples of one MAC's energy (``x MAC``, the ISCA 2016 view) on any table; JSON
        calls it ``energy_per_mac_normalized`` (docs/semantics.md, "Units")."""
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

    def to_records(self) -> list[dict]:
        """One flat dict per layer: energy (with ``energy_unit``) and its breakdowns as ``energy_<category>``
        and ``energy_<tensor>`` in that unit, cycles, latency, utilization, DRAM accesses.

        >>> from stationary import api
        >>> rows = api.evaluate("lenet5", "eyeriss", layers=["F6"], objective="energy").to_records()
        >>> rows[0]["layer"], rows[0]["macs"], rows[0]["energy_unit"], "energy_DRAM" in rows[0]
        ('F6', 10080, 'MAC', True)
        """
        rows = []
        for r in self.layers:
            row = {"network": self.network, "arch": self.arch.name, "layer": r.layer.name,
                   "kind": r.layer.kind.value, "macs": r.layer.macs, "energy": r.energy.total,
                   "energy_unit": self.arch.unit.value, "energy_per_mac": r.energy.per_mac}
            row.update({f"energy_{k}": v for k, v in r.energy.by_category(self.arch).items()})
            row.update({f"energy_{k}": v for k, v in r.energy.by_tensor().items()})
            row.update({"cycles": r.latency.cycles, "latency_ms": r.latency.latency_ms,
                        "utilization": r.latency.utilization, "active_pes": r.counts.units_used,
                        "dram_accesses": r.dram_accesses})
            rows.append(row)
        return rows

    def to_dataframe(self):
        """:meth:`to_records` as a pandas DataFrame, one row per layer (``pip install 'stationary[frames]'``)."""
        from stationary.core import optional_module
        return optional_module("pandas", "frames", "a DataFrame").DataFrame.from_records(self.to_records())
