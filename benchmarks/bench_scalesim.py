"""SCALE-Sim 3.0.0 beside stationary.sim on AlexNet CONV1-5 (not part of the test suite).

SCALE-Sim (PyPI `scalesim`, installed by benchmarks/setup_peers.sh in benchmarks/.peers/scalesim with numpy<2.4)
ships no configs or topologies in its wheel, so this script writes them: its Eyeriss-like setup (12 x 14 systolic
array, three 36 kB SRAMs, weight stationary, with the `[layout]` section 3.0.0 requires) and AlexNet CONV1-5 as
its topology CSV describes it (ungrouped, the input size the zoo's layer reads, batch 1), generated from the zoo.
It reports wall time, peak memory and SCALE-Sim's total cycles; our simulator's figures are in the Simulator table.

    .venv/bin/python benchmarks/bench_scalesim.py [--layers CONV1 ...]
"""
from __future__ import annotations

import argparse
import re
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--layers", nargs="+", default=["CONV1", "CONV2", "CONV3", "CONV4", "CONV5"])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "eyeriss.cfg").write_text(CONFIG)
        (tmp / "alexnet.csv").write_text(topology(args.layers))
        # 3.0.0 insists on a layout file even with custom layouts off; it only parses it: reuse the topology rows
        (tmp / "layout.csv").write_text(topology(args.layers))
        cmd = ["/usr/bin/time", "-v", str(PY), "-m", "scalesim.scale", "-c", str(tmp / "eyeriss.cfg"),
               "-t", str(tmp / "alexnet.csv"), "-l", str(tmp / "layout.csv"), "-p", str(tmp / "out"), "-s", "N"]
        t0 = time.perf_counter()
        run = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp)
        wall = time.perf_counter() - t0
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
        cycles = [int(c) for c in re.findall(r"Total cycles: (\d+)", run.stdout)]
        print(run.stdout[-1500:], run.stderr[-800:] if run.returncode else "")
        print(f"SCALE-Sim: {wall:.1f} s wall, peak RSS {int(peak.group(1)) / 1024:.0f} MB, cycles per layer "
              f"{cycles}, total {sum(cycles):,} (exit {run.returncode})")


if __name__ == "__main__":
    main()
