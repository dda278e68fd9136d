"""Chip-level figures: the configuration's counts with zero gating, priced by the 65 nm pJ table, at 200 MHz.

Per layer: processing latency (the array's cycles; gating saves energy, not time), latency (that plus the cycles the
array waits for the chip's link, :mod:`stationary.chip.link`), power = energy / latency, DRAM traffic with and
without RLC
(feature maps in DRAM except the first layer's input; filters and partial-sum spills raw), buffer traffic, active
PEs, non-zero MACs.

>>> from stationary.model.counts import AccessCounts
>>> f = LayerFigures("x", macs=10**9, nonzero_macs=5 * 10**8, energy_pj=2e9, cycles=2 * 10**6, dram_bytes=10**6,
...                  dram_bytes_rlc=5 * 10**5, glb_bytes=10**7, active_pes=150, stall_cycles=5 * 10**5, clock_mhz=200)
>>> f.processing_latency_ms, f.latency_ms, round(f.power_mw, 1)      # 2e6 + 0.5e6 cycles / 200 MHz; 2 mJ / 12.5 ms
(10.0, 12.5, 160.0)
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import numpy as np
import yaml

from stationary.arch.spec import Arch, Unit
from stationary.core import Tensor
from stationary.model.energy import CATEGORY_OF_KIND



def pj_table() -> dict:
    return yaml.safe_load(resources.files("stationary.data").joinpath("eyeriss_65nm_pj.yaml").read_text())


def pj_arch(arch: Arch) -> Arch:
    """The arch with its per-access energies from the 65 nm table (normalized x the 65 nm MAC energy, in pJ)."""
    from dataclasses import replace
    t = pj_table()
    mac, norm = float(t["mac_pj"]), t["normalized"]
    levels = tuple(replace(l, read_energy=(norm[CATEGORY_OF_KIND[l.kind]] * mac,) * 3,
                           write_energy=(norm[CATEGORY_OF_KIND[l.kind]] * mac,) * 3,
                           network_energy=norm["array"] * mac if l.fanout > 1 else 0.0) for l in arch.levels)
    return replace(arch, levels=levels, mac=replace(arch.mac, mac_energy=norm["MAC"] * mac), unit=Unit.PJ,
                   source=arch.source + "; energies: " + t["source"])


@dataclass(frozen=True, slots=True)
class LayerFigures:
    layer: str
    macs: int
    nonzero_macs: int
    energy_pj: float
    cycles: int
    dram_bytes: float
    dram_bytes_rlc: float | None
    glb_bytes: float
    active_pes: int
    stall_cycles: int        # cycles the array waits for the off-chip link
    clock_mhz: float

    @property
    def processing_latency_ms(self) -> float:
        return self.cycles / (self.clock_mhz * 1e3)

    @property
    def latency_ms(self) -> float:
        return (self.cycles + self.stall_cycles) / (self.clock_mhz * 1e3)

    @property
    def power_mw(self) -> float:
        return self.energy_pj / self.latency_ms * 1e-6 if self.latency_ms else 0.0   # pJ / ms = 1e-9 W

    @property
    def gmacs(self) -> float:
        return self.macs / self.latency_ms * 1e-6 if self.latency_ms else 0.0

    def json(self) -> dict:
        mb = 1e-6
        return {"layer": self.layer, "latency_ms": self.latency_ms, "processing_latency_ms": self.processing_latency_ms,
                "stall_ms": self.latency_ms - self.processing_latency_ms,
                "power_mw": self.power_mw, "energy_uj": self.energy_pj * 1e-6,
                "dram_mb": None if self.dram_bytes_rlc is None else self.dram_bytes_rlc * mb,
                "dram_mb_uncompressed": self.dram_bytes * mb, "glb_mb": self.glb_bytes * mb,
                "active_pes": self.active_pes, "macs": self.macs, "nonzero_macs": self.nonzero_macs,
                "gmacs": self.gmacs, "gmacs_per_w": self.gmacs / (self.power_mw * 1e-3) if self.power_mw else 0.0}


def total(figures: list[LayerFigures], name: str = "total") -> LayerFigures:
    """Sums; latencies add (layers run one after another); active PEs weighted by cycles."""
    cycles = sum(f.cycles for f in figures)
    rlc = None if any(f.dram_bytes_rlc is None for f in figures) else sum(f.dram_bytes_rlc for f in figures)
    f0 = figures[0]
    out = LayerFigures(name, sum(f.macs for f in figures), sum(f.nonzero_macs for f in figures),
                       sum(f.energy_pj for f in figures), cycles, sum(f.dram_bytes for f in figures), rlc,
                       sum(f.glb_bytes for f in figures),
                       round(sum(f.active_pes * f.cycles for f in figures) / cycles) if cycles else 0,
                       sum(f.stall_cycles for f in figures), f0.clock_mhz)
    return out


def total_latency_ms(figures: list[LayerFigures]) -> float:
    return sum(f.latency_ms for f in figures)


def rlc_ratio(density: float, samples: int = 1 << 15, seed: int = 0) -> float | None:
    """Coded bits / raw bits of the chip's RLC on synthetic 16-bit data at this density (zeros placed at random);
    None while the codec (stationary.sparsity.rlc) is not available."""
    try:
        from stationary.sparsity.rlc import coded_bits
    except ImportError:
        return None
    rng = np.random.default_rng(seed)
    values = np.where(rng.random(samples) < density, rng.integers(1, 1 << 15, samples), 0).astype(np.int16)
    return coded_bits(values) / (16 * samples)


def dram_words(counts, tensor: Tensor, top: str) -> int:
    return counts.at(top, tensor).total
