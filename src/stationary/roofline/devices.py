"""CPU and GPU presets with sourced peak throughput per precision and memory bandwidth.

The figures are data (``data/roofline/devices.yaml``), each device with its source and whether its
numbers are published, derived (the arithmetic is in the file) or recalled; ``host`` is measured.

>>> d = device("gp100")
>>> d.peak(Precision.FLOAT16), d.bandwidth_gbs, d.ridge(Precision.FLOAT32) > 14
(21200.0, 732.0, True)
>>> sorted(PRESETS)[:3]
['a100', 'epyc-9654', 'gp100']
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import yaml

from stationary.algo.numeric import Precision
from stationary.core import StationaryError


@dataclass(frozen=True, slots=True)
class Device:
    key: str
    name: str
    kind: str                                     # "cpu" or "gpu"
    peak_gflops: tuple[tuple[Precision, float], ...]
    bandwidth_gbs: float
    status: str                                   # published, derived, recalled or measured
    source: str
    tdp_w: float | None = None                    # rated power (None where unknown, as on the host)
    tdp_source: str = ""

    def __post_init__(self):
        if not self.bandwidth_gbs > 0:
            raise StationaryError("bandwidth must be positive", where=f"device {self.key}", field="bandwidth_gbs",
                                  value=self.bandwidth_gbs)
        for p, value in self.peak_gflops:
            if not value > 0:
                raise StationaryError("peak must be positive", where=f"device {self.key}",
                                      field=f"peak_gflops.{p.value}", value=value)

    def peak(self, precision: Precision) -> float:
        """Peak GFLOP/s at ``precision`` (a clear error when the device has no figure for it)."""
        p = Precision.parse(precision)
        for q, value in self.peak_gflops:
            if q is p:
                return value
        have = ", ".join(q.value for q, _ in self.peak_gflops)
        raise StationaryError(f"no {p.value} peak for this device (it has {have})", where=f"device {self.key}",
                              field="precision", value=p.value)

    def ridge(self, precision: Precision) -> float:
        """The intensity (FLOP/byte) where the roofline turns from memory-bound to compute-bound."""
        return self.peak(precision) / self.bandwidth_gbs


def _load() -> dict[str, Device]:
    text = resources.files("stationary").joinpath("data", "roofline", "devices.yaml").read_text()
    out = {}
    for key, d in yaml.safe_load(text)["devices"].items():
        peaks = tuple((Precision.parse(p), float(v)) for p, v in d["peak_gflops"].items())
        out[key] = Device(key, d["name"], d["kind"], peaks, float(d["bandwidth_gbs"]), d["status"],
                          d["source"] + (f" [{d['derivation']}]" if "derivation" in d else ""),
                          float(d["tdp_w"]) if "tdp_w" in d else None, str(d.get("tdp_source", "")))
    return out


PRESETS: dict[str, Device] = _load()


def device(name: str) -> Device:
    """A preset by name (``host`` is measured: see :func:`stationary.roofline.host.measure_host`)."""
    key = str(name).strip().lower()
    if key not in PRESETS:
        raise StationaryError(f"unknown device (presets: {', '.join(PRESETS)}, or host)", field="device",
                              value=name)
    return PRESETS[key]
