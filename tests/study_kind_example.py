"""A second point kind for the tests: a compute-bound device described by its MACs and its rate (what a CPU/GPU or
CIM platform kind of the cross-level comparison will plug in the same way)."""
from stationary.core import StationaryError
from stationary.study.kinds import PointKind


def describe(settings: dict, source: str, base_dir: str) -> dict:
    for key in ("macs", "gmacs_per_s", "pj_per_mac"):
        if key not in settings:
            raise StationaryError("missing setting", source=source, field=key)
    return {k: settings[k] for k in ("macs", "gmacs_per_s", "pj_per_mac")}


def evaluate(d: dict) -> dict:
    return {"totals": {"energy": d["macs"] * d["pj_per_mac"], "energy_unit": "pJ",
                       "latency_ms": d["macs"] / (d["gmacs_per_s"] * 1e6)}, "layers": []}


KIND = PointKind("compute-bound", describe, lambda d: {}, evaluate, lambda *a: {}, ())
