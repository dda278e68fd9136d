"""Tables and JSON for evaluation results (nothing imports report/; it imports the rest).

>>> from stationary.arch import preset
>>> from stationary.mapping.yaml_io import load_mapping_yaml
>>> from stationary.model import evaluate
>>> from stationary.workload import fc
>>> arch = preset("eyeriss")
>>> r = evaluate(fc("fc", 4, 8), arch, load_mapping_yaml("levels: {DRAM: {temporal: M4}, RF: {temporal: C8}}", arch))
>>> sorted(layer_json(r))[:4]
['accesses', 'active_pes', 'breakdown', 'breakdown_by_tensor']
>>> print(loop_nest(r.mapping, r.arch))
DRAM
| for M in [0:4)
  GLB
  RF
  | for C in [0:8)
"""
from __future__ import annotations

from stationary.arch.spec import Arch, Unit
from stationary.mapping.mapping import Mapping
from stationary.model.evaluate import LayerResult, NetworkResult
from stationary.report.table import format_table
from stationary.report.units import NORMALIZED, energy_json, energy_unit, per_mac_text


def loop_nest(mapping: Mapping, arch: Arch) -> str:
    """The mapping as an indented loop nest, outermost level first (Timeloop's style)."""
    lines, depth = [], 0
    for level, lm in zip(arch.levels, mapping.levels):
        bypass = f"   [bypass {', '.join(sorted(t.value for t in lm.bypass))}]" if lm.bypass else ""
        lines.append("  " * depth + level.name + bypass)
        for loop in lm.temporal + lm.spatial:
            if loop.bound > 1:
                lines.append("  " * depth + "| " + str(loop))
                depth += 1
    return "\n".join(lines)


def layer_json(r: LayerResult) -> dict:
    """The machine-readable form `stationary evaluate --json` prints, one object per layer (energy units:
    :mod:`stationary.report.units`; the breakdowns are per MAC, in multiples of one MAC's energy)."""
    unit = energy_unit(r.arch)
    accesses = []
    for c in r.counts.levels:
        e = r.energy.at(c.level, c.tensor)
        accesses.append({"level": c.level, "tensor": c.tensor.value, "reads": c.reads, "fills": c.fills,
                         "updates": c.updates, "drains": c.drains, "energy": e, "energy_unit": unit,
                         **({"energy_pj": e} if unit == "pJ" else {})})
    from stationary.mapping.yaml_io import mapping_to_yaml
    macs = r.layer.macs * r.arch.mac.mac_energy
    return {
        "layer": r.layer.name, "macs": r.layer.macs, **energy_json(r.energy.total, r.layer.macs, r.arch),
        "breakdown": {k: v / macs for k, v in r.energy.by_category(r.arch).items()}, "breakdown_unit": NORMALIZED,
        "breakdown_by_tensor": {k: v / macs for k, v in r.energy.by_tensor().items()},
        "breakdown_by_tensor_unit": NORMALIZED,
        "cycles": r.latency.cycles, "utilization": r.latency.utilization, "active_pes": r.counts.units_used,
        "latency_ms": r.latency.latency_ms, "dram_accesses": r.dram_accesses,
        "dram_accesses_per_mac": r.dram_accesses_per_mac, "accesses": accesses,
        "network": [{"level": n.level, "tensor": n.tensor.value, "transfers": n.transfers} for n in r.counts.network],
        "mapping": mapping_to_yaml(r.mapping, r.arch),
    }


def network_json(result: NetworkResult) -> list[dict]:
    """One object per layer (see :func:`layer_json`), then one with ``"layer": "total"``.

    On the ``eyeriss`` preset every object also carries the chip's figures (stationary.chip.run.chip_fields: latency,
    power, DRAM MB with and without RLC, GLB MB, active PEs, non-zero MACs) with the published ifmap densities."""
    rows = [layer_json(r) for r in result.layers]
    total = {"layer": "total", "macs": result.macs, **energy_json(result.energy_total, result.macs, result.arch),
             "cycles": result.cycles, "utilization": result.utilization, "dram_accesses": result.dram_accesses,
             "dram_accesses_per_mac": result.dram_accesses / result.macs}
    if result.arch.name == "eyeriss":
        from stationary.chip.run import figures_of, stated, total as chip_total
        densities = stated(result.network)
        figures = []
        for i, r in enumerate(result.layers):
            nxt = densities.of(result.layers[i + 1].layer.name) if i + 1 < len(result.layers) else None
            figures.append(figures_of([r], r.layer.name, densities.of(r.layer.name),
                                      first_layer=(i == 0), output_density=nxt))
        for row, fig in zip(rows, figures):
            row.update({k: v for k, v in fig.json().items() if k != "layer"})
        total.update({k: v for k, v in chip_total(figures).json().items() if k != "layer"})
        total["densities"] = densities.source
    return rows + [total]


