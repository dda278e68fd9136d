"""The talk's energy-aware pruning picture: energy versus accuracy, one point per pruning step, per method."""
from __future__ import annotations

from stationary.arch.spec import Unit
from stationary.pruning.steps import Method, Step

_STYLE = {Method.MAGNITUDE: ("^", "tab:blue", "magnitude-based pruning"),
          Method.ENERGY_AWARE: ("s", "tab:red", "energy-aware pruning")}


def plot_steps(steps: list[Step], path: str, *, title: str = "") -> None:
    """Write a PNG (or any format matplotlib knows by the extension) of energy versus accuracy."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    unit = "pJ" if steps and steps[0].unit is Unit.PJ else "MAC units"
    scale, label = (1e6, "uJ") if unit == "pJ" else (1.0, unit)
    first = steps[0] if steps else None
    if first is not None:
        ax.plot([first.accuracy * 100], [first.energy / scale], "o", color="black", ms=9, label="original")
    for method, (marker, color, name) in _STYLE.items():
        mine = [s for s in steps if s.method is method and s.step > 0]
        if not mine:
            continue
        ax.plot([s.accuracy * 100 for s in mine], [s.energy / scale for s in mine], marker=marker, color=color,
                ls="-", lw=1, label=name)
        for s in mine:
            if not s.within_target:
                ax.plot([s.accuracy * 100], [s.energy / scale], "x", color="gray", ms=10)
    ax.set_xlabel("test accuracy (%)")
    ax.set_ylabel(f"energy per image ({label})")
    ax.set_yscale("log")
    if title:
        ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
