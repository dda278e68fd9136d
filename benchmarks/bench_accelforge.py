"""Our mapper beside AccelForge 1.0.467's on its own Eyeriss example (not part of the test suite).

Both search the same design: AccelForge its ``examples/arches/eyeriss.yaml``, ours that file written as one of our
arch files (the preset ``accelforge-eyeriss``: src/stationary/data/arch/accelforge-eyeriss.yaml, its 65 nm energies
per action). One AlexNet layer, ungrouped,
batch 1, energy objective. Three of our spaces, each timed as a whole process (interpreter start and imports
included, median of ``--repeats``, wall and CPU seconds), as AccelForge is:

* ``accelforge``: its spatial constraints, through our dataflow mechanism (a ``Constraints`` value): only E, F, N
  on the 14-wide X axis (its reuse_weight), only C, R, S on the 12-wide Y axis (its reuse_output). What differs:
  its min_usage 1 (the fullest array use) has no counterpart in ours, our scratchpads may be bypassed (its must
  keep their tensor), and our arrays multicast inputs along either axis (its reuse constraints also make it
  unicast inputs, and weights on the 12-wide axis). Run through ``stationary.search.search`` (the CLI has no
  custom constraints).
* ``rs``: ``stationary map --dataflow rs`` (the Eyeriss row-stationary dataflow).
* ``none``: ``stationary map --dataflow none`` (every mapping of the arch).

Its chosen mapping is also evaluated in our model (benchmarks/accelforge_convert.py), energy per level and tensor
beside its own, its leakage apart (our model has none).

    benchmarks/.peers/accelforge/bin/python ... (see ``peer``: the command it prints) # 700-1,650 CPU s per layer
    .venv/bin/python benchmarks/bench_accelforge.py peer --layer CONV1 [--unconstrained]   # runs it, caches JSON
    .venv/bin/python benchmarks/bench_accelforge.py report [--layer CONV1] [--repeats 3] [--write]
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
PEERS = ROOT / "benchmarks" / "peers"
ARCH = "accelforge-eyeriss"   # the preset (src/stationary/data/arch/accelforge-eyeriss.yaml)
PEER_PY = ROOT / "benchmarks" / ".peers" / "accelforge" / "bin" / "python"
LEVELS = ("MainMemory", "GlobalBuffer", "InputScratchpad", "WeightScratchpad", "OutputScratchpad")
KEEPS = {"MainMemory": ["I", "W", "O"], "GlobalBuffer": ["I", "W", "O"], "InputScratchpad": ["I"],
         "WeightScratchpad": ["W"], "OutputScratchpad": ["O"]}
AXES = {"reuse_weight": "X", "reuse_output": "Y"}
BITS_PER_ACTION = {"GlobalBuffer": 64}  # its file's; LPDDR4, scratchpads and the MAC count 1-bit actions


def layer_of(name: str, batch: int = 1):
    from stationary.workload import load_network
    layer = load_network("alexnet", batch)[name]
    return dataclasses.replace(layer, G=1, C=layer.C * layer.G) if layer.G > 1 else layer


def cache_path(name: str, batch: int, unconstrained: bool) -> Path:
    return PEERS / f"accelforge-alexnet-{name.lower()}-b{batch}{'-free' if unconstrained else ''}.json"


def peer_command(layer, out: Path, unconstrained: bool) -> list[str]:
    shape = [layer.M, layer.C, layer.R, layer.S, layer.E, layer.F, layer.N, layer.U]
    return ["nice", "-n", "10", str(PEER_PY), str(ROOT / "benchmarks" / "accelforge_peer.py"), "--shape",
            *map(str, shape), "--label", f"AlexNet {layer.name} batch {layer.N}", "--out", str(out),
            "--pickle", str(ROOT / "benchmarks" / ".peers" / "accelforge-results" / out.with_suffix(".pkl").name),
            *(["--unconstrained"] if unconstrained else [])]


class CustomSpace:
    """A dataflow-like value for ``search``: AccelForge's per-axis spatial rules as our ``Constraints``."""
    label = "AccelForge eyeriss.yaml spatial rules"

    @property
    def constraints(self):
        from stationary.core import Dim
        from stationary.mapping.dataflows import Constraints
        return Constraints(rf_temporal=frozenset(Dim), rf_bypass=frozenset(),
                           spatial_x=frozenset({Dim.E, Dim.F, Dim.N, Dim.G}),
                           spatial_y=frozenset({Dim.C, Dim.R, Dim.S, Dim.G}))


