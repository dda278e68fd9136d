"""`stationary simulate`: run one layer's mapping in the functional simulator on random (or given .npy) tensors,
print its counts beside the analytical model's, and check its output against a reference convolution.
Exit status 1 on any difference."""
from __future__ import annotations

import time

import numpy as np

from stationary import api
from stationary.cli._common import positive_int, print_json, seed_int
from stationary.core import StationaryError
from stationary.model import analyze
from stationary.sim import Precision, ZeroMode, count_rows, simulate
from stationary.validation import MAX_LOOP_BOUND, check_image_path, int_arg, load_npy

MAX_SIM_WORDS = 1 << 26       # words in any one tensor the simulator holds (512 MiB of int64)
MAX_SIM_MACS = 1 << 31        # MACs the simulator visits one by one


def register(sub) -> None:
    p = sub.add_parser("simulate", help="simulate one layer's mapping on real tensors; compare with the model",
                       description=__doc__)
    p.add_argument("network", help="zoo name or network YAML file")
    p.add_argument("--layer", required=True, help="the layer to simulate")
    p.add_argument("--arch", required=True, help="preset name or arch YAML file")
    p.add_argument("--dataflow", default="rs", help="dataflow for the mapper: ws, osa, osb, osc, nlr, rs (default rs)")
    p.add_argument("--mapping", help="a mapping file (stationary YAML or Timeloop map.yaml) instead of the mapper")
    p.add_argument("--batch", type=positive_int, default=None, help="batch size N")
    p.add_argument("--seed", type=seed_int, default=0, help="seed of the random tensors (default 0)")
    p.add_argument("--weights", help="weights .npy, shape (M, C, R, S)")
    p.add_argument("--inputs", help="inputs .npy, shape (N, G*C, H, W)")
    p.add_argument("--precision", default="fixed", choices=("fixed", "float", "truncate"),
                   help="16-bit fixed point with wide accumulation (default), float64, or the chip's truncation")
    p.add_argument("--product-shift", type=int_arg(0, 62), default=0,
                   help="with --precision truncate: the product bits kept are [K, K+16) (default 0)")
    p.add_argument("--zero", default="none", help="zero inputs: none, gate (Eyeriss) or skip")
    p.add_argument("--check", action="store_true", help="also check the output against a reference convolution")
    p.add_argument("--pes", type=int_arg(0, MAX_LOOP_BOUND), metavar="PASS", help="RS mappings: print which PE does what in this pass")
    p.add_argument("--png", help="RS mappings: draw that pass (or pass 0) to this PNG file")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def _mapping(args, layer, arch):
    if args.mapping:
        from stationary.mapping.io import load_problem_and_mapping
        return load_problem_and_mapping(layer, args.mapping, arch)[1]
    try:
        from stationary.search import Objective
        from stationary.search.guarantee import search_contained
    except ImportError:
        raise StationaryError("the mapper (stationary.search) is not available: give --mapping FILE",
                              field="mapping", value=None) from None
    flow = api._parse_dataflow(args.dataflow)
    return search_contained(layer, arch, flow, Objective.ENERGY).best.mapping


def _tensors(args, layer, precision):
    rng = np.random.default_rng(args.seed)
    if precision.kind.value == "float":
        w = rng.standard_normal((layer.M, layer.C, layer.R, layer.S))
        x = rng.standard_normal((layer.N, layer.G * layer.C, layer.H, layer.W))
    else:
        w = rng.integers(-(1 << 15), 1 << 15, (layer.M, layer.C, layer.R, layer.S))
        x = rng.integers(-(1 << 15), 1 << 15, (layer.N, layer.G * layer.C, layer.H, layer.W))
    kinds = "iuf" if precision.kind.value == "float" else "iu"
    if args.weights:
        w = _array(args.weights, "--weights", w.shape, kinds)
    if args.inputs:
        x = _array(args.inputs, "--inputs", x.shape, kinds)
    return w, x


def _array(path: str, option: str, shape: tuple, kinds: str) -> np.ndarray:
    """A tensor file for this layer: its header checked first (numbers only, the layer's shape exactly)."""
    array = load_npy(path, max_elements=int(np.prod(shape)), kinds=kinds, field=option)
    if array.shape != tuple(shape):
        raise StationaryError(f"this layer needs an array of shape {tuple(shape)}", source=path, field="shape",
                              value=array.shape)
    if kinds == "iu" and array.size and (array.min() < -(1 << 15) or array.max() >= 1 << 15):
        raise StationaryError("fixed-point values must fit in 16 bits (-32768 to 32767)", source=path,
                              field="values", value=(int(array.min()), int(array.max())))
    return array


def _check_size(layer) -> None:
    """The simulator holds every tensor and visits every MAC: refuse a layer past its limits up front."""
    words = max(layer.ifmap_words, layer.ofmap_words, layer.weights)
    if words > MAX_SIM_WORDS:
        raise StationaryError(f"a tensor of {words:,} words is past the simulator's limit of {MAX_SIM_WORDS:,}",
                              where=f"layer {layer.name}", field="N" if layer.N > 1 else "layer", value=layer.N)
    if layer.macs > MAX_SIM_MACS:
        raise StationaryError(f"{layer.macs:,} MACs is past the simulator's limit of {MAX_SIM_MACS:,} "
                              "(use `stationary evaluate` for the model's counts)", where=f"layer {layer.name}",
                              field="macs", value=layer.macs)


def run(args) -> int:
    zero = ZeroMode.parse(args.zero)      # options first: a typo is refused before any work
    if args.png:
        check_image_path(args.png, "--png")
    arch = api.load_arch(args.arch)
    layer = api.load_network(args.network, args.batch)[args.layer]
    _check_size(layer)
    mapping = _mapping(args, layer, arch)
    precision = {"fixed": Precision.fixed(), "float": Precision.float64(),
                 "truncate": Precision.fixed(accumulator_bits=16, product_shift=args.product_shift)}[args.precision]
    w, x = _tensors(args, layer, precision)
    start = time.perf_counter()
    result = simulate(layer, arch, mapping, w, x, precision=precision, zero=zero)
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
