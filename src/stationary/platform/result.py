"""One result shape for every platform: what a cross-level table row holds.

>>> r = PlatformResult("eyeriss", "accelerator", ("int8",), "alexnet", macs=100, energy_pj=250.0,
...                    energy_by_component_pj={"compute": 50.0, "DRAM": 200.0}, latency_ms=1.5)
>>> r.energy_pj_per_mac, r.valid
(2.5, True)
>>> invalid("cim:isaac", "cim", ("winograd:2,3",), "alexnet", "no").json()["valid"]
False
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class PlatformResult:
    """A network on one platform under a set of techniques, per inference.

    ``energy_by_component_pj`` splits ``energy_pj`` by what spends it (compute, each memory level, ADCs, the
    sensor...); ``accuracy`` is measured on real data where real weights exist and a technique changes it, else
    None; ``source`` says which command or model produced the figures (the table adds no model of its own)."""
    platform: str
    kind: str
    techniques: tuple[str, ...]
    network: str
    macs: int = 0
    energy_pj: float | None = None
    energy_by_component_pj: dict[str, float] = field(default_factory=dict, hash=False)
    latency_ms: float | None = None
    area_mm2: float | None = None
    dram_bytes: float | None = None
    accuracy: float | None = None
    valid: bool = True
    reason: str = ""
    source: str = ""
    notes: tuple[str, ...] = ()

    @property
    def energy_pj_per_mac(self) -> float | None:
        return None if self.energy_pj is None or not self.macs else self.energy_pj / self.macs

    @property
    def label(self) -> str:
        return f"{self.platform} [{'+'.join(self.techniques) or 'baseline'}]"

    def json(self) -> dict:
        return {"platform": self.platform, "kind": self.kind, "techniques": list(self.techniques),
                "network": self.network, "valid": self.valid, "reason": self.reason or None, "macs": self.macs,
                "energy_pj": self.energy_pj, "energy_pj_per_mac": self.energy_pj_per_mac,
                "energy_by_component_pj": dict(self.energy_by_component_pj), "latency_ms": self.latency_ms,
                "area_mm2": self.area_mm2, "dram_bytes": self.dram_bytes, "accuracy": self.accuracy,
                "source": self.source, "notes": list(self.notes)}


def invalid(platform: str, kind: str, techniques: tuple[str, ...], network: str, reason: str) -> PlatformResult:
    """A combination that does not apply, with the reason why."""
    return PlatformResult(platform, kind, techniques, network, valid=False, reason=reason)
