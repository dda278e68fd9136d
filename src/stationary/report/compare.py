"""The dataflow comparison as a table and as JSON, with RS's advantage over each other dataflow per layer."""
from __future__ import annotations

from stationary.mapping.dataflows import Dataflow
from stationary.report.plots import CATEGORIES
from stationary.report.table import format_table
from stationary.report.units import NORMALIZED


def comparison_json(rows) -> list[dict]:
    return [{"layer": r.layer, "dataflow": r.dataflow.value, "label": r.dataflow.label,
             "macs": r.result.layer.macs, "energy_per_mac": r.energy_per_mac, "energy_unit": NORMALIZED,
             "dram_accesses_per_mac": r.result.dram_accesses_per_mac, "breakdown": r.breakdown,
             "breakdown_by_tensor": r.by_tensor, "utilization": r.result.latency.utilization,
             "active_pes": r.result.counts.units_used, "arch": r.result.arch.name} for r in rows]


def rs_advantage(rows) -> dict[str, dict[str, float]]:
    """Per layer, each other dataflow's energy per MAC divided by RS's (the paper's 1.4x-2.5x on CONV layers)."""
    rs = {r.layer: r.energy_per_mac for r in rows if r.dataflow is Dataflow.RS}
    out: dict[str, dict[str, float]] = {}
    for r in rows:
        if r.dataflow is not Dataflow.RS and r.layer in rs:
            out.setdefault(r.layer, {})[r.dataflow.value] = r.energy_per_mac / rs[r.layer]
    return out


def comparison_table(rows, title: str = "") -> str:
    headers = ["layer", "dataflow", f"energy/MAC ({NORMALIZED})", *CATEGORIES, "DRAM acc/MAC", "active PEs"]
    body = [[r.layer, r.dataflow.label, f"{r.energy_per_mac:.2f}", *(f"{r.breakdown[c]:.2f}" for c in CATEGORIES),
             f"{r.result.dram_accesses_per_mac:.4f}", str(r.result.counts.units_used)] for r in rows]
    out = [f"Dataflow comparison: {title} (energy per MAC in multiples of one MAC's energy, {NORMALIZED})",
           format_table(headers, body)]
    adv = rs_advantage(rows)
    if adv:
        flows = list(dict.fromkeys(k for v in adv.values() for k in v))
        out += ["", "Energy relative to RS (the paper: RS 1.4x-2.5x lower on CONV layers, >= 1.3x on FC at batch 16)",
                format_table(["layer", *(Dataflow(f).label for f in flows)],
                             [[layer, *(f"{v.get(f, float('nan')):.2f}x" for f in flows)] for layer, v in adv.items()])]
    return "\n".join(out)
