"""Mapper speed and quality (not part of the test suite).

1. AlexNet CONV1-5, ungrouped (G folded into C and M), batch 1, on ``timeloop-eyeriss-like`` under row-stationary
   constraints, objective delay then energy: seconds per layer on one core, energy, cycles, candidates/s; beside
   Timeloop's published CONV1 figures (19.2 s, 859.66 uJ; /work/shared/reference/timeloop-eyeriss-like-conv1.md).
2. Whole AlexNet (CONV + FC) at batch 4 and 16 on ``eyeriss`` (RS, energy), beside nn-dataflow when
   ``--peers`` is given (installed in benchmarks/.peers/nnd by ``benchmarks/setup_peers.sh``).

    .venv/bin/python benchmarks/bench_mapper.py [--peers] [--write]
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from stationary.arch import preset
from stationary.mapping import Dataflow, check
from stationary.search import Objective, search
from stationary.workload import load_network

ROOT = Path(__file__).resolve().parents[1]
TIMELOOP = {"CONV1": (19.2, 859.66)}   # seconds, uJ (Timeloop v3.0.3 + Accelergy, measured, see docstring)
NND = {4: (57.0, 5.79), 16: (123.0, 5.77)}  # wall s, CONV energy per MAC (peers.md, measured on this machine kind)


def ungrouped(layer):
    return dataclasses.replace(layer, G=1, C=layer.C * layer.G) if layer.G > 1 else layer


def part1(repeats: int) -> list[str]:
    arch, net = preset("timeloop-eyeriss-like"), load_network("alexnet", 1)
    lines = ["| layer | seconds (median of %d) | energy (uJ) | cycles | candidates | candidates/s | Timeloop s | "
             "Timeloop uJ | speed-up | energy ratio |" % repeats, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name in ("CONV1", "CONV2", "CONV3", "CONV4", "CONV5"):
        layer = ungrouped(net[name])
        runs = [search(layer, arch, Dataflow.RS, objective=Objective.DELAY_ENERGY) for _ in range(repeats)]
        r = runs[0]
        check(layer, arch, r.best.mapping)
        sec = statistics.median(x.seconds for x in runs)
        uj = r.best.energy.total / 1e6
        tl = TIMELOOP.get(name)
        extra = (f"{tl[0]} | {tl[1]} | {tl[0] / sec:.1f}x | {uj / tl[1]:.3f} |" if tl else "- | - | - | - |")
        lines.append(f"| {name} | {sec:.2f} | {uj:.2f} | {r.best.latency.cycles:,} | {r.candidates:,} | "
                     f"{r.candidates / sec:,.0f} | {extra}")
        print(lines[-1], flush=True)
    return lines


def part2(peers: bool) -> list[str]:
    arch = preset("eyeriss")
    lines = ["| batch | ours: s (all layers) | ours: CONV energy/MAC | nn-dataflow s | nn-dataflow CONV energy/MAC | "
             "speed-up | source of nn-dataflow figures |", "|---:|---:|---:|---:|---:|---:|---|"]
    for batch in (4, 16):
        net = load_network("alexnet", batch)
        t0 = time.perf_counter()
        results = [search(layer, arch, Dataflow.RS, objective=Objective.ENERGY).best for layer in net.layers]
        sec = time.perf_counter() - t0
        conv = [r for r in results if r.layer.kind.value == "conv"]
        per_mac = sum(r.energy.total for r in conv) / sum(r.layer.macs for r in conv)
        nsec, nmac, src = *NND[batch], "peers.md (measured earlier, same machine kind)"
        if peers:
            nsec, nmac = run_nnd(batch)
            src = "time run side by side; energy from peers.md"
        lines.append(f"| {batch} | {sec:.1f} | {per_mac:.2f} | {nsec:.0f} | {nmac:.2f} | {nsec / sec:.1f}x | {src} |")
        print(lines[-1], flush=True)
    return lines


def run_nnd(batch: int) -> tuple[float, float]:
    exe = ROOT / "benchmarks/.peers/nnd/bin/nn_dataflow_search"
    cmd = [str(exe), "alex_net", "--batch", str(batch), "--word", "16", "--nodes", "1", "1", "--array", "12", "14",
           "--regf", "512", "--gbuf", "110592", "-p", "2", "-g", "e"]
    t0 = time.perf_counter()
    subprocess.run(cmd, capture_output=True, text=True, check=True)
    # its time is measured here; its CONV energy per MAC is the figure peers.md read from its JSON output
    return time.perf_counter() - t0, NND[batch][1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--peers", action="store_true")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    head = (f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"{datetime.date.today().isoformat()}; one process, one core.")
    print(head)
    text = ["## Mapper", "", "`benchmarks/bench_mapper.py`. " + head, "",
            "AlexNet CONV1-5 ungrouped, batch 1, `timeloop-eyeriss-like`, RS constraints, delay then energy:", "",
            *part1(args.repeats), "", "Whole AlexNet (CONV and FC) on `eyeriss`, RS, energy:", "", *part2(args.peers)]
    if args.write:
        path = ROOT / "BENCHMARKS.md"
        old = path.read_text() if path.exists() else "# Benchmarks\n"
        body = "\n".join(text) + "\n"
        if "## Mapper" in old:
            old = re.sub(r"## Mapper\n.*?(?=\n## |\Z)", body, old, flags=re.S)
        else:
            old = old.rstrip() + "\n\n" + body
        path.write_text(old)


if __name__ == "__main__":
    main()
