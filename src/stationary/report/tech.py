"""The technology comparison as a table, as JSON and as a plot, with the papers' claims beside the model's ratios.

Energy by level is grouped for display: ALU (MACs), RF, array (the PE array's networks), buffer (the global
buffers), store (a resident-weight store: eDRAM, SRAM or ReRAM), DRAM (the outermost level), inter-node (words
between vaults or chips). Every energy is in pJ.
"""
from __future__ import annotations

from stationary.arch.spec import StorageKind
from stationary.memtech import claims_for
from stationary.model.energy import NODES
from stationary.report.table import format_table

GROUPS = ("ALU", "RF", "array", "buffer", "store", "DRAM", "inter-node")
GROUP_COLORS = {"ALU": "#4c72b0", "RF": "#55a868", "array": "#c44e52", "buffer": "#8172b2", "store": "#64b5cd",
                "DRAM": "#ccb974", "inter-node": "#8c8c8c"}


def grouped_pj(result) -> dict[str, float]:
    """A DesignResult's energy (pJ per inference) in the display groups."""
    arch = result.arch
    kinds = {level.name: level for level in arch.levels}
    out = dict.fromkeys(GROUPS, 0.0)
    for name, e in result.by_level_pj.items():
        if name == "MAC":
            out["ALU"] += e
        elif name == f"{NODES} network":
            out["inter-node"] += e
        elif name.endswith(" network"):
            out["array"] += e
        elif name == arch.levels[0].name:
            out["DRAM"] += e
        elif name == arch.resident_weights:
            out["store"] += e
        elif kinds[name].kind is StorageKind.RF:
            out["RF"] += e
        else:
            out["buffer"] += e
    return out


def technology_table(markdown: bool = False) -> str:
    """Every figure of every technology (candidates that were not chosen marked "alt"), with basis and source."""
    from stationary.arch.technology import technologies
    headers = ["technology", "quantity", "value", "used", "basis", "status", "source"]
    body = []
    for tech in technologies().values():
        for quantity in tech.quantities:
            used = tech.figure(quantity)
            for f in tech.candidates(quantity):
                value = f"{f.value:g}" + (f" ({f.low:g}-{f.high:g})" if f.low is not None else "")
                body.append([tech.name, quantity, value, "yes" if f is used else "alt", f.basis.value,
                             f.status.value, f.source])
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in body]
        return "\n".join(lines)
    return format_table(headers, body)


def tech_json(rows, network: str) -> list[dict]:
    """One object per design: the fields of the issue's machine-readable output, and more."""
    out = []
    for row in rows:
        r = row.result
        out.append({
            "design": r.design, "network": network, "arch": r.arch.name, "energy_unit": "pJ",
            "energy_pj": r.energy_pj, "energy_per_mac": r.energy_per_mac_pj, "latency_ms": r.latency_ms,
            "area_mm2": r.area_mm2, "dram_energy_pj": r.dram_energy_pj, "macs": r.macs, "pes": r.pes,
            "nodes": r.arch.nodes, "by_level": r.by_level_pj, "by_group_pj": grouped_pj(r),
            "vs_baseline": {"baseline": rows[0].result.design, "energy_relative": row.energy_ratio,
                            "latency_relative": row.latency_ratio},
            "weights_resident": r.result.resident,
            "store_writes_per_inference": r.store_writes, "store_lifetime_inferences": r.lifetime_inferences,
            "splits": {l.layer.name: str(l.split) for l in r.result.layers},
            "inter_node_words": sum(l.copied_words for l in r.result.layers),
        })
        if r.weight_load_pj is not None:   # a field without a value is left out
            out[-1]["weight_load_energy_pj"] = r.weight_load_pj
    return out


def tech_table(rows, network: str) -> str:
    headers = ["design", "PEs", "nodes", "area mm2", "pJ/MAC", *(f"{g} pJ/MAC" for g in GROUPS), "latency ms",
               "energy vs base", "speedup", "weights on chip"]
    body = []
    for row in rows:
        r = row.result
        groups = grouped_pj(r)
        body.append([r.design, r.pes, r.arch.nodes, f"{r.area_mm2:.1f}", f"{r.energy_per_mac_pj:.2f}",
                     *(f"{groups[g] / r.macs:.2f}" for g in GROUPS), f"{r.latency_ms:.3f}",
                     f"{row.energy_ratio:.2f}x", f"{1 / row.latency_ratio:.2f}x",
                     "yes" if r.result.resident else "no"])
    base = rows[0].result.design
    out = [f"Memory technologies on {network} (baseline {base}; energy in pJ at 65 nm; area: storage and MACs only)",
           format_table(headers, body)]
    lines = claim_lines(rows)
    if lines:
        out += ["", "Published claims beside the model:", *lines]
    return "\n".join(out)


