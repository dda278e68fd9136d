"""`stationary crosslevel NETWORK [--platforms P,...] [--techniques T,...] [--plot PNG] [--html F] [--json]`: one
network across levels (the talk's conclusion): digital accelerators (eyeriss, eyeriss-hmc, tetris, dadiannao-edram),
CPUs/GPUs on their rooflines (gpu:gp100, cpu:knl, cpu:host...), compute-in-memory (cim:isaac), each under
technique sets (winograd, fft, im2col, int8, prune, asp, or pairs joined by '+': winograd+prune). Prints energy per
inference, per MAC, latency, DRAM traffic, accuracy (measured on MNIST for lenet5), the saving against the
first platform's plain row, each technique's saving per platform, and pairs against the product of their parts.

lenet5 runs with real weights (trained once into --cache-dir, or --weights): accuracy is measured, and the CIM
design runs. Networks without trained weights (alexnet) get energy and latency only.
"""
from __future__ import annotations

import sys

from stationary.cli._common import positive_int, print_json


def register(sub) -> None:
    from stationary.platform.run import DEFAULT_PLATFORMS, DEFAULT_TECHNIQUES
    p = sub.add_parser("crosslevel", help="one network across levels: accelerator, CPU/GPU, CIM x techniques",
                       description=__doc__)
    p.add_argument("network", help="a zoo name (alexnet, lenet5, ...) or a network YAML file")
    p.add_argument("--platforms", default=",".join(DEFAULT_PLATFORMS), metavar="P,...",
                   help=f"platforms, comma-separated (default {','.join(DEFAULT_PLATFORMS)})")
    p.add_argument("--techniques", default=",".join(DEFAULT_TECHNIQUES), metavar="T,...",
                   help="technique sets, comma-separated, each '+'-joined; 'none' is the plain row "
                        f"(default {','.join(DEFAULT_TECHNIQUES)})")
    p.add_argument("--weights", default=None, metavar="FILE", help="trained weights for lenet5 (.npz)")
    p.add_argument("--cache-dir", default=None, metavar="DIR",
                   help="where lenet5 is trained once and reused (default: the system's temp folder/stationary)")
    p.add_argument("--samples", type=positive_int, default=2000, metavar="N",
                   help="test images accuracy is measured on (default 2000)")
    p.add_argument("--jobs", type=positive_int, default=1, metavar="K", help="mapper processes (default 1)")
    p.add_argument("--json", action="store_true", help="one JSON object per row")
    p.add_argument("--plot", default=None, metavar="PNG", help="write the comparison plot to this file")
    p.add_argument("--html", default=None, metavar="FILE", help="also write a self-contained HTML report")
    p.set_defaults(run=run)


def _split(text: str, field: str) -> list[str]:
    from stationary.core import StationaryError
    parts = [s.strip() for s in str(text).split(",")]
    if not parts or any(not s for s in parts):
        raise StationaryError("give a comma-separated list with no empty entries", field=field, value=text)
    return parts


def run(args) -> int:
    import os
    import tempfile

    from stationary import api
    platforms, techniques = _split(args.platforms, "--platforms"), _split(args.techniques, "--techniques")
    if args.plot:
        from stationary.validation import check_image_path
        check_image_path(args.plot, "--plot")
    if args.html and not os.path.isdir(os.path.dirname(os.path.abspath(args.html))):
        from stationary.core import StationaryError
        raise StationaryError("no such folder to write the report in", field="--html", value=args.html)
    cache = args.cache_dir or os.path.join(tempfile.gettempdir(), "stationary")
    log = (lambda text: print(text, file=sys.stderr, flush=True))
    result = api.crosslevel(args.network, platforms, techniques, weights=args.weights, cache_dir=cache,
                            samples=args.samples, jobs=args.jobs, progress=sys.stderr.isatty(), log=log)
    if args.json:
        print_json(result.json())
    else:
        from stationary.report.crosslevel import text
        print(text(result))
    if args.plot:
        from stationary.report.crosslevel import plot
        plot(result, args.plot)
        if not args.json:
            print(f"\nwrote {args.plot}")
    if args.html:
        from stationary.cli.report import write_html
        from stationary.report.crosslevel import html
        from stationary.study.execute import provenance_now
        write_html(args.html, html(result, provenance_now(args.command_line)))
        print(f"wrote {args.html}", file=sys.stderr)
    return 0
