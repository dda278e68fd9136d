"""Fast convolution algorithms on this machine: numpy execution time of each algorithm against direct and im2col
on zoo layers (float32, median of repeats), the host roofline with each layer's measured GEMM, and the tables
docs/algorithms.md shows (counts and savings on VGG-16, error on a LeNet-5 trained here and on random tensors of
zoo shapes, storage).

    PYTHONPATH=src python benchmarks/bench_algo.py            # print everything (the docs' tables too)
    PYTHONPATH=src python benchmarks/bench_algo.py --write    # also replace "## Fast convolution algorithms" in
                                                              # BENCHMARKS.md and write docs/img/roofline_*.png
"""
from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):   # one core: stable on a shared machine
    os.environ.setdefault(_var, "1")

import datetime
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from stationary.algo import Precision, execute, measure, plan, run_network
from stationary.algo.error import random_tensors, sample_layer
from stationary.report.roofline import plot_roofline
from stationary.roofline import roofline_network
from stationary.workload import zoo

ROOT = Path(__file__).resolve().parents[1]
LAYERS = [("lenet5", "C3"), ("alexnet", "CONV3"), ("vgg16", "conv1_2"), ("vgg16", "conv3_2"), ("vgg16", "conv5_1"),
          ("resnet50", "res3a_branch2b"), ("googlenet", "inception_3a/5x5"), ("mobilenet-v1", "conv_dw_2")]
METHODS = ["direct", "im2col", "winograd:2,3", "winograd:4,3", "winograd:2,5", "fft", "strassen:1", "strassen:2"]
COUNT_METHODS = ["direct", "im2col", "winograd:2,3", "winograd:4,3", "winograd:6,3", "fft", "fft:4m", "strassen:1",
                 "strassen:2", "strassen:3"]
SECTION = "## Fast convolution algorithms"


def machine() -> str:
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return (f"{platform.machine()}, {os.cpu_count()} cores (BLAS on one thread), Python {platform.python_version()}, numpy {np.__version__}; "
            f"{datetime.date.today().isoformat()}; load average {load} at the start (the machine is shared)")


def median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def timing_table(repeats: int = 3) -> str:
    rows = ["| layer | shape | " + " | ".join(METHODS) + " |", "|---|---|" + "---:|" * len(METHODS)]
    for net, name in LAYERS:
        layer = zoo.get(net)[name]
        x, w = random_tensors(layer)
        x, w = x.astype(np.float32), w.astype(np.float32)
        cells, base = [], {}
        for method in METHODS:
            p = plan(layer, method)
            if not p.applicable:
                cells.append("-")
                continue
            execute(p, x, w, Precision.FLOAT32)          # warm up (transforms cached, pages touched)
            ms = median_ms(lambda: execute(p, x, w, Precision.FLOAT32), repeats)
            base.setdefault(method, ms)
            ref = base.get("direct")
            cells.append(f"{ms:.1f}" + (f" ({ref / ms:.2f}x)" if ref and method != "direct" else ""))
        shape = f"M{layer.M} C{layer.C}" + (f" G{layer.G}" if layer.G > 1 else "") + \
            f" {layer.E}x{layer.F} R{layer.R}"
        rows.append(f"| {net} {name} | {shape} | " + " | ".join(cells) + " |")
        print(rows[-1], flush=True)
    return "\n".join(rows)


def counts_table() -> str:
    rows = ["| method | multiplications | saving | additions | transform ops | extra words | "
            "energy (float32, uJ) | layers skipped |", "|---|---:|---:|---:|---:|---:|---:|---|"]
    for method in COUNT_METHODS:
        r = run_network(zoo.get("vgg16"), method, error=False)
        c = r.counts
        rows.append(f"| {r.algorithm.label} | {c.multiplications:,} | {r.multiplication_saving:.2f}x | "
                    f"{c.additions:,} | {c.transform_ops:,} | {c.extra_words:,} | {r.energy_pj / 1e6:,.0f} | "
                    f"{', '.join(s.layer for s in r.skipped) or '-'} |")
    return "\n".join(rows)


def trained_lenet():
    from stationary.infer import build, forward, load_mnist
    from stationary.infer.train import TrainConfig, train
    data = load_mnist()
    result = train(build("lenet5"), data, TrainConfig(epochs=4, seed=0))
    acts = forward(result.model, data.x_test[::10][:64], dtype=np.float64)
    return result, acts


ERROR_METHODS = [("C1", "winograd:2,5"), ("C1", "winograd:4,5"), ("C1", "winograd:6,5"), ("C3", "winograd:2,5"),
                 ("C3", "winograd:4,5"), ("C3", "winograd:6,5"), ("C3", "fft"), ("C3", "fft:4m"), ("C3", "im2col"),
                 ("C3", "strassen:1"), ("C3", "strassen:2"), ("C3", "strassen:4"), ("C3", "direct")]


