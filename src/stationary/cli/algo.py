"""`stationary algo NETWORK --method direct|im2col|winograd:m,r|fft|strassen:depth [--json]`: per layer and in
total the exact multiplications, additions and transform operations of a fast-convolution algorithm, its saving
against direct, its extra storage, its energy (Horowitz 45 nm) and its error against float64 direct in
float64/float32/float16/fixed16. Layers the method cannot run are listed as skipped, with the reason.
With --weights (a file from `stationary train`, lenet5 or digits-cnn) the error is measured on the trained
weights and real test images; otherwise on seeded random tensors of each layer's shape."""
from __future__ import annotations

from stationary import api
from stationary.cli._common import add_network_arguments, print_json
from stationary.validation import int_arg


def register(sub) -> None:
    p = sub.add_parser("algo", help="count, execute and measure a fast convolution algorithm on a network",
                       description=__doc__)
    add_network_arguments(p)
    p.add_argument("--method", default="im2col",
                   help="direct, im2col, winograd:m,r, fft, fft:4m or strassen:depth[,cutoff] (default im2col)")
    p.add_argument("--layer", action="append", help="only this layer (repeatable)")
    p.add_argument("--no-error", action="store_true", help="skip executing the layers (counts and energy only)")
    p.add_argument("--weights", metavar="FILE", help="trained weights (lenet5 or digits-cnn, from `stationary train`)")
    p.add_argument("--images", type=int_arg(1, 1000), default=16, metavar="K", help="test images with --weights (16)")
    p.add_argument("--seed", type=int_arg(0, 2 ** 31 - 1), default=0, help="seed of the random tensors (default 0)")
    p.add_argument("--energy-precision", default="float32", help="float32, float16 or fixed16 (default float32)")
    p.add_argument("--buffer", default="sram", choices=("sram", "dram"),
                   help="where the extra words are priced: a 1 MB SRAM (default) or DRAM")
    p.add_argument("--json", action="store_true", help="print JSON, one object per layer")
    p.set_defaults(run=run)


def run(args) -> int:
    from stationary.report.algo import algo_json, algo_table
    model = inputs = None
    data = ""
    if args.weights:
        from stationary.infer import build, dataset_for, load, load_model
        model = load_model(args.weights, build(args.network))[0]
        ds = load(dataset_for(args.network))
        inputs = ds.x_test[:: max(1, len(ds.x_test) // args.images)][:args.images]
        data = f"{len(inputs)} {ds.name} test images, weights {args.weights}"
    result = api.algo(args.network, args.method, batch=args.batch, layers=args.layer, error=not args.no_error,
                      model=model, inputs=inputs, data=data, seed=args.seed,
                      energy_precision=args.energy_precision, buffer=args.buffer, progress=not args.json)
    print_json(algo_json(result)) if args.json else print(algo_table(result))
    return 0
