"""Mapper speed and quality beside Timeloop, nn-dataflow and ZigZag (not part of the test suite).

Every time here is a whole process on each side, as a user runs it (interpreter start and imports included): ours
is ``python -m stationary.cli map ...`` or ``evaluate ...``, the peers their own commands. Medians of
``--repeats``; CPU seconds (user + system, from ``resource.getrusage`` of the children) beside wall seconds; the
machine's load average and the date are printed with each table (the machine is shared: wall times are noisy).

1. AlexNet CONV1-5 ungrouped, batch 1, ``timeloop-eyeriss-like``, row-stationary, delay then energy, one layer per
   process; beside Timeloop's CONV1 (19.2 s, 859.66 uJ). Timeloop is not installed here: its figures are RECORDED
   (Timeloop v3.0.3 + Accelergy on this machine kind, 2 threads; docs/architecture.md), not rerun.
2. Whole networks (AlexNet batch 4 and 16, ResNet-50 batch 4) under RS, energy, beside nn-dataflow 2.1 on the
   design it was given (``nnd-like``: --regf 512 B = 256 shared words per PE, --gbuf 110592 B = 55,296 shared
   words, same costs). ``--peers run`` runs nn-dataflow here, alternating with ours (peer, ours, peer, ours, ...),
   and caches its last run in benchmarks/peers/nnd-*.json; ``--peers cached`` (default) reads those JSONs (single
   runs, their date in the table) and times only ours.
3. AlexNet CONV1-5 (grouped, as the zoo has them) at batch 1 and 16 beside ZigZag 3.9.1 (cached single runs,
   benchmarks/peers/zigzag-*.json: 17-726 s per layer, not rerun) on its design (``zigzag-like``), any dataflow,
   energy; ours one layer per process.
4. Evaluator throughput (in one process: this part times functions, not commands): the bulk evaluator against the
   model called once per candidate, on the same candidates (10,000 legal tilings of CONV3 with random loop orders).

    .venv/bin/python benchmarks/bench_mapper.py [--repeats 3] [--peers cached|run] [--parts 1 2 3 4] [--write]
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from stationary.arch import preset
from stationary.mapping import Dataflow
from stationary.model import evaluate
from stationary.search import Objective
from stationary.search.bulk import evaluate_batch
from stationary.search.mapper import build_indexed
from stationary.search.refine import Space
from stationary.search.tiling import tilings
from stationary.workload import load_network
from stationary.workload.files import dump_network_yaml
from stationary.workload.network import Network

ROOT = Path(__file__).resolve().parents[1]
PEERS = ROOT / "benchmarks" / "peers"
CONVS = ("CONV1", "CONV2", "CONV3", "CONV4", "CONV5")
KEPT = "### Bulk evaluator on rows with remainders"   # benchmarks/bench_bulk_remainders.py's, kept on --write
TIMELOOP = {"CONV1": (19.2, 859.66)}   # seconds, uJ (Timeloop v3.0.3 + Accelergy, recorded; docs/architecture.md)


def ungrouped(layer):
    return dataclasses.replace(layer, G=1, C=layer.C * layer.G) if layer.G > 1 else layer


def peer(name: str) -> dict | None:
    path = PEERS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def stamp() -> str:
    """The date and the machine's load, for each table."""
    load = os.getloadavg()
    return (f"{datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}, load average "
            f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1 / 5 / 15 min)")


def cli(args: list[str]) -> tuple[float, float, object]:
    """One whole process ``python -m stationary.cli ARGS``: wall seconds, CPU seconds, its JSON output."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "stationary.cli", *args], env=env, check=True,
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, json.loads(done.stdout)


def startup(repeats: int) -> str:
    """What a whole process costs before any search: the interpreter and the imports ``map`` needs."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    walls, cpus = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import stationary.cli, stationary.api, stationary.search.guarantee"],
                       env=env, check=True)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return (f"Start-up alone (interpreter and imports, no search; median of {repeats}): "
            f"{statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU.")


def medians(args: list[str], repeats: int) -> tuple[float, float, object]:
    runs = [cli(args) for _ in range(repeats)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), runs[-1][2]