def ours(name: str, batch: int) -> dict:
    """Our search in this process under AccelForge's spatial rules (timed from outside as a whole process)."""
    from stationary.arch import load_arch
    from stationary.mapping import mapping_to_yaml
    from stationary.search import Objective
    from stationary.search.guarantee import search_contained
    arch, layer = load_arch(ARCH), layer_of(name, batch)
    r = search_contained(layer, arch, CustomSpace(), Objective.ENERGY)   # as `stationary map` runs its search
    return {"energy_pj": r.best.energy.total, "cycles": r.best.latency.cycles, "seconds": r.seconds,
            "mapping": mapping_to_yaml(r.best.mapping, arch)}


def timed(cmd: list[str], repeats: int) -> tuple[float, float, dict]:
    """Median wall and CPU seconds of ``cmd`` as a whole process, and its last JSON output."""
    walls, cpus, out = [], [], None
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        out = json.loads(done.stdout)
    return statistics.median(walls), statistics.median(cpus), out


def network_file(layer, tmp: str) -> str:
    from stationary.workload.files import dump_network_yaml
    from stationary.workload.network import Network
    path = os.path.join(tmp, "layer.yaml")
    dump_network_yaml(Network("alexnet-ungrouped", (layer,)), path)
    return path


def as_accelforge(mapping, arch, layer) -> str:
    """Our mapping as AccelForge mapping YAML (benchmarks/accelforge_convert.py), for its model to price."""
    from accelforge_convert import RANKS, TENSORS, accelforge_mapping_yaml
    rank = {dim: r for r, dim in RANKS.items()}
    letter = {name: t for t, name in TENSORS.items()}
    levels = []
    for spec, lm in zip(arch.levels, mapping.levels):
        if any(not loop.perfect for loop in lm.loops):
            raise ValueError("a loop with a remainder: AccelForge's eyeriss example takes exact factors")
        levels.append({"name": spec.name, "keeps": sorted(letter[t.value] for t in spec.keeps - lm.bypass),
                       "temporal": [(rank[l.dim.name], l.bound) for l in lm.temporal],
                       "spatial": [(rank[l.dim.name], l.bound, l.axis.value) for l in lm.spatial]})
    shape = {"p": layer.E, "q": layer.F, "m": layer.M, "c": layer.C, "r": layer.R, "s": layer.S, "n": layer.N}
    return accelforge_mapping_yaml(levels, shape, {k: k for k in LEVELS}, {v: k for k, v in AXES.items()})


def price(name: str) -> dict:
    """Our best mappings (its spatial rules, rs, any) priced by AccelForge's own model (its venv, one process
    each), beside our model's figure; cached as JSON."""
    from stationary.arch import load_arch
    from stationary.mapping import Dataflow
    from stationary.search import Objective
    from stationary.search.guarantee import search_contained
    arch, layer = load_arch(ARCH), layer_of(name)
    out = {"layer": name, "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "note": "our mapper's best mapping per space, priced by AccelForge 1.0.467's model "
                   "(Spec.evaluate_mapping on its examples/arches/eyeriss.yaml: its energies, leakage, unicast)",
           "spaces": {}}
    for space, dataflow in (("its spatial rules", CustomSpace()), ("rs", Dataflow.RS), ("none (any)", None)):
        best = search_contained(layer, arch, dataflow, Objective.ENERGY).best   # as `stationary map` runs it
        entry = {"ours_energy_pj": best.energy.total, "ours_cycles": best.latency.cycles}
        try:
            text = as_accelforge(best.mapping, arch, layer)
        except ValueError as err:
            entry["error"] = str(err)
            out["spaces"][space] = entry
            continue
        with tempfile.TemporaryDirectory() as tmp:
            path, res = os.path.join(tmp, "mapping.yaml"), os.path.join(tmp, "priced.json")
            Path(path).write_text(text + "\n")
            shape = [layer.M, layer.C, layer.R, layer.S, layer.E, layer.F, layer.N, layer.U]
            run = subprocess.run(["nice", "-n", "10", str(PEER_PY), str(ROOT / "benchmarks" / "accelforge_peer.py"),
                                  "--shape", *map(str, shape), "--evaluate", path, "--out", res],
                                 capture_output=True, text=True)
            if run.returncode:   # its model refuses the mapping: keep its last line of complaint
                last = [line for line in run.stderr.strip().splitlines() if line.strip()][-1:]
                entry.update(accelforge_mapping=text, accelforge_error=last[0] if last else "failed")
                out["spaces"][space] = entry
                continue
            priced = json.loads(Path(res).read_text())
        entry.update(accelforge_mapping=text, accelforge_energy_uj=priced.get("energy_uj"),
                     accelforge_cycles=priced.get("cycles"), accelforge_error=priced.get("result_error"),
                     accelforge_energy_j_by_component_tensor_action=priced.get(
                         "energy_j_by_component_tensor_action"))
        out["spaces"][space] = entry
        print(space, entry["ours_energy_pj"] / 1e6, entry.get("accelforge_energy_uj"), flush=True)
    return out