def _err_cells(errors) -> str:
    return " | ".join(f"{e.max_abs:.2e} / {e.mean_abs:.2e}" for e in errors)


def error_tables() -> tuple[str, str]:
    result, acts = trained_lenet()
    by = {a.name: a for a in acts}
    head = ("| layer | method | float64 | float32 | float16 | fixed16 |\n|---|---|---|---|---|---|")
    rows = [f"LeNet-5 trained here (seed 0, 4 epochs, test accuracy {result.test_accuracy:.3f}), 64 MNIST test "
            "digits (every 10th); each cell max / mean absolute error against float64 direct\n", head]
    for name, method in ERROR_METHODS:
        layer = result.model.network[name].with_batch(64)
        w = np.asarray(result.model.weights[name][0], np.float64)
        rows.append(f"| {name} | {method} | " + _err_cells(measure(plan(layer, method), by[name].ifmap, w)) + " |")
    random_rows = ["Random tensors (seed 0) on crops of zoo layers (`stationary.algo.error.sample_layer`)\n", head]
    for net, name, methods in (("vgg16", "conv3_2", ("direct", "winograd:2,3", "winograd:4,3", "winograd:6,3",
                                                     "fft", "strassen:1", "strassen:2", "strassen:3")),
                               ("alexnet", "CONV3", ("winograd:2,3", "winograd:4,3", "fft"))):
        layer = sample_layer(zoo.get(net)[name])
        x, w = random_tensors(layer)
        for method in methods:
            random_rows.append(f"| {net} {name} ({layer.M}x{layer.C}, {layer.E}x{layer.F}) | {method} | "
                               + _err_cells(measure(plan(layer, method), x, w)) + " |")
    return "\n".join(rows), "\n".join(random_rows)


def roofline_section(write: bool) -> str:
    host = roofline_network(zoo.get("alexnet"), "host", "im2col", budget_s=6.0, progress=True)
    vgg = roofline_network(zoo.get("vgg16"), "host", "im2col", budget_s=6.0, torch=False, progress=True)
    d = host.device
    lines = [f"Measured (AlexNet run): peak {host.host.peak_gflops_float32:.1f} GFLOP/s float32 (from "
             f"{host.host.peak_on}; {host.host.peak_gflops_float64:.1f} float64), STREAM add "
             f"{host.host.bandwidth_gbs:.1f} GB/s ({host.host.blas}); the VGG-16 run measured its own "
             f"({vgg.host.peak_gflops_float32:.1f} GFLOP/s, {vgg.host.bandwidth_gbs:.1f} GB/s).", "",
             "| network | layer | FLOP/byte | roofline GFLOP/s | numpy GEMM GFLOP/s (timed on) | torch conv2d GFLOP/s |",
             "|---|---|---:|---:|---:|---:|"]
    for r in (host, vgg):
        for pt in r.points:
            torch = f"{pt.torch_gflops:.1f}" if pt.torch_gflops else "-"
            lines.append(f"| {r.network} | {pt.layer} | {pt.intensity:.1f} | {pt.attainable_gflops:.1f} | "
                         f"{pt.measured_gflops:.1f} ({pt.measured_on}) | {torch} |")
    if write:
        plot_roofline([host], str(ROOT / "docs" / "img" / "roofline_host.png"),
                      title=f"AlexNet on this machine ({d.peak_gflops[1][1]:.0f} GFLOP/s, {d.bandwidth_gbs:.0f} GB/s "
                            "measured): im2col GEMMs")
        presets = [roofline_network(zoo.get("vgg16"), "gp100", m) for m in ("im2col", "winograd:2,3", "fft")]
        plot_roofline(presets, str(ROOT / "docs" / "img" / "roofline_gp100.png"),
                      title="VGG-16 on Pascal GP100 (the talk's GPU): predicted, by algorithm")
    return "\n".join(lines)


def main() -> None:
    write = "--write" in sys.argv
    header = machine()
    print(header, flush=True)
    timing = timing_table()
    roof = roofline_section(write)
    counts = counts_table()
    lenet, rand = error_tables()
    text = f"""{SECTION}

`benchmarks/bench_algo.py`. Machine: {header}. Each algorithm's numpy execution (`stationary.algo.execute`,
float32, batch 1, random tensors), median of 3 runs after a warm-up, in ms; in brackets the speed-up over the
direct convolution (an einsum over the window view). "-": the method does not apply (stride, filter size).
The transforms are recomputed on every run (filters included), as a layer-at-a-time implementation would.

{timing}

### Host roofline (numpy's BLAS on the lowered GEMMs)

{roof}
"""
    print(text)
    print(counts)
    print(lenet)
    print(rand)
    if write:
        from sections import replace_section
        replace_section(ROOT / "BENCHMARKS.md", SECTION, text)


if __name__ == "__main__":
    main()
