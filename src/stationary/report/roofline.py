"""The roofline picture: the device's roofs (bandwidth slope, peak per precision), each layer as a point at
its arithmetic intensity: predicted (on the roof), and on ``host`` measured (numpy's BLAS GEMM; torch's
convolution, drawn at the same intensity: its own traffic is not known). matplotlib is imported inside (Agg).

>>> import tempfile, os
>>> from stationary.roofline import roofline_network
>>> from stationary.workload import zoo
>>> path = os.path.join(tempfile.mkdtemp(), "roof.png")
>>> plot_roofline([roofline_network(zoo.get("alexnet"), "gp100")], path) == path and os.path.getsize(path) > 0
True
"""
from __future__ import annotations

MARKERS = "osD^vP*X"


def plot_roofline(results, path: str, *, title: str = "") -> str:
    """One or more :class:`~stationary.roofline.RooflineResult` of the same device on one log-log plot."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    dev = results[0].device
    fig, ax = plt.subplots(figsize=(7.5, 5))
    xs = [pt.intensity for r in results for pt in r.points]
    lo, hi = min(xs + [0.1]) / 2, max(xs + [dev.ridge(results[0].precision) * 4]) * 2
    for (p, peak), style in zip(dev.peak_gflops, ("-", "--", ":")):
        ridge = peak / dev.bandwidth_gbs
        ax.plot([lo, ridge, hi], [lo * dev.bandwidth_gbs, peak, peak], "k" + style, linewidth=1.2,
                label=f"{p.value} peak {peak:,.0f} GFLOP/s")
    ax.text(lo * 1.2, lo * 1.3 * dev.bandwidth_gbs, f"{dev.bandwidth_gbs:,.0f} GB/s", rotation=28, fontsize=8)
    for i, r in enumerate(results):
        m = MARKERS[i % len(MARKERS)]
        ax.scatter([pt.intensity for pt in r.points], [pt.attainable_gflops for pt in r.points], marker=m,
                   facecolors="none", edgecolors=f"C{i}", label=f"{r.algorithm.label}: predicted")
        measured = [pt for pt in r.points if pt.measured_gflops]
        if measured:
            ax.scatter([pt.intensity for pt in measured], [pt.measured_gflops for pt in measured], marker=m,
                       color=f"C{i}", label=f"{r.algorithm.label}: measured (numpy BLAS GEMM)")
    torch = [pt for r in results[:1] for pt in r.points if pt.torch_gflops]
    if torch:
        ax.scatter([pt.intensity for pt in torch], [pt.torch_gflops for pt in torch], marker="x", color="gray",
                   label="torch CPU conv2d (measured)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("arithmetic intensity (FLOP/byte)")
    ax.set_ylabel("throughput (GFLOP/s)")
    ax.set_title(title or f"{results[0].network} on {dev.name}", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
