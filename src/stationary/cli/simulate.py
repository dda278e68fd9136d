"""`stationary simulate`: run one layer's mapping in the functional simulator on random (or given .npy) tensors,
print its counts beside the analytical model's, and check its output against a reference convolution.
Exit status 1 on any difference."""
from __future__ import annotations

import time

import numpy as np

from stationary import api
from stationary.cli._common import print_json
from stationary.core import StationaryError
from stationary.model import analyze
from stationary.sim import Precision, ZeroMode, count_rows, simulate


def register(sub) -> None:
    p = sub.add_parser("simulate", help="simulate one layer's mapping on real tensors; compare with the model",
                       description=__doc__)
    p.add_argument("network", help="zoo name or network YAML file")
    p.add_argument("--layer", required=True, help="the layer to simulate")
    p.add_argument("--arch", required=True, help="preset name or arch YAML file")
    p.add_argument("--dataflow", default="rs", help="dataflow for the mapper: ws, osa, osb, osc, nlr, rs (default rs)")
    p.add_argument("--mapping", help="a mapping file (stationary YAML or Timeloop map.yaml) instead of the mapper")
    p.add_argument("--batch", type=int, default=None, help="batch size N")
    p.add_argument("--seed", type=int, default=0, help="seed of the random tensors (default 0)")
    p.add_argument("--weights", help="weights .npy, shape (M, C, R, S)")
    p.add_argument("--inputs", help="inputs .npy, shape (N, G*C, H, W)")
    p.add_argument("--precision", default="fixed", choices=("fixed", "float", "truncate"),
                   help="16-bit fixed point with wide accumulation (default), float64, or the chip's truncation")
    p.add_argument("--product-shift", type=int, default=0,
                   help="with --precision truncate: the product bits kept are [K, K+16) (default 0)")
    p.add_argument("--zero", default="none", help="zero inputs: none, gate (Eyeriss) or skip")
    p.add_argument("--check", action="store_true", help="also check the output against a reference convolution")
    p.add_argument("--pes", type=int, metavar="PASS", help="RS mappings: print which PE does what in this pass")
    p.add_argument("--png", help="RS mappings: draw that pass (or pass 0) to this PNG file")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def _mapping(args, layer, arch):
    if args.mapping:
        from stationary.mapping.io import load_problem_and_mapping
        return load_problem_and_mapping(layer, args.mapping, arch)[1]
    try:
        from stationary.search import search
    except ImportError:
        raise StationaryError("the mapper (stationary.search) is not available: give --mapping FILE",
                              field="mapping", value=None) from None
    flow = api._parse_dataflow(args.dataflow)
    return search(layer, arch, flow).best.mapping


def _tensors(args, layer, precision):
    rng = np.random.default_rng(args.seed)
    if precision.kind.value == "float":
        w = rng.standard_normal((layer.M, layer.C, layer.R, layer.S))
        x = rng.standard_normal((layer.N, layer.G * layer.C, layer.H, layer.W))
    else:
        w = rng.integers(-(1 << 15), 1 << 15, (layer.M, layer.C, layer.R, layer.S))
        x = rng.integers(-(1 << 15), 1 << 15, (layer.N, layer.G * layer.C, layer.H, layer.W))
    if args.weights:
        w = np.load(args.weights)
    if args.inputs:
        x = np.load(args.inputs)
    return w, x


def run(args) -> int:
    arch = api.load_arch(args.arch)
    layer = api.load_network(args.network, args.batch)[args.layer]
    mapping = _mapping(args, layer, arch)
    precision = {"fixed": Precision.fixed(), "float": Precision.float64(),
                 "truncate": Precision.fixed(accumulator_bits=16, product_shift=args.product_shift)}[args.precision]
    w, x = _tensors(args, layer, precision)
    start = time.perf_counter()
    result = simulate(layer, arch, mapping, w, x, precision=precision, zero=ZeroMode.parse(args.zero))
    seconds = time.perf_counter() - start
    rows = count_rows(result.counts, analyze(layer, arch, mapping))
    output_ok = result.ok if args.check else None
    bad = [r for r in rows if not r.same]
    if args.json:
        print_json({"layer": layer.name, "arch": arch.name, "seconds": seconds, "macs": layer.macs,
                    "counts": [{"level": r.level, "tensor": r.tensor.value, "kind": r.kind,
                                "simulated": r.simulated, "model": r.modelled} for r in rows],
                    "differences": len(bad), "output_ok": output_ok,
                    "zero": None if result.zero is None else {
                        "mode": result.zero.mode.value, "macs": result.zero.macs,
                        "weight_reads": result.zero.weight_reads, "input_reads": result.zero.input_reads}})
    else:
        print(f"{layer.describe()}\narch {arch.name}, {layer.macs:,} MACs simulated in {seconds:.1f} s "
              f"({layer.macs / max(seconds, 1e-9) / 1e6:.1f} M MACs/s)\n")
        print(f"{'level':<14}{'tensor':<9}{'count':<10}{'simulated':>16}{'model':>16}  difference")
        for r in rows:
            if r.simulated or r.modelled:
                diff = "" if r.same else f"{r.simulated - r.modelled:+,}"
                print(f"{r.level:<14}{r.tensor.value:<9}{r.kind:<10}{r.simulated:>16,}{r.modelled:>16,}  {diff}")
        print(f"\ncounts: {'all equal' if not bad else f'{len(bad)} differ'}")
        if result.zero is not None:
            z = result.zero
            print(f"zero inputs ({z.mode.value}): {z.zero_input_words:,} words; {z.macs:,} MACs, "
                  f"{z.weight_reads:,} weight reads at {z.weight_level}, {z.input_reads:,} input reads at "
                  f"{z.input_level} saved")
        if output_ok is not None:
            kind = "bit-exact" if precision.kind.value == "fixed" else "to rounding"
            print(f"output vs reference convolution ({args.precision}, {kind}): {'equal' if output_ok else 'DIFFERENT'}")
    if args.pes is not None or args.png:
        from stationary.sim.rowstationary import pass_png, pass_text, rs_plan, summary
        inner = arch.levels[-1] if len(arch.levels) > 1 else arch.mac
        plan = rs_plan(layer, mapping, (inner.fanout_y, inner.fanout_x))
        print(f"\n{summary(plan)}")
        if args.pes is not None:
            print(pass_text(plan, args.pes))
        if args.png:
            pass_png(plan, args.png, args.pes or 0)
            print(f"wrote {args.png}")
    return 1 if bad or output_ok is False else 0
