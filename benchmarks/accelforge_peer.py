"""AccelForge side of bench_accelforge.py: run AccelForge 1.0.467's mapper on one conv layer and print JSON.

Runs under the AccelForge venv's Python 3.12 (benchmarks/.peers/accelforge, made by setup_peers.sh); it never
imports stationary. The layer comes on the command line as our shape (M C R S P Q N stride), written out as an
AccelForge einsum the way its examples/workloads/compute_in_memory/alexnet.yaml writes AlexNet; the arch is its
examples/arches/eyeriss.yaml with its constraints (spatial reuse per axis, min_usage 1, scratchpad order), or,
with --unconstrained, the same arch with min_usage dropped and the spatial reuse constraints removed.

    benchmarks/.peers/accelforge/bin/python benchmarks/accelforge_peer.py --shape 96 3 11 11 55 55 1 4 \
        --out benchmarks/peers/accelforge-alexnet-conv1-b1.json [--bits 16] [--pickle PATH]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

WORKLOAD = """renames:
  einsums:
  - name: default
    tensor_accesses:
    - {{name: input, source: Inputs & Intermediates, expected_count: 1}}
    - {{name: output, source: Outputs, expected_count: 1}}
    - {{name: weight, source: ~(input | output), expected_count: 1}}
workload:
  bits_per_value: {{All: {bits}}}
  rank_sizes: {{N: {N}}}
  einsums:
  - einsum: "O[p, q, n, m] = I[n, c, H: p * {stride} + r, W: q * {stride} + s] * W[r, s, c, m]"
    iteration_space_shape:
    - 0 <= p < {P}
    - 0 <= q < {Q}
    - 0 <= c < {C}
    - 0 <= m < {M}
    - 0 <= r < {R}
    - 0 <= s < {S}
    renames: {{output: O, input: I, weight: W}}
"""


def _keyed(d) -> dict:
    """AccelForge's tuple-keyed result dicts as JSON objects ('component/tensor/action' keys)."""
    if not isinstance(d, dict):
        return float(d)
    return {"/".join("-" if k is None else str(k) for k in (key if isinstance(key, tuple) else (key,))): float(v)
            for key, v in d.items()}


def nodes(mapping) -> list[dict]:
    """Its mapping as plain nodes, outermost first (benchmarks/accelforge_convert.py reads them)."""
    out = []
    for node in mapping.nodes:
        kind = type(node).__name__
        if kind == "Storage":
            out.append({"node": kind, "component": node.component, "tensors": [str(t) for t in node.tensors]})
        elif kind in ("Temporal", "Spatial"):
            out.append({"node": kind, "rank": str(node.rank_variable), "tile_shape": int(node.tile_shape)})
            if kind == "Spatial":
                out[-1]["fanout"] = node.name
        elif kind == "Compute":
            out.append({"node": kind, "component": node.component})
    return out


