"""`stationary cim [NETWORK] --design sram-binary|switched-cap|isaac [--variation SIGMA] [--adc-bits B]
[--sweep variation=0:0.3:7] [--plot F] [--json]`: a network on a compute-in-memory design, accuracy and energy
from the same run on real digits, with the action counts and the same network on the digital Eyeriss model.

Designs (docs/cim.md): sram-binary, the binary-weight classifier in a 128 x 128 6T SRAM (Zhang, Wang, Verma,
JSSC 2017; its network is fixed: MNIST at 9 x 9, so NETWORK may be omitted); switched-cap, the switched-capacitor
MAC layer (Lee and Wong, JSSC 2017; 32 x 32 x 3 6-bit in, 4 x 4 x 9 6-bit out, 3-bit weights) under a digital FC
classifier; isaac, ReRAM crossbars (Shafiee et al., ISCA 2016) running a trained network (lenet5 by default).
Without --weights the network is trained first (torch). --sweep NAME=START:STOP:COUNT runs every value of one
of variation, nonlinearity, noise, adc_bits; --plot F draws accuracy against it.
"""
from __future__ import annotations

import sys

from stationary.cli._common import positive_int, print_json, seed_int
from stationary.core import StationaryError
from stationary.report.table import format_count, format_table
from stationary.validation import check_npz


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise StationaryError("expected a number", field="--variation/--nonlinearity/--noise", value=text) from None


