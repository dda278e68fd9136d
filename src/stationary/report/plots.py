"""Plots people would rather look at than read. matplotlib is imported inside each function (Agg backend).

>>> import tempfile, os
>>> from stationary.report.plots import plot_comparison
>>> rows = [("CONV1", "RS", {"ALU": 1.0, "RF": 2.0, "array": 0.5, "buffer": 1.0, "DRAM": 3.0}),
...         ("CONV1", "WS", {"ALU": 1.0, "RF": 1.0, "array": 2.0, "buffer": 4.0, "DRAM": 5.0})]
>>> path = os.path.join(tempfile.mkdtemp(), "cmp.png")
>>> plot_comparison(rows, path, title="test") == path and os.path.getsize(path) > 0
True
"""
from __future__ import annotations

CATEGORIES = ("ALU", "RF", "array", "buffer", "DRAM")
COLORS = {"ALU": "#4c72b0", "RF": "#55a868", "array": "#c44e52", "buffer": "#8172b2", "DRAM": "#ccb974"}


def plot_comparison(rows, path: str, *, title: str = "") -> str:
    """Stacked bars of energy per MAC by category, grouped by layer, one bar per dataflow (ISCA 2016 Fig. 10 style).

    ``rows``: (layer, dataflow label, {category: energy per MAC}).
    """
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    layers = list(dict.fromkeys(r[0] for r in rows))
    flows = list(dict.fromkeys(r[1] for r in rows))
    table = {(r[0], r[1]): r[2] for r in rows}
    width = 0.8 / max(len(flows), 1)
    fig, ax = plt.subplots(figsize=(max(6.0, 1.6 * len(layers) + 2), 4.5))
    for j, flow in enumerate(flows):
        xs = [i + (j - (len(flows) - 1) / 2) * width for i in range(len(layers))]
        bottom = [0.0] * len(layers)
        for cat in CATEGORIES:
            heights = [table.get((layer, flow), {}).get(cat, 0.0) for layer in layers]
            ax.bar(xs, heights, width * 0.95, bottom=bottom, color=COLORS[cat],
                   label=cat if j == 0 else None, edgecolor="white", linewidth=0.3)
            bottom = [b + h for b, h in zip(bottom, heights)]
        for x, top in zip(xs, bottom):
            ax.text(x, top, flow, rotation=90, ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(layers)), layers)
    ax.set_ylabel("energy per MAC (x MAC: multiples of one MAC's energy)")
    ax.set_title(title)
    ax.margins(y=0.12)
    ax.set_ylim(top=ax.get_ylim()[1] * 1.08)
    ax.legend(loc="upper left", fontsize=8, ncols=len(CATEGORIES))
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path
