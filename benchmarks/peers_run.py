"""Run the mapper's peers (nn-dataflow 2.1, ZigZag 3.9.1) and cache their measured results as JSON.

Each peer runs in its own virtual environment under benchmarks/.peers/ (benchmarks/setup_peers.sh installs them),
one process at a time, timed with ``/usr/bin/time -v`` (wall time, peak RSS). Their energy comes from their own
output: nn-dataflow's JSON (whole network, towers and pooling included) and ZigZag's cost model evaluations (the
zoo's AlexNet CONV1-5, one ZigZag process per layer, inputs in benchmarks/peers/zigzag/). One JSON per run lands in
benchmarks/peers/ (e.g. nnd-alexnet-b4.json); bench_mapper.py reads them. Units are the peers' own, which here are
normalized so a MAC costs 1, so energy per MAC compares directly with stationary's ``eyeriss`` preset.
See docs/peers.md.

    .venv/bin/python benchmarks/peers_run.py [--only nnd|zigzag] [--batch N] [--lpf 6]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import yaml

from stationary.workload import load_network

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks/peers"
NND = ROOT / "benchmarks/.peers/nnd/bin/nn_dataflow_search"
NND_PY = ROOT / "benchmarks/.peers/nnd/bin/python"
ZZ_PY = ROOT / "benchmarks/.peers/zigzag/bin/python"
LAST_CPU_S = float("nan")
NND_RUNS = [("alex_net", "alexnet", 4), ("alex_net", "alexnet", 16), ("resnet50", "resnet50", 4)]
ZZ_RUNS = [("alexnet", 1), ("alexnet", 16)]
NND_ARGS = ["--word", "16", "--nodes", "1", "1", "--array", "12", "14", "--regf", "512", "--gbuf", "110592",
            "-p", "1", "-g", "e"]  # costs at its defaults: MAC 1, DRAM 200, buffer 6, array 2, RF 1
NND_KINDS = """import json, sys
from nn_dataflow.nns import import_network
net = import_network(sys.argv[1])
print(json.dumps({name: type(net[name]).__name__ for name in net}))"""
ZZ_LAYER = """import json, sys, tempfile, yaml
from zigzag.api import get_hardware_performance_zigzag
workload, accelerator, mapping, name, lpf = sys.argv[1:]
layers = [dict(layer, id=0) for layer in yaml.safe_load(open(workload)) if layer["name"] == name]
with tempfile.TemporaryDirectory() as tmp:
    energy, latency, cmes = get_hardware_performance_zigzag(layers, accelerator, mapping, opt="energy",
        dump_folder=tmp, lpf_limit=int(lpf), loma_show_progress_bar=False)
cme = cmes[0][1][0][0]
print("RESULT " + json.dumps({"energy": energy, "cycles": latency, "macs": cme.layer.total_mac_count,
    "mac_energy": cme.mac_energy, "mem_energy": cme.mem_energy, "utilization": cme.mac_utilization2,
    "spatial_mapping": str(cme.spatial_mapping), "temporal_mapping": str(cme.temporal_mapping)}))"""


def measure(cmd: list[str]) -> tuple[str, float, float]:
    """Run a peer command; its stdout, wall seconds and peak RSS in MB (of the process or its largest child).
    ``LAST_CPU_S`` then holds its CPU seconds (user + system, children included)."""
    global LAST_CPU_S
    with tempfile.NamedTemporaryFile("r") as tv:
        timed = ["/usr/bin/time", "-v", "-o", tv.name, *cmd] if os.path.exists("/usr/bin/time") else cmd
        t0 = time.perf_counter()
        run = subprocess.run(timed, capture_output=True, text=True, cwd=OUT)
        wall = time.perf_counter() - t0
        if run.returncode:
            raise SystemExit(f"{cmd[0]} failed ({run.returncode}):\n{run.stderr[-3000:]}")
        report = tv.read()
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
        cpu = [float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", report)]
        LAST_CPU_S = sum(cpu) if cpu else float("nan")
    kb = int(peak.group(1)) if peak else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return run.stdout, wall, kb / 1024


def record(tool: str, version: str, command: str, network: str, batch: int, layers: list[dict], **extra) -> dict:
    return {"tool": tool, "version": version, "command": command, "network": network, "batch": batch, **extra,
            "layers": layers, "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "machine": {"platform": platform.platform(), "python": platform.python_version(),
                        "cpu_count": os.cpu_count()}}


def per_mac(layers: list[dict], kinds: set[str]) -> dict:
    chosen = [l for l in layers if l["kind"] in kinds]
    energy, macs = sum(l["energy"] for l in chosen), sum(l["macs"] for l in chosen)
    return {"energy": energy, "macs": macs, "energy_per_mac": energy / macs if macs else None}


def zoo_name(net: str, layer: str) -> str | None:
    """nn-dataflow's AlexNet layer as the zoo names it: its two towers (conv1_a, conv1_b) make one grouped CONV1."""
    if net != "alex_net":
        return None
    m = re.fullmatch(r"conv(\d)_[ab]|fc(\d)", layer)
    return None if not m else f"CONV{m.group(1)}" if m.group(1) else f"FC{int(m.group(2)) + 5}"


