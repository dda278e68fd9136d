"""`stationary features [--data mnist|digits|faces] [--plot FILE.png] [--json]`: hand-crafted versus learned
features on real images (the talk's "Features: Energy vs. Accuracy").

Runs HOG + a linear SVM and the data set's CNN (LeNet-5, or digits-cnn on the 8x8 digits) on the same split,
prices both in 65 nm (HOG's operation and buffer counts; the CNN through the Eyeriss model with the densities
measured on the test images), codes the classifier in a sparse basis (basis projection), and adds the talk's
full-scale points: HOG at 1080p and AlexNet / VGG-16 on Eyeriss, modelled here from shapes and as published.
Training the CNN takes minutes on a loaded CPU: ``--cnn-weights`` reuses a file from ``stationary train``.
"""
from __future__ import annotations

import sys

from stationary import api
from stationary.cli._common import print_json
from stationary.validation import check_npz, int_arg


def register(sub) -> None:
    p = sub.add_parser("features", help="HOG + linear classifier vs CNNs: energy per pixel against accuracy",
                       description=__doc__)
    p.add_argument("--data", default="mnist", help="mnist (default), digits, or faces (skimage's LFW subset)")
    p.add_argument("--epochs", type=int_arg(1, 10_000), default=None, help="CNN training epochs (default: as train)")
    p.add_argument("--cnn-weights", metavar="FILE.npz", default=None,
                   help="trained CNN weights (from `stationary train`) instead of training here")
    p.add_argument("--seed", type=int_arg(0, 2**31 - 1), default=0, help="seed for the SVM and the CNN (default 0)")
    p.add_argument("--no-full-scale", action="store_true",
                   help="skip the full-scale points (VGG-16 on the chip model takes about a minute)")
    p.add_argument("--json", action="store_true", help="print JSON, one object per pipeline")
    p.add_argument("--plot", metavar="FILE.png", help="draw energy per pixel (log) against accuracy")
    p.set_defaults(run=run)


def run(args) -> int:
    from stationary.report.features import plot_features, points_table, projection_table
    if args.cnn_weights:
        check_npz(args.cnn_weights)      # a broken weight file is refused before the images load
    result = api.features(args.data, epochs=args.epochs, seed=args.seed, cnn_weights=args.cnn_weights,
                          full_scale=not args.no_full_scale, progress=not args.json and sys.stderr.isatty())
    if args.json:
        print_json(result.json())
    else:
        print(f"{result.split}\n")
        print(points_table(result.points))
        for p in result.points:
            if p.notes:
                print(f"  {p.pipeline}: {p.notes}")
        print("\nbasis projection of the linear classifier (talk: >1.8x power reduction):")
        print(projection_table(result.projection))
    if args.plot:
        plot_features(result.points, args.plot, title=f"Features: energy vs. accuracy ({result.data}, 65 nm)")
        print(f"wrote {args.plot}", file=sys.stderr)
    return 0
