"""The hand-crafted versus learned features comparison as a table and as the talk's plot (energy per pixel on a
log axis against accuracy; measured-here, modelled and published points marked differently, each labelled).

>>> import os, tempfile
>>> from stationary.features.points import Kind, Point
>>> pts = [Point("hog+linear", Kind.MEASURED, "digits", 0.92, "accuracy", 0.19, 158.0, "run here"),
...        Point("HOG+DPM chip", Kind.PUBLISHED, "VOC 2007", 0.337, "AP", 0.942, None, "VLSI 2016")]
>>> print(points_table(pts).splitlines()[0].split())
['pipeline', 'kind', 'data', 'accuracy', 'nJ/pixel', 'ops/pixel', 'source']
>>> path = os.path.join(tempfile.mkdtemp(), "f.png")
>>> plot_features(pts, path) == path and os.path.getsize(path) > 0
True
"""
from __future__ import annotations

from stationary.features.points import Kind, Point
from stationary.report.table import format_table

STYLE = {Kind.MEASURED: dict(marker="o", color="#4c72b0", label="measured here (test-split accuracy)"),
         Kind.PUBLISHED: dict(marker="*", color="#c44e52", s=160, label="published chip (VOC 2007 AP)"),
         Kind.MODELLED: dict(marker="s", facecolors="none", edgecolors="#55a868",
                             label="modelled from shapes (at the published point's AP)")}
# the published point a modelled full-scale point stands beside
PAIRED = {"HOG 1080p (model)": "HOG+DPM chip", "Eyeriss alexnet (model)": "Eyeriss alexnet",
          "Eyeriss vgg16 (model)": "Eyeriss vgg16"}


def _num(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def points_table(points) -> str:
    rows = [(p.pipeline, p.kind.value, p.data, _num(p.accuracy, ".4f"), _num(p.energy_nj_per_pixel, ".4g"),
             _num(p.ops_per_pixel, ".4g"), p.source[:48]) for p in points]
    return format_table(("pipeline", "kind", "data", "accuracy", "nJ/pixel", "ops/pixel", "source"), rows)


def projection_table(points) -> str:
    rows = [(p.atoms, f"{p.kept:.0%}", p.nnz_weights, p.dense_mults_per_image, p.projected_mults_per_image,
             f"{p.reduction_per_image:.2f}x", f"{p.reduction_per_position:.2f}x",
             f"{p.energy_reduction_per_position:.2f}x", f"{p.accuracy_projected:.4f}", f"{p.accuracy_pruned:.4f}",
             f"{p.accuracy_lost:+.4f}") for p in points]
    return format_table(("atoms", "kept", "nnz", "mults/image", "projected", "per image", "per position",
                         "energy/position", "accuracy", "pruned (no basis)", "lost"), rows)


def plot_features(points, path: str, *, title: str = "") -> str:
    """Energy per pixel (nJ, log) against accuracy, one marker per kind of point, each labelled."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_name = {p.pipeline: p for p in points}
    fig, ax = plt.subplots(figsize=(7.5, 5.0))
    seen = set()
    for p in points:
        acc = p.accuracy
        if acc is None and p.pipeline in PAIRED and PAIRED[p.pipeline] in by_name:
            acc = by_name[PAIRED[p.pipeline]].accuracy
            ax.plot([acc * 100, acc * 100], [p.energy_nj_per_pixel, by_name[PAIRED[p.pipeline]].energy_nj_per_pixel],
                    ls=":", color="grey", lw=0.8)
        if acc is None:
            continue
        style = dict(STYLE[p.kind])
        label = style.pop("label")
        label = None if p.kind in seen else label
        seen.add(p.kind)
        ax.scatter([acc * 100], [p.energy_nj_per_pixel], label=label, zorder=3, **style)
        below = p.kind is Kind.MODELLED          # modelled points sit just under their published twins
        ax.annotate(p.label if p.kind is Kind.MEASURED else p.pipeline, (acc * 100, p.energy_nj_per_pixel),
                    textcoords="offset points", xytext=(6, -11 if below else 4), fontsize=8)
    ax.set_yscale("log")
    ax.set_xlabel("accuracy (%): test split here; VOC 2007 average precision for the chips")
    ax.set_ylabel("energy per pixel (nJ, log scale)")
    ax.set_title(title or "Features: energy vs. accuracy (65 nm)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    ax.margins(x=0.15, y=0.2)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path
