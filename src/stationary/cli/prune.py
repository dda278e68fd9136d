"""`stationary prune lenet5 --method energy-aware|magnitude|both --max-accuracy-loss 0.01 [--weights F] [--json]
[--plot out.png]`: magnitude (Han et al.) and energy-aware (Yang et al.) pruning of a trained network, one row per
step: test accuracy, weights kept, non-zero MACs, energy per image on the eyeriss preset priced in pJ by the
65 nm table (data/eyeriss_65nm_pj.yaml: the ISCA 2016 normalized costs x a 1.52 pJ 16-bit MAC).

Without --weights the network is trained (torch) into --cache-dir once and reused. --plot draws energy versus
accuracy, one point per step, for each method (both methods by default when --plot is given).
"""
from __future__ import annotations

import sys

from stationary.cli._common import epochs_int, fraction, print_json
from stationary.core import StationaryError
from stationary.infer.nets import NETS
from stationary.validation import check_image_path, int_arg


def register(sub) -> None:
    p = sub.add_parser("prune", help="magnitude versus energy-aware pruning: accuracy, weights, MACs, energy",
                       description=__doc__)
    p.add_argument("network", choices=sorted(NETS), help="the trained network to prune")
    p.add_argument("--method", choices=("energy-aware", "magnitude", "both"), default=None,
                   help="pruning method (default: both with --plot, else energy-aware)")
    p.add_argument("--max-accuracy-loss", type=fraction, default=0.01, metavar="L",
                   help="largest test-accuracy loss allowed, as a fraction (default 0.01)")
    p.add_argument("--weights", default=None, metavar="FILE", help="trained weights (.npz from `stationary train`)")
    p.add_argument("--cache-dir", default=None, metavar="DIR",
                   help="without --weights: train once into DIR/NETWORK.npz and reuse it (default: the system's "
                        "temp folder/stationary-prune)")
    p.add_argument("--scope", choices=("global", "layer"), default="global",
                   help="magnitude pruning: one threshold over all layers or one per layer (default global)")
    p.add_argument("--finetune-epochs", type=epochs_int, default=3, metavar="K",
                   help="epochs of each fine-tuning (cosine-decayed from lr 5e-4; default 3)")
    p.add_argument("--energy-samples", type=int_arg(1, 100_000), default=200, metavar="N",
                   help="test images the densities are measured on (default 200)")
    p.add_argument("--json", action="store_true", help="one JSON object per step")
    p.add_argument("--plot", default=None, metavar="PNG", help="write energy versus accuracy to this file")
    p.set_defaults(run=run)


def run(args) -> int:
    import dataclasses
    import os
    import tempfile

    from stationary.arch.presets import preset
    from stationary.chip.figures import pj_arch
    from stationary.infer import dataset_for, load
    from stationary.infer.train import progress_bar
    from stationary.pruning.run import prune, setting_for, trained_model
    from stationary.pruning.steps import Method

    method = args.method or ("both" if args.plot else "energy-aware")
    methods = (Method.MAGNITUDE, Method.ENERGY_AWARE) if method == "both" else (Method.parse(method),)
    if args.plot:
        check_image_path(args.plot, "--plot")
    log = (lambda text: print(text, file=sys.stderr, flush=True))
    cache = args.cache_dir or os.path.join(tempfile.gettempdir(), "stationary-prune")
    model, path = trained_model(args.network, args.weights, cache, log=log)
    data = load(dataset_for(args.network))
    setting = setting_for(model, data, pj_arch(preset("eyeriss")), args.max_accuracy_loss,
                          energy_samples=args.energy_samples, finetune_epochs=args.finetune_epochs)
    bar = progress_bar(True, None, f"pruning {args.network}", "step")
    steps = prune(model, dataclasses.replace(setting, on_step=lambda step: bar.update(1)), methods, scope=args.scope)
    bar.close()
    if args.json:
        print_json([s.as_dict() for s in steps])
    else:
        _table(steps, setting, path)
    if args.plot:
        from stationary.pruning.plot import plot_steps
        plot_steps(steps, args.plot, title=f"{args.network}: energy per image on eyeriss (65 nm pJ table) versus test accuracy")
        if not args.json:
            print(f"plot written to {args.plot}")
    for m in methods:
        if not any(s.method is m and s.step > 0 and s.within_target for s in steps):
            raise StationaryError(f"{m.value} pruning: no step keeps the accuracy loss within "
                                  f"{args.max_accuracy_loss:g} (unpruned accuracy {setting.base_accuracy:.4f})",
                                  field="--max-accuracy-loss", value=args.max_accuracy_loss)
    return 0


def _table(steps, setting, path) -> None:
    print(f"unpruned test accuracy {setting.base_accuracy:.4f} ({len(setting.data.y_test)} test images; weights "
          f"{path}); target: loss <= {setting.max_accuracy_loss:g}; energy per image in uJ on eyeriss (65 nm pJ table, "
          "the whole inference with its data movement)")
    head = f"{'method':<13} {'step':>4} {'accuracy':>8} {'loss':>7} {'weights':>15} {'non-zero MACs':>14} " \
           f"{'energy uJ':>9} {'x less':>6}  action"
    print(head)
    print("-" * len(head))
    base = {}
    for s in steps:
        base.setdefault(s.method, s.energy)
        mark = "" if s.within_target else "  (past the target)"
        print(f"{s.method.value:<13} {s.step:>4} {s.accuracy:>8.4f} {s.accuracy_loss:>7.4f} "
              f"{s.weights_kept:>7}/{s.weights_total:<7} {s.nonzero_macs:>14,.0f} {s.energy / 1e6:>9.3f} "
              f"{base[s.method] / s.energy:>6.2f}  {s.action}{mark}")
    for method in dict.fromkeys(s.method for s in steps):
        ok = [s for s in steps if s.method is method and s.within_target]
        if ok:
            best = min(ok, key=lambda s: s.energy)
            print(f"{method.value}: best within target: step {best.step}, {best.weights_kept} weights, "
                  f"{best.energy / 1e6:.3f} uJ ({base[method] / best.energy:.2f}x less), accuracy {best.accuracy:.4f}")