def network_table(result: NetworkResult) -> str:
    """Per layer: energy per MAC and its ISCA breakdown, DRAM accesses per MAC, utilization, cycles; then the nests."""
    cats = ("ALU", "RF", "array", "buffer", "DRAM")
    headers = ["layer", "MACs", f"energy/MAC ({NORMALIZED})", *cats, "DRAM acc/MAC", "util", "cycles"]
    rows = []
    for r in result.layers:
        macs = r.layer.macs * r.arch.mac.mac_energy
        br = r.energy.by_category(r.arch)
        rows.append([r.layer.name, f"{r.layer.macs:,}", f"{r.energy.per_mac:.2f}",
                     *(f"{br[c] / macs:.2f}" for c in cats), f"{r.dram_accesses_per_mac:.4f}",
                     f"{r.latency.utilization:.2f}", f"{r.latency.cycles:,}"])
    rows.append(["total", f"{result.macs:,}", f"{result.energy_per_mac:.2f}", *([""] * len(cats)),
                 f"{result.dram_accesses / result.macs:.4f}", f"{result.utilization:.2f}", f"{result.cycles:,}"])
    unit = ("ISCA 2016 normalized table" if result.arch.unit is Unit.MAC else
            f"pJ table; total {per_mac_text(result.energy_total, result.macs, result.arch)}")
    out = [f"{result.network} on {result.arch.name}: energy per MAC and its breakdown in {NORMALIZED} (multiples "
           f"of one MAC's energy; {unit})", format_table(headers, rows), ""]
    if result.arch.name == "eyeriss":
        out += [chip_table(network_json(result)), ""]
    for r in result.layers:
        out += [f"{r.layer.name}: {r.layer.describe()}", loop_nest(r.mapping, r.arch), ""]
    return "\n".join(out).rstrip()


def chip_table(rows: list[dict]) -> str:
    """The chip's figures (from :func:`network_json` on the eyeriss preset): 65 nm pJ table, 200 MHz."""
    keys = ("latency_ms", "processing_latency_ms", "power_mw", "dram_mb", "dram_mb_uncompressed", "glb_mb",
            "active_pes", "nonzero_macs")
    heads = ["layer", "latency ms", "proc. ms", "power mW", "DRAM MB (RLC)", "DRAM MB raw", "GLB MB", "active PEs",
             "non-zero MACs"]
    body = [[r["layer"], *(("n/a" if r.get(k) is None else f"{r[k]:,.2f}" if isinstance(r[k], float) else
                            f"{r[k]:,}") for k in keys)] for r in rows]
    return ("Chip figures (65 nm table, 200 MHz; the mapper's mapping, not the chip's own configuration: "
            "`stationary chip` runs that)\n" + format_table(heads, body))


def layer_table(r: LayerResult) -> str:
    total = r.energy.total
    unit = energy_unit(r.arch)
    lines = [f"{r.layer.describe()} on {r.arch.name}",
             f"energy {total:,.2f} {unit}, per MAC {per_mac_text(total, r.layer.macs, r.arch)}; cycles {r.latency.cycles:,}; "
             f"utilization {r.latency.utilization:.3f}; DRAM accesses per MAC {r.dram_accesses_per_mac:.4f}",
             loop_nest(r.mapping, r.arch)]
    return "\n".join(lines)


def access_table(r: LayerResult) -> str:
    """Per level and tensor: reads, fills, updates, drains and energy (then network transfers)."""
    rows = []
    for c in r.counts.levels:
        e = r.energy.at(c.level, c.tensor)
        rows.append([c.level, c.tensor.value, f"{c.reads:,}", f"{c.fills:,}", f"{c.updates:,}", f"{c.drains:,}",
                     f"{e:,.2f}"])
    for n in r.counts.network:
        rows.append([f"{n.level} network", n.tensor.value, f"{n.transfers:,}", "", "", "",
                     f"{r.energy.at(f'{n.level} network', n.tensor):,.2f}"])
    rows.append(["MAC", "", f"{r.layer.macs:,}", "", "", "", f"{r.energy.at('MAC', None):,.2f}"])
    return format_table(["level", "tensor", "reads", "fills", "updates", "drains", f"energy ({energy_unit(r.arch)})"],
                        rows)


__all__ = ["layer_json", "network_json", "network_table", "layer_table", "access_table", "loop_nest"]
