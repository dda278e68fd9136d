"""SCALE-Sim 3.0.0 beside stationary.sim on AlexNet CONV1-5 (not part of the test suite).

SCALE-Sim (PyPI `scalesim`, installed by benchmarks/setup_peers.sh in benchmarks/.peers/scalesim with numpy<2.4)
ships no configs or topologies in its wheel, so this script writes them: its Eyeriss-like setup (12 x 14 systolic
array, three 36 kB SRAMs, weight stationary, with the `[layout]` section 3.0.0 requires) and AlexNet CONV1-5 as
its topology CSV describes it (ungrouped, the input size the zoo's layer reads, batch 1), generated from the zoo.
It reports wall time, CPU time, peak memory and SCALE-Sim's total cycles; our simulator's figures are in the
Simulator table.

SCALE-Sim is driven through its Python API (``scalesim.scale_sim.scalesim(save_disk_space=True, ...)``, then
``run_scale``), not its ``scale.py``: 3.0.0's ``scale.py`` reads ``-s N`` but always passes
``save_disk_space=False``, so it writes its cycle-by-cycle traces (about 0.5 GB per layer) whatever ``-s`` says.
``--traces`` turns them on again (``save_disk_space=False``), to measure what writing them costs.

    .venv/bin/python benchmarks/bench_scalesim.py [--layers CONV1 ...] [--traces] [--cache]

``--cache`` writes the result to benchmarks/peers/scalesim-alexnet-<layers>[-traces].json, which
benchmarks/bench_sim.py puts beside our simulator in BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import resource
import subprocess
import tempfile
import time
from pathlib import Path

from stationary.workload import load_network

ROOT = Path(__file__).resolve().parents[1]
PY = ROOT / "benchmarks/.peers/scalesim/bin/python"
CONFIG = """[general]
run_name = eyeriss_like

[architecture_presets]
ArrayHeight: 12
ArrayWidth: 14
IfmapSramSzkB: 36
FilterSramSzkB: 36
OfmapSramSzkB: 36
IfmapOffset: 0
FilterOffset: 10000000
OfmapOffset: 20000000
Bandwidth: 10
Dataflow: ws
ReadRequestBuffer: 32
WriteRequestBuffer: 32

[layout]
IfmapCustomLayout: False
FilterCustomLayout: False
IfmapSRAMBankBandwidth: 10
IfmapSRAMBankNum: 10
IfmapSRAMBankPort: 2
FilterSRAMBankBandwidth: 10
FilterSRAMBankNum: 10
FilterSRAMBankPort: 2

[sparsity]
SparsitySupport: false
SparseRep: ellpack_block
OptimizedMapping: false
BlockSize: 8
RandomNumberGeneratorSeed: 40

[run_presets]
InterfaceBandwidth: CALC
UseRamulatorTrace: False
"""


def topology(names) -> str:
    net = load_network("alexnet-ungrouped", 1)
    rows = ["Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,"]
    for name in names:
        l = net[name]
        rows.append(f"{l.name}, {l.H_padded}, {l.W_padded}, {l.R}, {l.S}, {l.C}, {l.M}, {l.U},")
    return "\n".join(rows) + "\n"


DRIVER = """import sys
from scalesim.scale_sim import scalesim
config, topology, layout, out, traces = sys.argv[1:]
sim = scalesim(save_disk_space=traces != "Y", verbose=True, config=config, topology=topology, layout=layout,
               input_type_gemm=False)
sim.run_scale(top_path=out)   # (its get_total_cycles() fails in 3.0.0: the per-layer figures are printed)
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--layers", nargs="+", default=["CONV1", "CONV2", "CONV3", "CONV4", "CONV5"])
    ap.add_argument("--traces", action="store_true", help="let SCALE-Sim write its traces (as scale.py always does)")
    ap.add_argument("--cache", action="store_true", help="also write the JSON to benchmarks/peers/")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "eyeriss.cfg").write_text(CONFIG)
        (tmp / "alexnet.csv").write_text(topology(args.layers))
        # 3.0.0 insists on a layout file even with custom layouts off; it only parses it: reuse the topology rows
        (tmp / "layout.csv").write_text(topology(args.layers))
        (tmp / "drive.py").write_text(DRIVER)
        cmd = ["nice", "-n", "10", "/usr/bin/time", "-v", str(PY), str(tmp / "drive.py"), str(tmp / "eyeriss.cfg"),
               str(tmp / "alexnet.csv"), str(tmp / "layout.csv"), str(tmp / "out"), "Y" if args.traces else "N"]
        load = os.getloadavg()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        run = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        trace_mb = sum(f.stat().st_size for f in (tmp / "out").rglob("*") if f.is_file()) / 2 ** 20 \
            if (tmp / "out").exists() else 0.0
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
        cycles = [int(c) for c in re.findall(r"Total cycles: (\d+)", run.stdout)]
        if run.returncode:
            print(run.stdout[-1500:], run.stderr.split("\tCommand being timed")[0][-1500:])
        record = {
            "tool": "SCALE-Sim 3.0.0 (Python API)", "layers": args.layers, "traces": args.traces,
            "command": " ".join(["benchmarks/bench_scalesim.py", "--layers", *args.layers]
                                + (["--traces"] if args.traces else [])),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "loadavg_at_start": [round(x, 2) for x in load], "wall_s": round(wall, 1),
            "cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
            "peak_rss_mb": round(int(peak.group(1)) / 1024) if peak else None, "output_mb": round(trace_mb, 1),
            "cycles": dict(zip(args.layers, cycles)), "exit": run.returncode,
            "macs": sum(layer.macs for layer in load_network("alexnet-ungrouped", 1) if layer.name in args.layers)}
        print(json.dumps(record, indent=1))
        if args.cache:
            name = "-".join(layer.lower() for layer in args.layers) + ("-traces" if args.traces else "")
            (ROOT / "benchmarks" / "peers" / f"scalesim-alexnet-{name}.json").write_text(
                json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    main()
