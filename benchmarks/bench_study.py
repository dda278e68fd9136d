"""Study throughput: design points per second for a grid over AlexNet (not part of the test suite).

Each design point is the whole of AlexNet (CONV1-5 and FC6-8, batch 1) mapped by the mapper for least energy under
RS and evaluated by the model, on an Eyeriss variant (global buffer size x PE array shape). Every run is a fresh
``stationary study run`` process (so no run inherits another's remembered searches), timed from its own summary:

1. the same 8-point grid on one core (``--jobs 1``), on two (``--jobs 2``) and on a Dask LocalCluster with two
   single-threaded workers (``--dask local --jobs 2``; its start-up is inside the time);
2. how a study's time grows with its points: 2, 4, 8 and 16 points drawn from a 32-point grid (one core);
3. what remembering searches across design points saves: AlexNet grouped and ungrouped (CONV1, CONV3 and FC6-8
   are equal in both) on one arch as one two-point study (one process: the second point reuses five layers), against
   the same two points as two one-point studies (two processes: nothing to reuse).

    .venv/bin/python benchmarks/bench_study.py [--quick] [--only reuse]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GRID = """study: bench-{name}
fixed: {{network: alexnet, arch: eyeriss, dataflow: rs, objective: energy, batch: 1}}
axes:
  levels.GLB.size_kb: {glb}
  pe_array: {pes}
{sample}"""


def study_file(folder: str, name: str, glb, pes, sample: str = "") -> str:
    path = os.path.join(folder, f"{name}.yaml")
    with open(path, "w") as fh:
        fh.write(GRID.format(name=name, glb=glb, pes=pes, sample=sample))
    return path


def run(study: str, out: str, *extra: str) -> dict:
    """One fresh ``study run``: its summary, plus the CPU seconds it and its workers used and the load average
    (on a shared machine wall time measures the neighbours too; CPU time per point does not)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-m", "stationary.cli", "study", "run", study, "--out", out, "--json",
                           "--quiet", *extra], env=env, capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    facts = json.loads(done.stdout)
    facts["cpu_s"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    facts["load"] = os.getloadavg()[0]
    return facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 points and scaling up to 4 (a smoke run)")
    parser.add_argument("--only", choices=("reuse",), help="run one section")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-study-")
    if args.only == "reuse":
        reuse(folder)
        return
    glb = [54, 108] if args.quick else [54, 108, 216, 432]
    grid = study_file(folder, "grid", glb, [[12, 14], [16, 16]])
    rows = []
    for label, extra in [("1 process (--jobs 1)", ("--jobs", "1")), ("2 processes (--jobs 2)", ("--jobs", "2")),
                         ("Dask LocalCluster, 2 workers (--dask local --jobs 2)", ("--dask", "local", "--jobs", "2"))]:
        facts = run(grid, os.path.join(folder, f"{len(rows)}.sqlite"), *extra)
        rows.append((label, facts))
        print(f"{label}: {facts['evaluated']} points, {facts['seconds']:.1f} s, {facts['points_per_s']:.3f} points/s",
              file=sys.stderr)
    scaling = []
    for n in ([2, 4] if args.quick else [2, 4, 8, 16]):
        path = study_file(folder, f"n{n}", [27, 54, 108, 216, 432, 864, 1728, 3456],
                          [[12, 14], [16, 16], [14, 12], [8, 16]], f"sample: {{method: random, points: {n}, seed: 1}}\n")
        facts = run(path, os.path.join(folder, f"n{n}.sqlite"), "--jobs", "1")
        scaling.append((n, facts))
        print(f"{n} points: {facts['seconds']:.1f} s", file=sys.stderr)
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print()
    print("| executor | points | wall s | points/s (wall) | CPU s per point | load average |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, f in rows:
        print(f"| {label} | {f['evaluated']} | {f['seconds']:.1f} | {f['points_per_s']:.3f} | "
              f"{f['cpu_s'] / f['evaluated']:.2f} | {f['load']:.1f} |")
    print()
    print("| points (one core) | wall s | wall s per point | CPU s | CPU s per point | load average |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n, f in scaling:
        print(f"| {n} | {f['seconds']:.1f} | {f['seconds'] / n:.2f} | {f['cpu_s']:.1f} | {f['cpu_s'] / n:.2f} | "
              f"{f['load']:.1f} |")


def reuse(folder: str) -> None:
    def study(name: str, networks: list[str]) -> str:
        path = os.path.join(folder, f"{name}.yaml")
        with open(path, "w") as fh:
            fh.write(f"study: {name}\nfixed: {{arch: eyeriss, dataflow: rs, objective: energy}}\n"
                     f"axes: {{network: {networks}}}\n")
        return path
    both = run(study("both", ["alexnet", "alexnet-ungrouped"]), os.path.join(folder, "both.sqlite"), "--jobs", "1")
    apart = [run(study(f"one{i}", [n]), os.path.join(folder, f"one{i}.sqlite"), "--jobs", "1")
             for i, n in enumerate(["alexnet", "alexnet-ungrouped"])]
    cpu_apart = sum(f["cpu_s"] for f in apart)
    sys.path.insert(0, str(ROOT / "src"))
    from stationary.study.store import Store
    reused = sum(r["run"]["layers_reused"] for r in Store.open(both["store"]).results())
    print("| AlexNet grouped + ungrouped, eyeriss, RS | CPU s | layers reused | load average |")
    print("|---|---:|---:|---:|")
    print(f"| two one-point studies (nothing to reuse) | {cpu_apart:.1f} | 0 | {apart[-1]['load']:.1f} |")
    print(f"| one two-point study (searches remembered) | {both['cpu_s']:.1f} | {reused} | {both['load']:.1f} |")


if __name__ == "__main__":
    main()
