"""The frozen result of running a network on a CIM design: accuracy and energy from the same run, the action
counts, the digital baseline beside them, and the paper's figures. A later cross-level comparison puts these in
one table with the digital accelerators, so every field is a plain value with its unit in its name.

>>> from stationary.cim.actions import Actions
>>> r = CimResult(design="toy", network="net", source="a paper", accuracy=0.9, accuracy_ideal=0.95, samples=10,
...               macs_per_inference=100, actions=Actions(adc_conversions=4), energy_pj_per_inference=50.0,
...               breakdown_pj=(("adc_conversion", 50.0),), baseline=Baseline(400.0, 100, 300.0, "Eyeriss"),
...               settings=(("variation", 0.1),))
>>> r.energy_pj_per_mac, r.as_json()["baseline"]["energy_pj_per_mac"], r.as_json()["adc_conversions"]
(0.5, 4.0, 4)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from stationary.cim.actions import Actions


@dataclass(frozen=True, slots=True)
class Baseline:
    """The same network on the digital Eyeriss model (pJ table of data/eyeriss_65nm_pj.yaml), per inference."""
    energy_pj_per_inference: float
    macs: int
    energy_pj_per_inference_on_chip: float     # without DRAM
    source: str

    @property
    def energy_pj_per_mac(self) -> float:
        return self.energy_pj_per_inference / self.macs

    def as_json(self) -> dict:
        return {"energy_pj_per_inference": self.energy_pj_per_inference, "energy_pj_per_mac": self.energy_pj_per_mac,
                "energy_pj_per_inference_on_chip": self.energy_pj_per_inference_on_chip,
                "energy_pj_per_mac_on_chip": self.energy_pj_per_inference_on_chip / self.macs,
                "source": self.source}


@dataclass(frozen=True, slots=True)
class CimResult:
    design: str
    network: str
    source: str
    accuracy: float                # with the non-idealities given
    accuracy_ideal: float          # every non-ideality off, the same ADC
    samples: int                   # test inputs the accuracies are measured on
    macs_per_inference: int
    actions: Actions               # per inference
    energy_pj_per_inference: float
    breakdown_pj: tuple[tuple[str, float], ...]
    baseline: Baseline
    settings: tuple[tuple[str, float], ...]
    figures: tuple[tuple[str, float], ...] = ()     # design-specific results (remedy accuracy, conversions, area)
    paper: tuple[tuple[str, float], ...] = ()       # the paper's own figures, for the side-by-side
    energy_source: str = field(default="")

    @property
    def energy_pj_per_mac(self) -> float:
        return self.energy_pj_per_inference / self.macs_per_inference

    @property
    def adc_conversions(self) -> float:
        return self.actions.adc_conversions

    @property
    def dac_conversions(self) -> float:
        return self.actions.dac_conversions

    def as_json(self) -> dict:
        out = {"design": self.design, "network": self.network, "source": self.source, "accuracy": self.accuracy,
               "accuracy_ideal": self.accuracy_ideal, "samples": self.samples,
               "energy_pj_per_inference": self.energy_pj_per_inference, "energy_pj_per_mac": self.energy_pj_per_mac,
               "macs": self.macs_per_inference, "adc_conversions": self.actions.adc_conversions,
               "dac_conversions": self.actions.dac_conversions, "actions": self.actions.as_dict(),
               "energy_breakdown_pj": dict(self.breakdown_pj), "energy_source": self.energy_source,
               "baseline": self.baseline.as_json(), "settings": dict(self.settings)}
        out.update(dict(self.figures))
        out["paper"] = dict(self.paper)
        return out
