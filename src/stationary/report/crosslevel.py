"""The cross-level comparison as a table, a technique-by-platform saving grid, the interactions, and a plot.

>>> from stationary.platform import CrossLevel, PlatformResult as R
>>> c = CrossLevel("n", (R("a", "accelerator", (), "n", 10, 100.0), R("a", "accelerator", ("int8",), "n", 10, 40.0)))
>>> print(savings_table(c))
technique      a
---------  -----
int8       2.50x
"""
from __future__ import annotations

from stationary.platform.crosslevel import CrossLevel
from stationary.report.table import format_table


def _fmt(value, spec: str, empty: str = "-") -> str:
    return empty if value is None else format(value, spec)


def rows_table(c: CrossLevel) -> str:
    """One line per (platform, technique set): energy per inference (uJ), per MAC (pJ), latency, DRAM traffic,
    accuracy, saving against the baseline; invalid combinations with their reason."""
    heads = ["platform", "techniques", "energy uJ", "pJ/MAC", "latency ms", "DRAM MB", "accuracy", "saving"]
    body, reasons = [], []
    for r in c.rows:
        tech = "+".join(r.techniques) or "baseline"
        if not r.valid:
            body.append([r.platform, tech, "n/a", "", "", "", "", "invalid*"])
            reasons.append(f"* {r.platform} [{tech}]: {r.reason}")
            continue
        body.append([r.platform, tech, _fmt(r.energy_pj / 1e6, ",.2f"), _fmt(r.energy_pj_per_mac, ".2f"),
                     _fmt(r.latency_ms, ",.3f"), _fmt(None if r.dram_bytes is None else r.dram_bytes / 1e6, ",.2f"),
                     _fmt(r.accuracy, ".4f"), _fmt(c.saving(r), ".2f") + ("x" if c.saving(r) else "")])
    base = c.baseline
    head = f"{c.network}: energy per inference (baseline {base.label if base else 'none'})"
    return "\n".join([head, format_table(heads, body), *reasons])


def savings_table(c: CrossLevel) -> str:
    """Each single technique's saving on each platform (its own baseline over the energy with it)."""
    platforms = c.platforms
    body = []
    for t in c.single_techniques:
        body.append([t, *(_fmt(c.technique_saving(p, (t,)), ".2f") + ("x" if c.technique_saving(p, (t,)) else "")
                          for p in platforms)])
    return format_table(["technique", *platforms], body)


def interactions_table(c: CrossLevel) -> str:
    """Pairs against the product of their savings alone: measured / expected below 1 means they overlap."""
    body = [[i.platform, " + ".join(i.pair), f"{i.alone[0]:.2f}x", f"{i.alone[1]:.2f}x", f"{i.expected:.2f}x",
             f"{i.measured:.2f}x", f"{i.ratio:.2f}"] for i in c.interactions()]
    return format_table(["platform", "pair", "first alone", "second alone", "product", "measured",
                         "measured/product"], body)


def text(c: CrossLevel) -> str:
    return "\n\n".join([rows_table(c), "Saving of each technique on each platform (platform's own baseline):",
                        savings_table(c), "Interactions (a pair against the product of its parts):",
                        interactions_table(c)])


def plot(c: CrossLevel, path: str) -> str:
    """Left: energy per inference (log) of every valid row, grouped by platform. Right: each technique's saving
    by platform (a bar per platform), so one technique's different worth across levels is one glance."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    valid = [r for r in c.rows if r.valid and r.energy_pj]
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, max(4.5, 0.28 * len(valid) + 1.5)),
                                      gridspec_kw={"width_ratios": [1.3, 1]})
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    by_platform = {p: colors[i % len(colors)] for i, p in enumerate(c.platforms)}
    labels = [f"{r.platform} [{'+'.join(r.techniques) or 'baseline'}]" for r in valid]
    ys = range(len(valid))
    left.barh(list(ys), [r.energy_pj / 1e6 for r in valid], color=[by_platform[r.platform] for r in valid])
    left.set_yticks(list(ys), labels, fontsize=7)
    left.invert_yaxis()
    left.set_xscale("log")
    left.set_xlabel("energy per inference (uJ, log scale)")
    for y, r in zip(ys, valid):
        if r.accuracy is not None:
            left.text(r.energy_pj / 1e6, y, f" acc {r.accuracy:.3f}", va="center", fontsize=6)
    techniques = c.single_techniques
    width = 0.8 / max(1, len(c.platforms))
    for j, p in enumerate(c.platforms):
        xs = [i + (j - (len(c.platforms) - 1) / 2) * width for i in range(len(techniques))]
        vals = [c.technique_saving(p, (t,)) or 0.0 for t in techniques]
        right.bar(xs, vals, width * 0.95, color=by_platform[p], label=p)
    right.axhline(1.0, color="black", linewidth=0.6)
    right.set_xticks(range(len(techniques)), techniques)
    right.set_ylabel("energy saving on the platform (x; 0 where it does not apply)")
    right.legend(fontsize=7)
    fig.suptitle(f"{c.network}: one network across levels (energy per inference, pJ tables as sourced per platform)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def html(c: CrossLevel, provenance: dict) -> str:
    """A self-contained page: the rows (sortable), the savings grid, the interactions, the figure, each row's
    energy by component and its source (``stationary crosslevel --html``)."""
    import os
    import tempfile

    from stationary.report.html import details, image, page, para, pre, table
    heads = ["platform", "techniques", "valid", "energy (uJ)", "energy per MAC (pJ)", "latency (ms)", "DRAM (MB)",
             "accuracy", "saving vs baseline", "reason"]
    body = [[r.platform, "+".join(r.techniques) or "baseline", r.valid,
             None if r.energy_pj is None else r.energy_pj / 1e6, r.energy_pj_per_mac, r.latency_ms,
             None if r.dram_bytes is None else r.dram_bytes / 1e6, r.accuracy, c.saving(r), r.reason]
            for r in c.rows]
    with tempfile.TemporaryDirectory() as folder:
        path = plot(c, os.path.join(folder, "crosslevel.png"))
        with open(path, "rb") as fh:
            png = fh.read()
    parts = "".join(details(r.label, table(["component", "energy (pJ)"], sorted(r.energy_by_component_pj.items()),
                                           sortable=False) + para(f"source: {r.source}")
                            + pre("\n".join(r.notes))) for r in c.rows if r.valid)
    base = c.baseline
    sections = [("Summary", para(f"{c.network}: {len(c.rows)} combinations, "
                                 f"{sum(r.valid for r in c.rows)} valid; baseline {base.label if base else 'none'}.")),
                ("Rows", table(heads, body)),
                ("Figure", image(png, "energy per inference by platform and technique, and each technique's saving")),
                ("Saving of each technique on each platform", pre(savings_table(c))),
                ("Interactions: a pair against the product of its parts", pre(interactions_table(c))),
                ("Energy by component, per row", parts)]
    return page(f"Cross-level comparison: {c.network}", sections, provenance)