def claim_lines(rows) -> list[str]:
    """For each design with a published claim whose baseline is in the comparison: the paper's and the model's."""
    found = {row.result.design: row.result for row in rows}
    out = []
    for design, result in found.items():
        for claim in claims_for(design):
            if not claim.comparable:
                out.append(f"- {design} vs {claim.baseline}: paper {_ratios(claim.performance_x, claim.energy_x)} "
                           f"(not comparable: the model builds no {claim.baseline}) [{claim.source}]")
                continue
            base = found.get(claim.baseline)
            if base is None:
                continue
            speed, saving = base.latency_ms / result.latency_ms, base.energy_pj / result.energy_pj
            dram = result.dram_energy_pj / base.dram_energy_pj if base.dram_energy_pj else float("nan")
            model = (f"model {speed:.2f}x faster, {saving:.2f}x less energy (DRAM energy {dram:.2f}x the "
                     f"baseline's; {result.pes / base.pes:.1f}x the PEs; DRAM {base.dram_energy_pj / base.energy_pj:.0%}"
                     f" of the baseline's energy)")
            if claim.performance_x or claim.energy_x:
                agree = (claim.performance_x is None or (speed > 1) == (claim.performance_x > 1)) and \
                    (claim.energy_x is None or (saving > 1) == (claim.energy_x > 1))
                paper = f"paper {_ratios(claim.performance_x, claim.energy_x)}"
            else:
                agree = saving > 1 + TIE or dram < 1 - TIE
                paper = f"paper: {claim.direction}"
            verdict = "same direction" if agree else "DISAGREES"
            if abs(saving - 1) <= TIE and abs(speed - 1) <= TIE:
                verdict = "no difference here"
            if result.arch.resident_weights:
                verdict += _residency(result)
            out.append(f"- {design} vs {claim.baseline}: {paper}; {model}: {verdict} [{claim.source}]")
    return out


TIE = 0.01   # ratios within 1% of 1 count as no difference


def _residency(result) -> str:
    arch = result.arch
    index = arch.level_index(arch.resident_weights)
    holds = arch.levels[index].size_words * arch.instances(index) * arch.word_bits / 8 / 2 ** 20
    needs = result.result.resident_words * arch.word_bits / 8 / 2 ** 20
    state = "stay on chip" if result.result.resident else "do not fit"
    return f" (weights {state}: {needs:.1f} MB per node, the store holds {holds:.1f} MB)"


def _ratios(perf, energy) -> str:
    parts = []
    if perf:
        parts.append(f"{perf:g}x faster")
    if energy:
        parts.append(f"{energy:g}x less energy")
    return ", ".join(parts)


def plot_tech(results_by_network: dict[str, tuple], path: str) -> str:
    """Per network, stacked bars of energy per MAC by group for each design, the latency printed on each bar."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    nets = list(results_by_network)
    fig, axes = plt.subplots(1, len(nets), figsize=(max(7.0, 4.2 * len(nets) + 1), 4.8), squeeze=False)
    for ax, net in zip(axes[0], nets):
        rows = results_by_network[net]
        names = [row.result.design for row in rows]
        bottom = [0.0] * len(rows)
        for g in GROUPS:
            heights = [grouped_pj(row.result)[g] / row.result.macs for row in rows]
            ax.bar(range(len(rows)), heights, 0.7, bottom=bottom, color=GROUP_COLORS[g],
                   label=g if ax is axes[0][0] else None, edgecolor="white", linewidth=0.3)
            bottom = [b + h for b, h in zip(bottom, heights)]
        for x, (top, row) in enumerate(zip(bottom, rows)):
            ax.text(x, top, f"{row.result.latency_ms:.3g} ms", ha="center", va="bottom", fontsize=7)
        ax.set_xticks(range(len(rows)), names, rotation=30, ha="right", fontsize=8)
        ax.set_title(net)
        ax.set_ylabel("energy per MAC (pJ)")
        ax.margins(y=0.12)
    fig.legend(loc="upper center", ncols=len(GROUPS) if len(nets) > 1 else 4, fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.88))
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path