def read_result(result, out: dict) -> None:
    """Energy, latency, per-action figures and the chosen mapping of a Mappings result into ``out``."""
    try:
        out["energy_j"] = float(result.energy())
        out["energy_uj"] = out["energy_j"] * 1e6
        out["latency_s"] = float(result.latency())
        out["cycles"] = round(out["latency_s"] * 200e6)  # its example's 200 MHz clock
        out["energy_j_by_component_tensor_action"] = _keyed(
            result.energy(per_component=True, per_tensor=True, per_action=True))
        out["actions_by_component_tensor_action"] = _keyed(result.actions(per_component=True, per_tensor=True))
        out["latency_s_by_component"] = _keyed(result.latency(per_component=True))
        out["mapping_nodes"] = nodes(result.mapping())
        out.pop("result_error", None)
    except Exception as exc:  # keep the timing even when reading its result fails (the pickle has it all)
        out["result_error"] = repr(exc)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shape", nargs=8, type=int, metavar=("M", "C", "R", "S", "P", "Q", "N", "STRIDE"))
    ap.add_argument("--bits", type=int, default=16, help="bits per value (Eyeriss: 16; the scratchpads are 16b "
                    "entries)")
    ap.add_argument("--unconstrained", action="store_true")
    ap.add_argument("--out", required=True)
    ap.add_argument("--pickle", help="also pickle the Mappings result here (to re-read without re-running)")
    ap.add_argument("--from-pickle", metavar="PKL", help="re-read a pickled result into --out's JSON (its timing "
                    "fields kept) instead of running the mapper")
    ap.add_argument("--evaluate", metavar="MAPPING_YAML", help="price this mapping (an AccelForge mapping: YAML) "
                    "with its model instead of running its mapper")
    ap.add_argument("--label", default="")
    args = ap.parse_args()
    if args.from_pickle:
        import cloudpickle
        with open(args.from_pickle, "rb") as f:
            result = cloudpickle.load(f)
        out = json.loads(Path(args.out).read_text())
        read_result(result, out)
        for stale in ("mapping", "mapping_dump_error"):   # an earlier version's text dump of the mapping
            out.pop(stale, None)
        Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
        return
    if not args.shape:
        ap.error("--shape is required")
    t_wall = time.perf_counter()

    import accelforge as af
    from accelforge.mapper import Metrics

    af.set_n_parallel_jobs(1)
    M, C, R, S, P, Q, N, stride = args.shape
    examples = Path(af.__file__).resolve().parent.parent / "examples"
    arch_path = examples / "arches" / "eyeriss.yaml"
    work = tempfile.mkdtemp(prefix="accelforge-")
    wl_path = Path(work) / "layer.yaml"
    wl_path.write_text(WORKLOAD.format(bits=args.bits, N=N, stride=stride, P=P, Q=Q, C=C, M=M, R=R, S=S))
    out_path = Path(args.out).resolve()
    evaluate_path = Path(args.evaluate).resolve() if args.evaluate else None
    os.chdir(work)  # its mapper writes mapping.svg into the working directory
    if args.evaluate:
        spec = af.Spec.from_yaml(arch_path, wl_path, evaluate_path)
        out = {"tool": "accelforge", "version": "1.0.467", "evaluated": evaluate_path.read_text(),
               "shape": dict(M=M, C=C, R=R, S=S, P=P, Q=Q, N=N, stride=stride), "bits_per_value": args.bits}
        read_result(spec.evaluate_mapping(), out)
        out_path.write_text(json.dumps(out, indent=1) + "\n")
        print(json.dumps({k: out.get(k) for k in ("energy_uj", "cycles", "result_error")}))
        return
    spec = af.Spec.from_yaml(arch_path, wl_path)
    if args.unconstrained:
        for fan in spec.arch.find("ProcessingElement").spatial:
            fan.min_usage = 0
            fan.reuse, fan.may_reuse = "Nothing", "All"   # any loop, multicast allowed
    spec.mapper.metrics = Metrics.ENERGY
    t_map = time.perf_counter()
    result = spec.map_workload_to_arch(print_progress=False)
    map_wall = time.perf_counter() - t_map
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    if args.pickle:
        import cloudpickle
        with open(args.pickle, "wb") as f:
            cloudpickle.dump(result, f)
    out = {
        "tool": "accelforge", "version": "1.0.467", "label": args.label,
        "command": " ".join(["nice -n 10", sys.executable, *sys.argv]),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "host": platform.node(),
        "python": platform.python_version(), "arch": str(arch_path.relative_to(examples.parent)),
        "constraints": "none (min_usage 0, reuse Nothing, may_reuse All)" if args.unconstrained
        else "its example's (reuse_weight: p q n on the 14 axis; reuse_output: c r s on the 12 axis; min_usage 1)",
        "shape": dict(M=M, C=C, R=R, S=S, P=P, Q=Q, N=N, stride=stride), "bits_per_value": args.bits,
        "objective": "energy", "parallel_jobs": 1, "workload_yaml": wl_path.read_text(),
        "map_wall_s": round(map_wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime, 2),
        "peak_rss_mb": round(max(usage.ru_maxrss, children.ru_maxrss) / 1024, 1),
        "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    read_result(result, out)
    out["wall_s"] = round(time.perf_counter() - t_wall, 2)
    out_path.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps({k: out.get(k) for k in ("energy_uj", "cycles", "wall_s", "cpu_s", "peak_rss_mb")}))


if __name__ == "__main__":
    main()