def run_nnd(net: str, tag: str, batch: int) -> dict:
    kinds = json.loads(subprocess.run([str(NND_PY), "-c", NND_KINDS, net], capture_output=True, text=True,
                                      check=True).stdout)
    cmd = [str(NND), net, "--batch", str(batch), *NND_ARGS]
    out, wall, peak = measure(cmd)
    res = json.loads(out)
    kind = {"ConvLayer": "conv", "FCLayer": "fc", "PoolingLayer": "pool", "EltwiseLayer": "eltwise"}
    layers = []
    for name, (sched, *_) in res["schedules"].items():
        macs = round(sched["ops"]) if kinds[name] in ("ConvLayer", "FCLayer") else 0
        layers.append({"layer": name, "zoo_layer": zoo_name(net, name), "kind": kind.get(kinds[name], kinds[name]),
                       "macs": macs, "ops": sched["ops"], "energy": sched["cost"],
                       "energy_per_mac": sched["cost"] / macs if macs else None, "cycles": sched["time"]})
    zoo: dict[str, dict] = {}
    for l in layers:
        if l["zoo_layer"]:
            z = zoo.setdefault(l["zoo_layer"], {"layer": l["zoo_layer"], "macs": 0, "energy": 0.0, "cycles": 0})
            z.update(macs=z["macs"] + l["macs"], energy=z["energy"] + l["energy"], cycles=z["cycles"] + l["cycles"])
    for z in zoo.values():
        z["energy_per_mac"] = z["energy"] / z["macs"]
    conv, fc = per_mac(layers, {"conv"}), per_mac(layers, {"fc"})
    return record("nn-dataflow", "2.1", " ".join(["nn_dataflow_search", *cmd[1:]]), tag, batch, layers,
                  wall_s=round(wall, 2), cpu_s=round(LAST_CPU_S, 2), peak_rss_mb=round(peak, 1),
                  load_average=[round(x, 2) for x in os.getloadavg()], total_energy=res["total_cost"],
                  energy_per_mac=res["total_cost"] / (conv["macs"] + fc["macs"]), conv=conv, fc=fc,
                  cycles=res["total_time"], cost=res["cost"], by_zoo_layer=list(zoo.values()) or None,
                  notes="Whole network searched (CONV, FC, pooling, eltwise; layers run one after another, "
                        "-p 1 so one process). Units: MAC = 1, per word DRAM 200, buffer 6, array 2, RF 1 "
                        "(--regf/--gbuf in bytes, 16-bit words). energy_per_mac is the total (pooling/eltwise "
                        "included) over CONV+FC MACs; conv/fc give each kind alone. cycles are its 'time'.")


