"""`stationary roofline NETWORK --device PRESET|host [--method M] [--plot roofline.png] [--json]`: every layer
under a CPU's or GPU's roofline: FLOP (the algorithm's exact operations), compulsory bytes, arithmetic
intensity, attainable throughput and predicted time, memory- or compute-bound. `--device host` measures this
machine (peak and STREAM-like bandwidth with numpy, each layer's GEMM with numpy's BLAS, torch's conv2d)
within about --budget seconds. Presets: knl, gp100 (the talk's), v100, a100, h100, h200, epyc-9654, xeon-8480."""
from __future__ import annotations

from stationary import api
from stationary.cli._common import add_network_arguments, print_json
from stationary.validation import float_arg


def register(sub) -> None:
    p = sub.add_parser("roofline", help="place a network's layers under a CPU/GPU roofline (or measure this host)",
                       description=__doc__)
    add_network_arguments(p)
    p.add_argument("--device", default="gp100", help="a preset (knl, gp100, v100, a100, h100, h200, epyc-9654, "
                                                     "xeon-8480) or host (default gp100)")
    p.add_argument("--method", action="append",
                   help="im2col (default), direct, winograd:m,r, fft, strassen:depth; repeat to compare on one plot")
    p.add_argument("--precision", default="float32", help="float64, float32 or float16 (default float32)")
    p.add_argument("--budget", type=float_arg(0.0, 600.0, low_open=True), default=3.0, metavar="SECONDS",
                   help="time for the host measurements (default 3)")
    p.add_argument("--no-torch", action="store_true", help="on host, do not time torch's convolution")
    p.add_argument("--plot", metavar="PNG", help="draw the roofline with every layer as a point")
    p.add_argument("--json", action="store_true", help="print JSON: the device and one object per layer")
    p.set_defaults(run=run)


def run(args) -> int:
    from stationary.report.algo import roofline_json, roofline_table
    results = [api.roofline(args.network, args.device, method, batch=args.batch, precision=args.precision,
                            budget_s=args.budget, torch=not args.no_torch, progress=not args.json)
               for method in (args.method or ["im2col"])]
    if args.json:
        print_json(roofline_json(results[0]) if len(results) == 1 else [roofline_json(r) for r in results])
    else:
        print("\n\n".join(roofline_table(r) for r in results))
    if args.plot:
        from stationary.report.roofline import plot_roofline
        print(f"wrote {plot_roofline(results, args.plot)}")
    return 0