def theirs_in_ours(peer: dict, layer) -> tuple[object, str, str]:
    """Its chosen mapping evaluated by our model (physical conventions), the mapping YAML, and what our legality
    check says of it ("" when legal). Where its tiles overflow a level by our rule (a tile is the footprint of every
    loop below; AccelForge reserves less where a window slides), the counts are still ours, computed without the
    capacity check."""
    from accelforge_convert import mapping_yaml
    from stationary.arch import load_arch
    from stationary.core import StationaryError
    from stationary.mapping import check, load_mapping_yaml
    from stationary.model import evaluate
    arch = load_arch(ARCH)
    shape = {"p": layer.E, "q": layer.F, "m": layer.M, "c": layer.C, "r": layer.R, "s": layer.S, "n": layer.N}
    text = mapping_yaml(peer["mapping_nodes"], shape, {k: k for k in LEVELS}, AXES, KEEPS, uneven="deepest")
    mapping = load_mapping_yaml(text, arch)
    try:
        check(layer, arch, mapping)
        verdict = ""
    except StationaryError as err:
        verdict = str(err)
    return evaluate(layer, arch, mapping, validate=False), text, verdict


def their_energy_pj(peer: dict) -> tuple[dict, float]:
    """Its energy per (component, tensor) in pJ, and its leakage in pJ."""
    per, leak = {}, 0.0
    for key, joules in peer["energy_j_by_component_tensor_action"].items():
        comp, tensor, action = key.split("/")
        if action == "leak":
            leak += joules * 1e12
        else:
            per[(comp, tensor)] = per.get((comp, tensor), 0.0) + joules * 1e12
    return per, leak


def their_words(peer: dict) -> dict:
    """Its actions per (component, tensor, action) as 16-bit words."""
    from accelforge_convert import words
    return {tuple(k.split("/")): words(v, BITS_PER_ACTION.get(k.split("/")[0], 1), peer["bits_per_value"])
            for k, v in peer["actions_by_component_tensor_action"].items() if v}