def zigzag_workload(batch: int) -> Path:
    """The zoo's AlexNet CONV1-5 (grouped, padded as the zoo pads) as a ZigZag workload YAML, 16-bit everywhere."""
    rows = []
    for i, l in enumerate(l for l in load_network("alexnet", batch) if l.name.startswith("CONV")):
        rows.append({"id": i, "name": l.name, "operator_type": "Conv",
                     "equation": "O[b][g][k][oy][ox]+=W[g][k][c][fy][fx]*I[b][g][c][iy][ix]",
                     "dimension_relations": [f"ix={l.U}*ox+1*fx", f"iy={l.U}*oy+1*fy"],
                     "loop_dims": ["B", "K", "G", "OX", "OY", "C", "FX", "FY"],
                     "loop_sizes": [l.N, l.M_per_group, l.G, l.F, l.E, l.C, l.S, l.R],
                     "operand_precision": {"W": 16, "I": 16, "O": 16, "O_final": 16},
                     "pr_loop_dims": ["IX", "IY"], "pr_loop_sizes": [l.W, l.H],
                     "padding": [[l.pad_w // 2, l.pad_w - l.pad_w // 2], [l.pad_h // 2, l.pad_h - l.pad_h // 2]]})
    path = OUT / f"zigzag/alexnet-b{batch}.yaml"
    path.write_text(f"# The zoo's alexnet CONV1-5 at batch {batch}, written by benchmarks/peers_run.py\n"
                    + yaml.safe_dump(rows, sort_keys=False, default_flow_style=None))
    return path


def run_zigzag(net: str, batch: int, lpf: int) -> dict:
    workload, hw, mapping = zigzag_workload(batch), OUT / "zigzag/eyeriss_like.yaml", OUT / "zigzag/mapping.yaml"
    layers, wall, peak = [], 0.0, 0.0
    for row in yaml.safe_load(workload.read_text()):
        out, secs, mb = measure([str(ZZ_PY), "-c", ZZ_LAYER, str(workload), str(hw), str(mapping), row["name"],
                                 str(lpf)])
        r = json.loads(out.split("RESULT ", 1)[1])
        layers.append({"layer": row["name"], "kind": "conv", "macs": r["macs"], "energy": r["energy"],
                       "energy_per_mac": r["energy"] / r["macs"], "cycles": r["cycles"], "wall_s": round(secs, 2),
                       "peak_rss_mb": round(mb, 1), **{k: r[k] for k in ("mac_energy", "mem_energy", "utilization",
                                                                          "spatial_mapping", "temporal_mapping")}})
        wall, peak = wall + secs, max(peak, mb)
        print(f"  zigzag {row['name']} b{batch}: {secs:.0f} s, {r['energy'] / r['macs']:.2f} per MAC", flush=True)
    conv = per_mac(layers, {"conv"})
    paths = ", ".join(str(p.relative_to(ROOT)) for p in (workload, hw, mapping))
    return record("zigzag", "3.9.1", f"get_hardware_performance_zigzag({paths}, opt='energy', lpf_limit={lpf}), "
                  "one process per layer", net, batch, layers,
                  wall_s=round(wall, 2), peak_rss_mb=round(peak, 1), total_energy=conv["energy"],
                  energy_per_mac=conv["energy_per_mac"], conv=conv, cycles=sum(l["cycles"] for l in layers),
                  notes=f"AlexNet CONV1-5 only (the zoo's grouped layers). LOMA temporal search, lpf_limit {lpf}; "
                        "spatial mappings generated by ZigZag (3 candidates per layer). Units per 16-bit word: "
                        "MAC 1, RF 1, buffer 6, DRAM 200; no array/NoC cost (ZigZag has none). cycles are its "
                        "latency_total2. wall_s sums the per-layer processes (each pays ~2 s of imports).")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=["nnd", "zigzag"])
    ap.add_argument("--batch", type=int, help="only the runs at this batch size")
    ap.add_argument("--lpf", type=int, default=6, help="ZigZag's LOMA lpf_limit (its default, 6)")
    args = ap.parse_args()
    jobs = [] if args.only == "zigzag" else [(f"nnd-{t}-b{b}", run_nnd, (n, t, b), b) for n, t, b in NND_RUNS]
    if args.only != "nnd":
        jobs += [(f"zigzag-{n}-b{b}", run_zigzag, (n, b, args.lpf), b) for n, b in ZZ_RUNS]
    for name, fn, fargs, batch in jobs:
        if args.batch is None or batch == args.batch:
            print(f"{name} ...", flush=True)
            res = fn(*fargs)
            (OUT / f"{name}.json").write_text(json.dumps(res, indent=1) + "\n")
            print(f"{name}: {res['wall_s']:.1f} s, {res['peak_rss_mb']:.0f} MB, per MAC {res['energy_per_mac']:.3f} "
                  f"(CONV {res['conv']['energy_per_mac']:.3f}) -> benchmarks/peers/{name}.json", flush=True)


if __name__ == "__main__":
    main()