def _bits(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise StationaryError("expected an integer from 1 to 16", field="--adc-bits", value=text) from None


def register(sub) -> None:
    p = sub.add_parser("cim", help="a network on a compute-in-memory design: accuracy, energy, action counts",
                       description=__doc__)
    p.add_argument("network", nargs="?", default=None,
                   help="lenet5 or digits-cnn for isaac (default lenet5); omit for sram-binary and switched-cap")
    p.add_argument("--design", required=True, metavar="DESIGN", help="sram-binary, switched-cap or isaac")
    p.add_argument("--variation", type=str, default=None, metavar="SIGMA",
                   help="per-cell variation sigma, 0 to 1 (default: the design's)")
    p.add_argument("--nonlinearity", type=str, default=None, metavar="K", help="transfer-function k, 0 to 10")
    p.add_argument("--noise", type=str, default=None, metavar="LSB", help="read noise sigma in LSB products")
    p.add_argument("--adc-bits", type=str, default=None, metavar="B", help="ADC resolution, 1 to 16")
    p.add_argument("--sweep", default=None, metavar="NAME=START:STOP:COUNT", help="e.g. variation=0:0.3:7")
    p.add_argument("--plot", default=None, metavar="F", help="with --sweep: write accuracy against it to F (.png)")
    p.add_argument("--weights", default=None, metavar="FILE", help="trained weights (from `stationary train`)")
    p.add_argument("--epochs", type=positive_int, default=None, help="training epochs when no --weights")
    p.add_argument("--samples", type=positive_int, default=None, help="test inputs (default: the whole test split)")
    p.add_argument("--train-samples", type=positive_int, default=None, help="SRAM boosting: training inputs")
    p.add_argument("--seed", type=seed_int, default=0, help="fabrication, noise and sampling seed (default 0)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    if args.sweep is not None and not args.sweep.strip():
        raise StationaryError("expected NAME=START:STOP:COUNT", field="--sweep", value=args.sweep)
    if args.weights:
        check_npz(args.weights)      # a broken weight file is refused before the data set is loaded
    from stationary import api
    if args.plot and not args.sweep:
        raise StationaryError("--plot draws a sweep: give --sweep NAME=START:STOP:COUNT too", field="--plot",
                              value=args.plot)
    value = api.cim(args.design, args.network,
                    variation=None if args.variation is None else _number(args.variation),
                    nonlinearity=None if args.nonlinearity is None else _number(args.nonlinearity),
                    noise=None if args.noise is None else _number(args.noise),
                    adc_bits=None if args.adc_bits is None else _bits(args.adc_bits), sweep=args.sweep,
                    weights=args.weights, epochs=args.epochs, samples=args.samples, train_samples=args.train_samples,
                    seed=args.seed, progress=not args.json and sys.stderr.isatty(),
                    log=None if args.json else (lambda line: print(line, file=sys.stderr, flush=True)))
    results = value if isinstance(value, tuple) else (value,)
    if args.json:
        print_json([r.as_json() for r in results] if args.sweep else results[0].as_json())
    else:
        print(_summary(results[0]) if not args.sweep else _sweep_table(results, args.sweep.split("=")[0].strip()))
    if args.plot:
        plot(results, args.sweep.split("=")[0].strip(), args.plot)
    return 0


def _summary(r) -> str:
    head = ["", "accuracy", "energy/inference", "energy/MAC", "MACs", "ADC conv.", "DAC conv."]
    rows = [[r.design, f"{r.accuracy:.4f} (ideal {r.accuracy_ideal:.4f})", f"{r.energy_pj_per_inference:,.1f} pJ",
             f"{r.energy_pj_per_mac:.3f} pJ", format_count(r.macs_per_inference), format_count(r.adc_conversions),
             format_count(r.dac_conversions)],
            ["digital Eyeriss", "", f"{r.baseline.energy_pj_per_inference:,.1f} pJ",
             f"{r.baseline.energy_pj_per_mac:.3f} pJ", format_count(r.baseline.macs), "", ""]]
    lines = [f"{r.design} on {r.network}: {r.samples} test inputs; source: {r.source}",
             format_table(head, rows, align="lllrrrr"), "",
             "actions per inference: " + ", ".join(f"{k} {format_count(round(v))}" for k, v in
                                                   r.actions.as_dict().items()),
             "energy per inference by action: " + ", ".join(f"{k} {v:,.1f} pJ" for k, v in r.breakdown_pj if v),
             "settings: " + ", ".join(f"{k} {v:g}" for k, v in r.settings)]
    if r.figures:
        lines.append("results: " + ", ".join(f"{k} {v:.4g}" for k, v in r.figures))
    if r.paper:
        lines.append("paper: " + ", ".join(f"{k} {v:g}" for k, v in r.paper))
    return "\n".join(lines)


def _sweep_table(results, name: str) -> str:
    extra = "accuracy_eacb" if any(k == "accuracy_eacb" for k, _ in results[0].figures) else None
    head = [name, "accuracy", "ideal"] + (["EACB"] if extra else []) + ["energy/inference pJ", "energy/MAC pJ"]
    rows = []
    for r in results:
        figures = dict(r.figures)
        rows.append([f"{dict(r.settings)[name]:g}", f"{r.accuracy:.4f}", f"{r.accuracy_ideal:.4f}"]
                    + ([f"{figures[extra]:.4f}"] if extra else [])
                    + [f"{r.energy_pj_per_inference:,.1f}", f"{r.energy_pj_per_mac:.3f}"])
    return f"{results[0].design} on {results[0].network}\n" + format_table(head, rows)


def plot(results, name: str, path: str) -> None:
    """Accuracy against the swept setting (non-ideal, ideal, and EACB for the SRAM classifier)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    xs = [dict(r.settings)[name] for r in results]
    fig, ax = plt.subplots(figsize=(6.5, 4))
    ax.plot(xs, [r.accuracy for r in results], "o-", label="with the non-idealities")
    ax.plot(xs, [r.accuracy_ideal for r in results], "--", label="ideal array")
    if any(k == "accuracy_eacb" for k, _ in results[0].figures):
        ax.plot(xs, [dict(r.figures)["accuracy_eacb"] for r in results], "s-", label="EACB (trained on the array)")
    ax.set_xlabel({"variation": "per-cell variation sigma", "adc_bits": "ADC bits",
                   "nonlinearity": "nonlinearity k", "noise": "read noise sigma (LSB products)"}[name])
    ax.set_ylabel(f"test accuracy ({results[0].samples} inputs)")
    ax.set_ylim(0, 1)
    ax.set_title(f"{results[0].design} on {results[0].network}")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