def part1(repeats: int) -> list[str]:
    net = load_network("alexnet", 1)
    lines = [f"Measured {stamp()}.", "",
             f"| layer | ours wall s (median of {repeats}) | ours CPU s | energy (uJ) | cycles | candidates | "
             "method | gap to bound | Timeloop s (recorded) | Timeloop uJ | speed-up (wall) | energy ratio |",
             "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "alexnet-ungrouped.yaml")
        dump_network_yaml(Network("alexnet-ungrouped", tuple(ungrouped(net[n]) for n in CONVS)), path)
        for name in CONVS:
            wall, cpu, out = medians(["map", path, "--arch", "timeloop-eyeriss-like", "--dataflow", "rs",
                                      "--objective", "delay,energy", "--layer", name, "--json", "--quiet"], repeats)
            r = out[0]
            uj = r["energy_pj"] / 1e6
            tl = TIMELOOP.get(name)
            extra = f"{tl[0]} | {tl[1]} | {tl[0] / wall:.0f}x | {uj / tl[1]:.3f} |" if tl else "- | - | - | - |"
            gap = f"{r['gap']:.1%} ({r['bound_of']})" if r.get("gap") is not None else "-"
            lines.append(f"| {name} | {wall:.2f} | {cpu:.2f} | {uj:.2f} | {r['cycles']:,} | {r['candidates']:,} | "
                         f"{r['method']} | {gap} | {extra}")
            print(lines[-1], flush=True)
    return lines + ["", startup(repeats), "", f"Load at the end: {stamp()}."]


def conv_per_mac(out: list[dict], net) -> float:
    """CONV energy per MAC (x MAC) from ``evaluate --json``'s layers (the zoo names which are convolutions)."""
    convs = {l.name for l in net if l.kind.value == "conv"}
    rows = [r for r in out if r["layer"] in convs]
    return sum(r["energy"] for r in rows) / sum(r["macs"] for r in rows)


def part2(repeats: int, run_peers: bool) -> list[str]:
    import peers_run
    how = (f"nn-dataflow run here, alternating with ours, median of {repeats}" if run_peers
           else "nn-dataflow: cached single run (its date below)")
    lines = [f"Measured {stamp()}; {how}; ours median of {repeats}.", "",
             "| network | batch | nn-dataflow wall s | its CPU s | its runs | its CONV energy/MAC | ours on `nnd-like` "
             "wall s | ours CPU s | CONV energy/MAC | ours on `eyeriss`: CONV energy/MAC | speed-up (wall) | "
             "speed-up (CPU) | energy ratio |", "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for net_name, nnd_net, batch in (("alexnet", "alex_net", 4), ("alexnet", "alex_net", 16),
                                     ("resnet50", "resnet50", 4)):
        net = load_network(net_name, batch)
        args = ["evaluate", net_name, "--arch", "nnd-like", "--dataflow", "rs", "--objective", "energy",
                "--batch", str(batch), "--json"]
        peer_runs, ours_runs = [], []
        for _ in range(repeats):
            if run_peers:
                rec = peers_run.run_nnd(nnd_net, net_name, batch)
                peer_runs.append(rec)
            ours_runs.append(cli(args))
        if run_peers:
            last = dict(peer_runs[-1], runs_wall_s=[r["wall_s"] for r in peer_runs],
                        runs_cpu_s=[r["cpu_s"] for r in peer_runs],
                        runs_note="runs alternating with ours (benchmarks/bench_mapper.py --peers run); the "
                                  "other fields are the last run's")
            (PEERS / f"nnd-{net_name}-b{batch}.json").write_text(json.dumps(last, indent=1) + "\n")
            ps = statistics.median(r["wall_s"] for r in peer_runs)
            pc = statistics.median(r["cpu_s"] for r in peer_runs)
            when = f"{len(peer_runs)} here"
            pe = peer_runs[-1]["conv"]["energy_per_mac"]
        else:
            p = peer(f"nnd-{net_name}-b{batch}")
            ps, pc, pe = p["wall_s"], p.get("cpu_s", float("nan")), p["conv"]["energy_per_mac"]
            when = f"1, cached {p['date'][:10]}"
        wall = statistics.median(r[0] for r in ours_runs)
        cpu = statistics.median(r[1] for r in ours_runs)
        e2 = conv_per_mac(ours_runs[-1][2], net)
        _, _, eye = cli(["evaluate", net_name, "--arch", "eyeriss", "--dataflow", "rs", "--objective", "energy",
                         "--batch", str(batch), "--json"])
        e1 = conv_per_mac(eye, net)
        lines.append(f"| {net_name} | {batch} | {ps:.1f} | {pc:.1f} | {when} | {pe:.2f} | {wall:.1f} | {cpu:.1f} | "
                     f"{e2:.2f} | {e1:.2f} | {ps / wall:.1f}x | {pc / cpu:.1f}x | {e2 / pe:.3f} |")
        print(lines[-1], flush=True)
    return lines + ["", f"Load at the end: {stamp()}."]


def part3(repeats: int) -> list[str]:
    lines = [f"Measured {stamp()}; ours one layer per process, median of {repeats}; ZigZag: cached single runs, one "
             "process per layer (benchmarks/peers/zigzag-*.json).", "",
             "| batch | layer | ZigZag s | ZigZag energy/MAC | ours wall s | ours CPU s | ours energy/MAC | "
             "speed-up (wall) | energy ratio |", "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for batch in (1, 16):
        p = peer(f"zigzag-alexnet-b{batch}")
        zz = {l["layer"]: l for l in p["layers"]} if p else {}
        net = load_network("alexnet", batch)
        tot = [0.0, 0.0, 0.0, 0.0, 0]
        for name in CONVS:
            wall, cpu, out = medians(["map", "alexnet", "--arch", "zigzag-like", "--dataflow", "none",
                                      "--objective", "energy", "--batch", str(batch), "--layer", name, "--json",
                                      "--quiet"], repeats)
            r, macs = out[0], net[name].macs
            z = zz.get(name, {})
            zs, ze = z.get("wall_s", float("nan")), z.get("energy_per_mac", float("nan"))
            tot[0] += zs
            tot[1] += z.get("energy", float("nan"))
            tot[2] += wall
            tot[3] += r["energy"]
            tot[4] += macs
            lines.append(f"| {batch} | {name} | {zs:.1f} | {ze:.2f} | {wall:.2f} | {cpu:.2f} | "
                         f"{r['energy'] / macs:.2f} | {zs / wall:.0f}x | {r['energy'] / macs / ze:.3f} |")
            print(lines[-1], flush=True)
        lines.append(f"| {batch} | CONV1-5 | {tot[0]:.1f} | {tot[1] / tot[4]:.2f} | {tot[2]:.2f} | | "
                     f"{tot[3] / tot[4]:.2f} | {tot[0] / tot[2]:.0f}x | {tot[3] / tot[1]:.3f} |")
        print(lines[-1], flush=True)
    return lines + ["", f"Load at the end: {stamp()}."]


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
    ap.add_argument("--write", action="store_true", help="replace BENCHMARKS.md's Mapper section")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--peers", choices=["cached", "run"], default="cached",
                    help="nn-dataflow: read benchmarks/peers/nnd-*.json (default) or run it, alternating with ours")
    ap.add_argument("--parts", type=int, nargs="+", default=[1, 2, 3, 4])
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    head = (f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}; "
            f"started {stamp()}.")
    print(head)
    sections = {
        1: ("### Beside Timeloop: AlexNet CONV1-5 ungrouped, batch 1, `timeloop-eyeriss-like`, RS, delay then "
            "energy", lambda: part1(args.repeats)),
        2: ("### Beside nn-dataflow: whole networks (CONV and FC mapped), RS, energy",
            lambda: part2(args.repeats, args.peers == "run")),
        3: ("### Beside ZigZag: AlexNet CONV1-5 (grouped), `zigzag-like`, any dataflow, energy",
            lambda: part3(args.repeats)),
        4: ("### Evaluator throughput: AlexNet CONV3 at batch 4 on `eyeriss`, RS, random legal candidates "
            "(in one process)", part4),
    }
    text = ["## Mapper", "", "`benchmarks/bench_mapper.py`. " + head + " Every time is a whole process on each "
            "side (interpreter start and imports included), as a user runs the tools; medians; CPU seconds beside "
            "wall seconds.", ""]
    for k in args.parts:
        title, fn = sections[k]
        print(title, flush=True)
        text += [title, "", *fn(), ""]
    if args.write:
        path = ROOT / "BENCHMARKS.md"
        old = path.read_text() if path.exists() else "# Benchmarks\n"
        kept = re.search(rf"{re.escape(KEPT)}.*?(?=\n## |\n### |\nWhat the figures mean|\Z)", old, flags=re.S)
        body = "\n".join(text) + "\n" + (kept.group(0).rstrip() + "\n\n" if kept else "") + \
            "What the figures mean, and where targets are not met: docs/mapper.md.\n"
        if "## Mapper\n" in old:
            old = re.sub(r"## Mapper\n.*?(?=\n## |\Z)", lambda _: body, old, flags=re.S)
        else:
            old = old.rstrip() + "\n\n" + body
        path.write_text(old)


if __name__ == "__main__":
    main()