def report(names: list[str], repeats: int) -> list[str]:
    load0 = os.getloadavg()
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; {when}; "
             f"load average {load0[0]:.2f} at the start. Ours: whole processes, median of {repeats}, wall and "
             "CPU seconds; AccelForge: one run per layer, nice'd, one job (`af.set_n_parallel_jobs(1)`), cached "
             "in benchmarks/peers/accelforge-*.json with its command.", ""]
    table = ["| layer | AccelForge uJ (its leakage) | its CPU s | its wall s | its peak MB | space (ours) | ours uJ | "
             "ours wall s | ours CPU s | energy ratio (vs its uJ less leakage) | speed-up (wall) | speed-up (CPU) |",
             "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
    detail: list[str] = []
    missing = []
    for name in names:
        peer_path = cache_path(name, 1, False)
        if not peer_path.exists():
            missing.append(name)
            continue
        peer = json.loads(peer_path.read_text())
        layer = layer_of(name)
        per, leak = their_energy_pj(peer)
        their_uj, dyn_uj = peer["energy_uj"], (peer["energy_uj"] - leak / 1e6)
        with tempfile.TemporaryDirectory() as tmp:
            net = network_file(layer, tmp)
            runs = {
                "its spatial rules": [sys.executable, __file__, "ours", "--layer", name],
                "rs": [sys.executable, "-m", "stationary.cli", "map", net, "--arch", ARCH, "--dataflow",
                       "rs", "--objective", "energy", "--json", "--quiet"],
                "none (any)": [sys.executable, "-m", "stationary.cli", "map", net, "--arch", ARCH,
                               "--dataflow", "none", "--objective", "energy", "--json", "--quiet"],
            }
            for space, cmd in runs.items():
                wall, cpu, out = timed(cmd, repeats)
                out = out[0] if isinstance(out, list) else out
                uj = out["energy_pj"] / 1e6
                table.append(f"| {name} | {their_uj:.1f} ({leak / 1e6:.1f}) | {peer['cpu_s']:.0f} | "
                             f"{peer['wall_s']:.0f} | {peer['peak_rss_mb']:.0f} | {space} | {uj:.1f} | {wall:.2f} | "
                             f"{cpu:.2f} | {uj / dyn_uj:.3f} | {peer['wall_s'] / wall:,.0f}x | "
                             f"{peer['cpu_s'] / cpu:,.0f}x |")
                print(table[-1], flush=True)
        if "mapping_nodes" in peer:
            detail += two_models(peer, layer) + theirs_detail(peer, layer, per, leak)
    load1 = os.getloadavg()
    notes = ["", f"Load average at the end: {load1[0]:.2f}." + (f" AccelForge not run on {', '.join(missing)} "
             "(one layer at a time, nice'd, on a machine shared by three engineers)." if missing else ""), "",
             SPACES, ""]
    return lines + table + notes + detail


SPACES = """Spaces. AccelForge: its example's constraints (only loops weights do not depend on, p q n, on the
14-wide axis; c r s on the 12-wide one; the fullest array use; scratchpads that must keep their tensor; inputs
unicast), exact factors. Ours, on the same arch and energies (`accelforge-eyeriss`): *its spatial rules* gives our
search the same per-axis dimensions through our dataflow constraints (`Constraints(spatial_x={E, F, N},
spatial_y={C, R, S})`), but our space also holds lower array use and bypassed scratchpads, and our arrays multicast
inputs; *rs* is our row-stationary dataflow; *none* every mapping of the arch. Energy ratio: ours over its energy
less its leakage (our model has none). Speed-up: its seconds over ours, whole processes both (ours include about
0.4 s wall, 0.25 s CPU of interpreter start and imports). Each answer is also priced in both models below: the two
models count its answer alike (to 1.5 %), but its loop tree refills a PE's scratchpad on every step of the buffer's
loops above the array, which ours does not, and it sizes a strided tile by its bounding box where ours counts the
words it holds; so our answers cost more in its model, or do not fit it."""


def two_models(peer: dict, layer) -> list[str]:
    """Each answer priced by both models (the priced JSON that ``price`` caches)."""
    path = PEERS / f"accelforge-alexnet-{layer.name.lower()}-b1-ours-priced.json"
    if not path.exists():
        return []
    priced = json.loads(path.read_text())
    res, _, _ = theirs_in_ours(peer, layer)
    lines = [f"{layer.name}, each answer in both models (`bench_accelforge.py price`, {priced['date'][:10]}; "
             "AccelForge's figures include its leakage):", "",
             "| mapping | our model (uJ) | AccelForge's model (uJ) |", "|---|---:|---:|",
             f"| AccelForge's answer | {res.energy.total / 1e6:,.1f} | {peer['energy_uj']:,.1f} |"]
    for space, e in priced["spaces"].items():
        af = e.get("accelforge_energy_uj")
        lines.append(f"| ours, {space} | {e['ours_energy_pj'] / 1e6:,.1f} | "
                     f"{af:,.1f} |" if af is not None else f"| ours, {space} | {e['ours_energy_pj'] / 1e6:,.1f} | "
                     f"its model refuses it: {e.get('accelforge_error') or e.get('error')} |")
    return lines + [""]


def theirs_detail(peer: dict, layer, per: dict, leak: float) -> list[str]:
    from stationary.core import Tensor
    try:
        res, text, verdict = theirs_in_ours(peer, layer)
    except Exception as exc:  # an uneven mapping: say so rather than fail the whole report
        return [f"{layer.name}: its mapping is not expressible in our mappings ({exc}).", ""]
    letters = {Tensor.WEIGHT: "W", Tensor.IFMAP: "I", Tensor.PSUM: "O"}
    hoisted = sum(1 for n in peer["mapping_nodes"] if n["node"] == "Storage") > len(LEVELS)
    lines = [f"{layer.name}: its chosen mapping in our format" + (" (it stores one level's tensors at two loop "
             "depths; here all at the deeper one, the loops between moved up a level)" if hoisted else "") + ":",
             "", "```yaml", text, "```", ""]
    if verdict:
        lines += [f"Our legality check on it: {verdict} Its counts below are our model's without that check.", ""]
    lines += [
              "| level | tensor | AccelForge words read / written | ours reads / fills / updates / drains | "
              "AccelForge pJ | ours pJ |", "|---|---|---:|---:|---:|---:|"]
    words = their_words(peer)
    by_level = {(e.level, letters[e.tensor]): e for e in res.counts.levels}
    for (lvl, t), e in sorted(by_level.items(), key=lambda kv: (LEVELS.index(kv[0][0]), kv[0][1])):
        r, w = words.get((lvl, t, "read"), 0), words.get((lvl, t, "write"), 0)
        mine = res.energy.at(lvl, e.tensor)
        lines.append(f"| {lvl} | {t} | {r:,.0f} / {w:,.0f} | {e.reads:,} / {e.fills:,} / {e.updates:,} / "
                     f"{e.drains:,} | {per.get((lvl, t), 0):,.0f} | {mine:,.0f} |")
    lines.append(f"| MAC | - | {words.get(('MAC', 'None', 'compute'), 0) * peer['bits_per_value']:,.0f} | "
                 f"{res.counts.macs:,} | {per.get(('MAC', 'None'), 0):,.0f} | {res.energy.at('MAC', None):,.0f} |")
    lines += ["", f"MACs: its {words.get(('MAC', 'None', 'compute'), 0) * peer['bits_per_value']:,.0f}, ours "
              f"{res.counts.macs:,}. Its energy {peer['energy_uj']:.2f} uJ of which leakage {leak / 1e6:.2f} uJ; "
              f"ours on its mapping {res.energy.total / 1e6:.2f} uJ, {res.latency.cycles:,} cycles (its "
              f"{peer['cycles']:,}).", ""]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("peer", help="run AccelForge on one layer (slow) and cache its JSON")
    p.add_argument("--layer", default="CONV1")
    p.add_argument("--unconstrained", action="store_true")
    o = sub.add_parser("ours", help="our search under its spatial rules, JSON on stdout")
    o.add_argument("--layer", default="CONV1")
    pr = sub.add_parser("price", help="our best mappings priced by AccelForge's model (cached JSON)")
    pr.add_argument("--layer", default="CONV1")
    r = sub.add_parser("report")
    r.add_argument("--layer", action="append")
    r.add_argument("--repeats", type=int, default=3)
    r.add_argument("--write", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.cmd == "peer":
        layer = layer_of(args.layer)
        cmd = peer_command(layer, cache_path(args.layer, 1, args.unconstrained), args.unconstrained)
        print(" ".join(cmd), flush=True)
        subprocess.run(cmd, check=True)
    elif args.cmd == "price":
        path = PEERS / f"accelforge-alexnet-{args.layer.lower()}-b1-ours-priced.json"
        path.write_text(json.dumps(price(args.layer), indent=1) + "\n")
    elif args.cmd == "ours":
        print(json.dumps(ours(args.layer, 1)))
    else:
        text = report(args.layer or ["CONV1", "CONV2", "CONV3", "CONV4", "CONV5"], args.repeats)
        print("\n".join(text))
        if args.write:
            write_section(text)


def write_section(text: list[str]) -> None:
    path = ROOT / "BENCHMARKS.md"
    old = path.read_text()
    body = "## Mapper beside AccelForge\n\n`benchmarks/bench_accelforge.py`. " + "\n".join(text).rstrip() + "\n"
    if "## Mapper beside AccelForge" in old:
        old = re.sub(r"## Mapper beside AccelForge\n.*?(?=\n## |\Z)", lambda _: body, old, flags=re.S)
    else:
        old = re.sub(r"(?=\n## Fast convolution)", lambda _: "\n" + body, old, count=1)
    path.write_text(old)


if __name__ == "__main__":
    main()
