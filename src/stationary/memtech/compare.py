"""Designs built from memory technologies, evaluated on a network and set side by side with a baseline.

A :class:`DesignResult` is a network on one design (``stationary.partition``: each layer split over the design's
nodes, each part mapped and evaluated by the model), with the figures the comparison reports: energy per
inference and per MAC by level (pJ), latency with every level's bandwidth limit, area, DRAM energy, whether the
weights stay on chip, and for a store with limited endurance the writes per inference and the lifetime they
allow. :func:`side_by_side` adds each design's ratios to the first one.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from stationary.arch.area import area_mm2
from stationary.arch.spec import Arch, Unit
from stationary.arch.technology import technology
from stationary.arch.yaml_io import check_keys, number, parse_yaml, text_field
from stationary.core import StationaryError, Tensor
from stationary.partition.network import SplitNetworkResult


@dataclass(frozen=True, slots=True)
class DesignResult:
    design: str
    result: SplitNetworkResult

    def __post_init__(self):
        if self.result.arch.unit is not Unit.PJ:
            raise StationaryError("a technology comparison needs energies in pJ (this design is normalized to a MAC)",
                                  where=f"design {self.design}", field="unit", value=self.result.arch.unit.value)

    @property
    def arch(self) -> Arch:
        return self.result.arch

    @property
    def macs(self) -> int:
        return self.result.macs

    @property
    def pes(self) -> int:
        return self.arch.pes * self.arch.nodes

    @property
    def energy_pj(self) -> float:
        return self.result.energy_total

    @property
    def energy_per_mac_pj(self) -> float:
        return self.energy_pj / self.macs

    @property
    def latency_ms(self) -> float:
        return self.result.latency_ms

    @property
    def area_mm2(self) -> float:
        return area_mm2(self.arch)

    @property
    def by_level_pj(self) -> dict[str, float]:
        return self.result.by_level()

    @property
    def dram_energy_pj(self) -> float:
        return self.by_level_pj.get(self.arch.levels[0].name, 0.0)

    @property
    def weight_load_pj(self) -> float | None:
        """The one-time cost of loading the weights when they stay on chip (None when they do not)."""
        return self.result.load.total if self.result.load is not None else None

    @property
    def store_writes(self) -> int:
        """Weight words written into the resident-weight level per inference (0 when there is none)."""
        if not self.arch.resident_weights:
            return 0
        name = self.arch.resident_weights
        return sum(c.fills for r in self.result.layers for c in r.counts.levels
                   if c.level == name and c.tensor is Tensor.WEIGHT)

    @property
    def lifetime_inferences(self) -> float | None:
        """Inferences until the weight store wears out, writes spread evenly over its cells (None: no limit
        known, or no writes)."""
        arch = self.arch
        if not arch.resident_weights or not self.store_writes:
            return None
        level = arch.levels[arch.level_index(arch.resident_weights)]
        if not level.technology or "endurance_writes" not in technology(level.technology).quantities:
            return None
        cells = level.size_words * arch.instances(arch.level_index(level.name)) * arch.nodes
        return technology(level.technology).value("endurance_writes") * cells / self.store_writes


@dataclass(frozen=True, slots=True)
class Row:
    """A design beside the baseline (the first design): energy and latency as ratios to the baseline's."""
    result: DesignResult
    energy_ratio: float
    latency_ratio: float


def side_by_side(results: tuple[DesignResult, ...]) -> tuple[Row, ...]:
    if not results:
        raise StationaryError("no design to compare", field="designs", value=[])
    base = results[0]
    return tuple(Row(r, r.energy_pj / base.energy_pj, r.latency_ms / base.latency_ms) for r in results)


@dataclass(frozen=True, slots=True)
class Claim:
    """A paper's reported result for ``design`` against ``baseline``: times faster, times less energy, or a
    direction in words."""
    design: str
    baseline: str
    source: str
    status: str
    comparable: bool
    performance_x: float | None = None
    energy_x: float | None = None
    direction: str = ""


@lru_cache(maxsize=1)
def claims() -> tuple[Claim, ...]:
    """The published claims of ``data/technology/claims.yaml``."""
    source = "data/technology/claims.yaml"
    text = (resources.files("stationary") / "data" / "technology" / "claims.yaml").read_text(encoding="utf-8")
    data = check_keys(parse_yaml(text, source), ("source", "claims"), ("source", "claims"), source, None)
    out = []
    keys = ("design", "baseline", "performance_x", "energy_x", "direction", "comparable", "status", "source")
    for i, raw in enumerate(data["claims"]):
        where = f"claims[{i}]"
        check_keys(raw, keys, ("design", "baseline", "comparable", "status", "source"), source, where)
        perf = number(raw["performance_x"], source, where, "performance_x", positive=True) \
            if "performance_x" in raw else None
        energy = number(raw["energy_x"], source, where, "energy_x", positive=True) if "energy_x" in raw else None
        if perf is None and energy is None and not raw.get("direction"):
            raise StationaryError("a claim needs performance_x, energy_x or a direction", source=source, where=where)
        out.append(Claim(text_field(raw["design"], source, where, "design"),
                         text_field(raw["baseline"], source, where, "baseline"),
                         text_field(raw["source"], source, where, "source"),
                         text_field(raw["status"], source, where, "status"), bool(raw["comparable"]), perf, energy,
                         raw.get("direction", "")))
    return tuple(out)


def claims_for(design: str) -> tuple[Claim, ...]:
    return tuple(c for c in claims() if c.design == design)
