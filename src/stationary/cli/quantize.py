"""`stationary quantize lenet5|digits-cnn [--weights FILE] [--json] [--plot OUT.png]`: accuracy and energy of
reduced precision on the trained network.

One row per scheme, post-training; a "+qat" row after quantization-aware fine-tuning where post-training
loses more than --max-loss (needs torch). Energy per input is the bit-width scaling rule on Horowitz's
45 nm table (docs/precision.md): every non-zero MAC, and one 8 KB SRAM read per non-zero weight and activation
word. It answers "what does the arithmetic and one on-chip read per word cost at this bit width?", not the whole
inference on a chip with its data movement, which `stationary prune` prices on the Eyeriss 65 nm table and the
mapper: the two figures differ by design (docs/semantics.md, "Units"). Weights: --weights FILE, else
./NETWORK.npz when present (what `stationary train` writes), else the network is trained first into ./NETWORK.npz
(needs torch), with a progress bar.
"""
from __future__ import annotations

import os
import sys

from stationary.cli._common import epochs_int, fraction, print_json
from stationary.core import StationaryError
from stationary.infer import build, dataset_for, load, load_model
from stationary.infer.nets import NETS, default_epochs
from stationary.infer.train import progress_bar
from stationary.precision import DEFAULT_SWEEP, RULE, Scheme
from stationary.precision.sweep import SweepRow, sweep
from stationary.report.table import format_count, format_table
from stationary.validation import check_image_path


def register(sub) -> None:
    p = sub.add_parser("quantize", help="accuracy and energy of reduced precision on a trained network",
                       description=__doc__)
    p.add_argument("network", choices=sorted(NETS))
    p.add_argument("--weights", metavar="FILE", help="trained weights (from `stationary train`)")
    p.add_argument("--schemes", default=",".join(DEFAULT_SWEEP),
                   help=f"comma-separated schemes (default: {','.join(DEFAULT_SWEEP)})")
    p.add_argument("--max-loss", type=fraction, default=0.01,
                   help="fine-tune (QAT) schemes losing more accuracy than this (default 0.01)")
    p.add_argument("--qat-epochs", type=epochs_int, default=2, help="fine-tuning epochs (0: post-training only)")
    p.add_argument("--json", action="store_true", help="print JSON, one object per step")
    p.add_argument("--plot", metavar="OUT.png", help="write the energy-versus-accuracy plot")
    p.set_defaults(run=run)


def run(args) -> int:
    schemes = tuple(Scheme.parse(s) for s in args.schemes.split(",") if s.strip())
    if not schemes:
        raise StationaryError("no schemes given", field="--schemes", value=args.schemes)
    if not 0 <= args.max_loss <= 1:
        raise StationaryError("must be a fraction from 0 to 1", field="--max-loss", value=args.max_loss)
    if args.plot:
        check_image_path(args.plot, "--plot")
    weights = args.weights or (f"{args.network}.npz" if os.path.isfile(f"{args.network}.npz") else None)
    if weights and not args.weights:
        print(f"using the trained weights in ./{weights} (--weights FILE to choose others)", file=sys.stderr)
    model = load_model(weights, build(args.network))[0] if weights else None
    data = load(dataset_for(args.network))
    model = model or _trained(args, data)
    bar = progress_bar(True, len(schemes), f"quantizing {args.network}", "scheme")

    def on_row(row) -> None:
        bar.update(0 if row.qat else 1)
        if not args.json:
            bar.write(f"  {row.method}: accuracy {row.accuracy:.4f}", file=sys.stderr)
    rows = sweep(model, data, schemes, max_loss=args.max_loss, qat_epochs=args.qat_epochs, on_row=on_row)
    bar.close()
    if args.json:
        print_json([r.as_json() for r in rows])
    else:
        print(_table(rows))
        print(f"energy per input (nJ): {RULE}")
        print("this prices the arithmetic and one on-chip read per word at each bit width; `stationary prune` "
              "prices the whole inference on the Eyeriss chip (65 nm table, data movement included), a larger "
              "figure by design (docs/semantics.md, Units)")
    if args.plot:
        plot(rows, args.plot, f"{args.network}: reduced precision")
    return 0


def _trained(args, data):
    from stationary.infer.train import TrainConfig, train
    out = f"{args.network}.npz"
    print(f"no --weights and no ./{out}: training {args.network} first ({default_epochs(args.network)} epochs) "
          f"into ./{out}, which the next run reuses", file=sys.stderr, flush=True)
    return train(build(args.network), data, TrainConfig(epochs=default_epochs(args.network)), out=out,
                 progress=True).model


def _table(rows: tuple[SweepRow, ...]) -> str:
    head = ["method", "W bits", "A bits", "accuracy", "weights kept", "non-zero MACs", "MAC energy (x fp32)",
            "storage (x fp32)", "energy/input (nJ)"]
    body = [[r.method, r.scheme.weight_bits, r.scheme.act_bits, f"{r.accuracy:.4f}", format_count(r.weights_kept),
             format_count(r.nonzero_macs), f"{r.relative_mac_energy:.3f}x", f"{r.relative_storage_energy:.3f}x",
             f"{r.energy.energy_pj / 1e3:.1f}"] for r in rows]
    return format_table(head, body)


def plot(rows: tuple[SweepRow, ...], path: str, title: str) -> None:
    """Energy per input (log scale) against accuracy, one labelled point per step."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for qat, marker in ((False, "o"), (True, "^")):
        pts = [r for r in rows if r.qat is qat]
        ax.scatter([r.energy.energy_pj / 1e3 for r in pts], [r.accuracy for r in pts], marker=marker,
                   label="fine-tuned (QAT)" if qat else "post-training")
        for r in pts:
            ax.annotate(r.method, (r.energy.energy_pj / 1e3, r.accuracy), fontsize=7, xytext=(3, 3),
                        textcoords="offset points")
    ax.set_xscale("log")
    ax.set_xlabel("energy/input (nJ; bit-width scaling rule, Horowitz 45 nm)")
    ax.set_ylabel("test accuracy")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
