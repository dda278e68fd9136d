"""Mapper speed and quality beside Timeloop, nn-dataflow and ZigZag (not part of the test suite).

1. AlexNet CONV1-5 ungrouped, batch 1, ``timeloop-eyeriss-like``, row-stationary constraints, delay then energy:
   seconds per layer on one core (median of ``--repeats``), energy, cycles, candidates/s; beside Timeloop's
   measured CONV1 (19.2 s, 859.66 uJ; its five layers took 19-59 s each; see docs/architecture.md).
2. Whole networks (AlexNet batch 4 and 16, ResNet-50 batch 4) under RS, energy, beside nn-dataflow 2.1 measured on
   this machine (benchmarks/peers/nnd-*.json, written by benchmarks/peers_run.py, one process). Ours on the
   ``eyeriss`` preset and on ``nnd-like``: the design nn-dataflow was given (--regf 512 B = 256 shared words per PE,
   --gbuf 110592 B = 55,296 shared words, same costs), so the energies compare like for like.
3. AlexNet CONV1-5 (grouped, as the zoo has them) at batch 1 and 16 beside ZigZag 3.9.1
   (benchmarks/peers/zigzag-*.json) on its design (``zigzag-like``: the eyeriss RF partitions, a 108 kB buffer for
   inputs and outputs only, weights from DRAM, no array cost), any dataflow, energy.
4. Evaluator throughput: the bulk evaluator against the model called once per candidate, on the same candidates
   (10,000 legal tilings of CONV3 with random loop orders; the model's energies must equal the bulk ones).

    .venv/bin/python benchmarks/bench_mapper.py [--repeats 3] [--write]
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import re
import statistics
import time
from pathlib import Path

import numpy as np

from stationary import api
from stationary.arch import preset
from stationary.mapping import Dataflow, check
from stationary.model import evaluate
from stationary.search import Objective, search
from stationary.search.bulk import evaluate_batch
from stationary.search.mapper import build_indexed
from stationary.search.refine import Space
from stationary.search.tiling import tilings
from stationary.workload import load_network

ROOT = Path(__file__).resolve().parents[1]
PEERS = ROOT / "benchmarks" / "peers"
TIMELOOP = {"CONV1": (19.2, 859.66)}   # seconds, uJ (Timeloop v3.0.3 + Accelergy, measured; docs/architecture.md)


def ungrouped(layer):
    return dataclasses.replace(layer, G=1, C=layer.C * layer.G) if layer.G > 1 else layer


def peer(name: str) -> dict | None:
    path = PEERS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def part1(repeats: int) -> tuple[list[str], int, float]:
    arch, net = preset("timeloop-eyeriss-like"), load_network("alexnet", 1)
    lines = [f"| layer | seconds (median of {repeats}) | energy (uJ) | cycles | candidates | candidates/s | method | "
             "Timeloop s | Timeloop uJ | speed-up | energy ratio |", "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
    cands = secs = 0
    for name in ("CONV1", "CONV2", "CONV3", "CONV4", "CONV5"):
        layer = ungrouped(net[name])
        runs = [search(layer, arch, Dataflow.RS, objective=Objective.DELAY_ENERGY) for _ in range(repeats)]
        r = runs[0]
        check(layer, arch, r.best.mapping)
        sec = statistics.median(x.seconds for x in runs)
        cands, secs = cands + r.candidates, secs + sec
        uj = r.best.energy.total / 1e6
        tl = TIMELOOP.get(name)
        extra = f"{tl[0]} | {tl[1]} | {tl[0] / sec:.0f}x | {uj / tl[1]:.3f} |" if tl else "- | - | - | - |"
        lines.append(f"| {name} | {sec:.2f} | {uj:.2f} | {r.best.latency.cycles:,} | {r.candidates:,} | "
                     f"{r.candidates / sec:,.0f} | {r.method} | {extra}")
        print(lines[-1], flush=True)
    return lines, cands, secs


def _network(name: str, batch: int, arch) -> tuple[float, float, float]:
    t0 = time.perf_counter()
    res = api.evaluate(name, arch, dataflow="rs", objective="energy", batch=batch)
    sec = time.perf_counter() - t0
    conv = [r for r in res.layers if r.layer.kind.value == "conv"]
    per_mac = sum(r.energy.total for r in conv) / sum(r.layer.macs for r in conv)
    return sec, per_mac, res.energy_per_mac


def process_seconds(args: list[str], repeats: int = 3) -> float:
    """Median wall time of ``python -m stationary.cli ARGS`` as a whole process (interpreter start and imports
    included), the way the peers are timed."""
    import subprocess
    import sys
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "stationary.cli", *args], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def part2() -> list[str]:
    """Ours timed as whole processes (``stationary evaluate``, median of 3), like nn-dataflow's single
    whole-process runs recorded in benchmarks/peers/."""
    lines = ["| network | batch | nn-dataflow s | its CONV energy/MAC | ours on `eyeriss`: s | CONV energy/MAC | "
             "ours on `nnd-like`: s (whole process) | CONV energy/MAC | speed-up (nnd-like) | energy ratio "
             "(nnd-like) |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for net, nnd_name, batch in (("alexnet", "alexnet", 4), ("alexnet", "alexnet", 16), ("resnet50", "resnet50", 4)):
        p = peer(f"nnd-{nnd_name}-b{batch}")
        s1, e1, _ = _network(net, batch, preset("eyeriss"))
        _, e2, _ = _network(net, batch, preset("nnd-like"))
        s2 = process_seconds(["evaluate", net, "--arch", "nnd-like", "--dataflow", "rs", "--objective", "energy",
                              "--batch", str(batch), "--json"])
        ps, pe = (p["wall_s"], p["conv"]["energy_per_mac"]) if p else (float("nan"), float("nan"))
        lines.append(f"| {net} | {batch} | {ps:.1f} | {pe:.2f} | {s1:.1f} | {e1:.2f} | {s2:.1f} | {e2:.2f} | "
                     f"{ps / s2:.1f}x | {e2 / pe:.3f} |")
        print(lines[-1], flush=True)
    return lines


def part3() -> list[str]:
    arch = preset("zigzag-like")
    lines = ["| batch | layer | ZigZag s | ZigZag energy/MAC | ours s | ours energy/MAC | speed-up | energy ratio |",
             "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for batch in (1, 16):
        p = peer(f"zigzag-alexnet-b{batch}")
        zz = {l["layer"]: l for l in p["layers"]} if p else {}
        net = load_network("alexnet", batch)
        tot = [0.0, 0.0, 0.0, 0.0, 0]
        for name in ("CONV1", "CONV2", "CONV3", "CONV4", "CONV5"):
            layer = net[name]
            r = search(layer, arch, None, objective=Objective.ENERGY)
            z = zz.get(name, {})
            zs, ze = z.get("wall_s", float("nan")), z.get("energy_per_mac", float("nan"))
            tot[0] += zs
            tot[1] += z.get("energy", float("nan"))
            tot[2] += r.seconds
            tot[3] += r.best.energy.total
            tot[4] += layer.macs
            lines.append(f"| {batch} | {name} | {zs:.1f} | {ze:.2f} | {r.seconds:.2f} | {r.best.energy.per_mac:.2f} | "
                         f"{zs / r.seconds:.0f}x | {r.best.energy.per_mac / ze:.3f} |")
            print(lines[-1], flush=True)
        lines.append(f"| {batch} | CONV1-5 | {tot[0]:.1f} | {tot[1] / tot[4]:.2f} | {tot[2]:.2f} | "
                     f"{tot[3] / tot[4]:.2f} | {tot[0] / tot[2]:.0f}x | {tot[3] / tot[1]:.3f} |")
        print(lines[-1], flush=True)
    return lines


def part4() -> list[str]:
    layer, arch = load_network("alexnet", 4)["CONV3"], preset("eyeriss")
    space = Space(layer, arch, Dataflow.RS, Objective.ENERGY)
    rng = np.random.default_rng(0)
    rows, _ = tilings(layer, arch, Dataflow.RS, space.choices[0], cap=10000, score=lambda r: rng.random(len(r)))
    orders = space.canonical(rows, rng.permuted(np.tile(np.arange(8), (len(rows), len(arch.levels), 1)), axis=2))
    t0 = time.perf_counter()
    batch = evaluate_batch(layer, arch, space.choices[0], rows, orders)
    bulk = (time.perf_counter() - t0) / len(rows)
    n = min(300, len(rows))
    maps = [build_indexed(rows[j], orders[j], arch, space.choices[0]) for j in range(n)]
    t0 = time.perf_counter()
    energies = [evaluate(layer, arch, m, validate=False).energy.total for m in maps]
    one = (time.perf_counter() - t0) / n
    assert energies == list(batch.energy[:n])
    return ["| evaluator | candidates | us per candidate | candidates/s | ratio |", "|---|---:|---:|---:|---:|",
            f"| `stationary.model.evaluate`, one at a time | {n:,} | {one * 1e6:.0f} | {1 / one:,.0f} | 1x |",
            f"| `stationary.search.bulk.evaluate_batch` | {len(rows):,} | {bulk * 1e6:.1f} | {1 / bulk:,.0f} | "
            f"{one / bulk:.0f}x |"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    head = (f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"{datetime.date.today().isoformat()}; one process, one core.")
    print(head)
    p1, cands, secs = part1(args.repeats)
    p2, p3, p4 = part2(), part3(), part4()
    print("\n".join(p4))
    text = ["## Mapper", "", "`benchmarks/bench_mapper.py`. " + head, "",
            "### Beside Timeloop: AlexNet CONV1-5 ungrouped, batch 1, `timeloop-eyeriss-like`, RS, delay then energy",
            "", *p1, "", f"Candidates evaluated per second on one core over these searches: {cands / secs:,.0f}.", "",
            "### Beside nn-dataflow: whole networks (CONV and FC mapped), RS, energy", "", *p2, "",
            "### Beside ZigZag: AlexNet CONV1-5 (grouped), `zigzag-like`, any dataflow, energy", "", *p3, "",
            "### Evaluator throughput: AlexNet CONV3 at batch 4 on `eyeriss`, RS, random legal candidates", "", *p4]
    if args.write:
        path = ROOT / "BENCHMARKS.md"
        old = path.read_text() if path.exists() else "# Benchmarks\n"
        body = "\n".join(text) + "\n\nWhat the figures mean, and where targets are not met: docs/mapper.md.\n"
        if "## Mapper" in old:
            old = re.sub(r"## Mapper\n.*?(?=\n## |\Z)", lambda _: body, old, flags=re.S)
        else:
            old = old.rstrip() + "\n\n" + body
        path.write_text(old)


if __name__ == "__main__":
    main()
