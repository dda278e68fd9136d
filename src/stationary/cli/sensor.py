"""`stationary sensor`: sensor front ends for one frame (a conventional 8-bit imager, HOG in the imager, angle-
sensitive pixels computing the first layer optically): pixels read, ADC conversions, bits out and energy, each
beside the talk's figure (96.5% less bandwidth for HOG; 10x fewer reads and ADC conversions for ASP). With
NETWORK, also what the accelerator is left to evaluate after each front end; with --accuracy, LeNet-5 trained on
real MNIST digits with its first layer learned, fixed to the ASP filter bank, and fixed with the sparse readout."""
from __future__ import annotations

from stationary import api
from stationary.cli._common import epochs_int, print_json, seed_int
from stationary.validation import float_arg, int_arg

FRAME = int_arg(1, 1 << 16)     # rows or columns of a frame
from stationary.report.sensor import frontend_json, frontend_table


def register(sub) -> None:
    p = sub.add_parser("sensor", help="sensor front ends: imager, HOG in the imager, angle-sensitive pixels",
                       description=__doc__)
    p.add_argument("network", nargs="?", help="optional zoo name or network YAML: what is left after each front end")
    p.add_argument("--height", type=FRAME, default=240, help="frame rows (default 240)")
    p.add_argument("--width", type=FRAME, default=320, help="frame columns (default 320)")
    p.add_argument("--asp-threshold", type=float_arg(0.0, 1.0), default=None,
                   help="ASP readout threshold, a fraction of full scale (default 0.0195: 10x on the photographs)")
    p.add_argument("--accuracy", action="store_true", help="also train LeNet-5 three ways on MNIST (minutes)")
    p.add_argument("--epochs", type=epochs_int, default=8, help="epochs per training with --accuracy (default 8)")
    p.add_argument("--seed", type=seed_int, default=0, help="seed of the trainings (default 0)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    from dataclasses import replace
    from stationary.sensor.asp import AspParams
    params = AspParams() if args.asp_threshold is None else replace(AspParams(), threshold=args.asp_threshold)
    fronts = api.sensor_frontends(args.height, args.width, asp=params)
    networks = [api.sensor_network(args.network, f) for f in fronts] if args.network else None
    accuracy = api.asp_accuracy(epochs=args.epochs, seed=args.seed, asp=params) if args.accuracy else None
    if args.json:
        print_json(frontend_json(fronts, networks, accuracy))
    else:
        print(frontend_table(fronts, networks, accuracy))
    return 0
