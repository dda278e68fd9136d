"""Scatter plots of a study's points with the Pareto front marked (both quantities minimized).

>>> pareto_front([1, 2, 3, 4], [4, 1, 3, 1])        # (3, 3) is dominated by (2, 1); (4, 1) ties (2, 1) on y
[0, 1]
>>> import tempfile, os
>>> rows = [{"area": a, "energy": e, "energy_unit": "MAC", "dataflow": d}
...         for a, e, d in [(1, 4, "rs"), (2, 1, "ws"), (3, 3, "rs")]]
>>> path = os.path.join(tempfile.mkdtemp(), "p.png")
>>> plot_points(rows, "area", "energy", path, color="dataflow", pareto=True) == path and os.path.getsize(path) > 0
True
"""
from __future__ import annotations

import math

from stationary.core import StationaryError

LABELS = {"area": "on-chip storage area (SRAM-byte units)", "latency_ms": "latency (ms)", "cycles": "cycles",
          "energy_per_mac": "energy per MAC (x one MAC's energy)", "utilization": "PE utilization",
          "on_chip_kb": "on-chip storage (kB)", "pes": "PEs", "dram_accesses": "DRAM accesses (words)"}


def pareto_front(xs, ys) -> list[int]:
    """Indices of the points no other point beats on both (smaller is better), in increasing x."""
    order = sorted(range(len(xs)), key=lambda i: (xs[i], ys[i], i))
    front, best = [], math.inf
    for i in order:
        if ys[i] < best:
            front.append(i)
            best = ys[i]
    return front


def label(rows: list[dict], column: str) -> str:
    if column in LABELS:
        return LABELS[column]
    if column == "energy" or column.startswith("energy_") and column not in ("energy_unit",):
        units = {r.get("energy_unit") for r in rows} - {None}
        return f"{column.replace('_', ' ')} ({', '.join(sorted(units)) or 'unit not recorded'})"
    return column


def numeric(rows: list[dict], column: str) -> list[float]:
    """The column's values (points with an error or no value left out by the caller)."""
    if not rows or column not in rows[0]:
        names = sorted(k for k, v in (rows[0] if rows else {}).items() if _is_number(v))
        raise StationaryError(f"no such column (numeric columns: {', '.join(names)})", field="column", value=column)
    values = [r[column] for r in rows]
    if not all(_is_number(v) for v in values):
        raise StationaryError("not a numeric column", field="column", value=column)
    return [float(v) for v in values]


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def plot_points(rows: list[dict], x: str, y: str, path=None, *, color: str | None = None, pareto: bool = False,
                title: str = ""):
    """Draw ``y`` against ``x`` (one marker per point, coloured by ``color``), the front joined by a line.

    ``path``: a file to write (returns it), or None for the PNG bytes."""
    import io

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rows = [r for r in rows if not r.get("error")]
    if not rows:
        raise StationaryError("no finished point without an error to plot", field="points", value=0)
    xs, ys = numeric(rows, x), numeric(rows, y)
    if color is not None and color not in rows[0]:
        raise StationaryError(f"no such column (columns: {', '.join(rows[0])})", field="color", value=color)
    groups = {}
    for i, r in enumerate(rows):
        groups.setdefault("all" if color is None else str(r[color]), []).append(i)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for name, idx in groups.items():
        ax.scatter([xs[i] for i in idx], [ys[i] for i in idx], s=28, alpha=0.8,
                   label=None if color is None else f"{color}={name}")
    if pareto:
        front = pareto_front(xs, ys)
        ax.plot([xs[i] for i in front], [ys[i] for i in front], "-", color="black", lw=1, zorder=3)
        ax.scatter([xs[i] for i in front], [ys[i] for i in front], s=80, facecolors="none", edgecolors="black",
                   zorder=4, label=f"Pareto front ({len(front)})")
    ax.set_xlabel(label(rows, x))
    ax.set_ylabel(label(rows, y))
    ax.set_title(title)
    ax.grid(alpha=0.3)
    if color is not None or pareto:
        ax.legend(fontsize=8)
    fig.tight_layout()
    if path is None:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110)
        plt.close(fig)
        return buf.getvalue()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path
