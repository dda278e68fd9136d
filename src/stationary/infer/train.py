"""Training with torch (optional) on CPU: Adam with a cosine learning-rate decay, cross-entropy, reproducible, interruptible and resumable.

After every epoch ``train`` writes, atomically, a checkpoint ``<out>.ckpt`` (weights, optimizer state,
epoch, history; a torch file) and the weight file ``<out>`` (see :mod:`weights`). Interrupting (Ctrl-C)
keeps the last completed epoch's files intact; ``resume=True`` continues from the checkpoint (or, without
one, from the weight file's epoch) up to ``config.epochs`` in total. The data order of epoch k depends only
on (seed, k), so an interrupted and resumed run takes the same steps as an uninterrupted one.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from stationary.core import StationaryError
from stationary.infer.datasets import Dataset
from stationary.infer.model import Model
from stationary.infer.torchnet import import_torch, make_torchnet
from stationary.infer.weights import atomic_write, load_weights, save_weights


@dataclass(frozen=True, slots=True)
class TrainConfig:
    epochs: int = 8
    batch_size: int = 64
    lr: float = 2e-3
    seed: int = 0

    def __post_init__(self):
        for name in ("epochs", "batch_size", "seed"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < (name == "batch_size"):
                raise StationaryError("must be a non-negative integer (batch size positive)", field=name,
                                      value=value)
        if not self.lr > 0:
            raise StationaryError("learning rate must be positive", field="lr", value=self.lr)


@dataclass(frozen=True, slots=True)
class EpochLog:
    epoch: int
    loss: float
    test_accuracy: float


@dataclass(frozen=True, slots=True)
class TrainResult:
    model: Model = field(repr=False)
    history: tuple[EpochLog, ...]
    start_epoch: int  # 0 for a fresh run; the epoch resumed from otherwise

    @property
    def test_accuracy(self) -> float:
        return self.history[-1].test_accuracy if self.history else float("nan")


def checkpoint_path(out: str) -> str:
    return out + ".ckpt"


def train(model: Model, data: Dataset, config: TrainConfig = TrainConfig(), *, out: str | None = None,
          resume: bool = False, weight_hook: Callable | None = None, act_hook: Callable | None = None,
          on_epoch: Callable[[EpochLog], None] | None = None, progress: bool = False) -> TrainResult:
    """Train ``model`` on ``data`` to ``config.epochs`` epochs in total; returns the trained model.

    ``weight_hook``/``act_hook`` are torch hooks (see :func:`make_torchnet`) for quantization-aware
    training. With ``out`` the weights and a checkpoint are saved after each epoch. ``progress`` shows a bar
    over the batches on stderr (when it is a terminal).
    """
    torch = import_torch()
    torch.manual_seed(config.seed)
    start, history, optim_state = 0, [], None
    if resume:
        if out is None:
            raise StationaryError("resuming needs the weight file to resume from", field="out", value=None)
        model, start, history, optim_state = _resume(model, out)
    net = make_torchnet(model, weight_hook, act_hook)
    opt = torch.optim.Adam(net.parameters(), lr=config.lr)
    if optim_state is not None:
        opt.load_state_dict(optim_state)
    x_train, y_train = torch.from_numpy(data.x_train), torch.from_numpy(data.y_train)
    x_test, y_test = torch.from_numpy(data.x_test), torch.from_numpy(data.y_test)
    batches = -(-len(x_train) // config.batch_size)
    bar = progress_bar(progress, (config.epochs - start) * batches, f"training {model.network.name}", "batch")
    for epoch in range(start, config.epochs):
        net.train()
        for group in opt.param_groups:  # cosine decay, a function of the epoch only (resumes exactly)
            group["lr"] = float(config.lr * 0.5 * (1 + np.cos(np.pi * epoch / config.epochs)))
        order = np.random.default_rng([config.seed, epoch]).permutation(len(x_train))
        total = 0.0
        for i in range(0, len(order), config.batch_size):
            idx = torch.from_numpy(order[i:i + config.batch_size])
            loss = torch.nn.functional.cross_entropy(net(x_train[idx]), y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
            bar.update(1)
        with torch.no_grad():
            net.eval()
            acc = float((net(x_test).argmax(1) == y_test).float().mean())
        log = EpochLog(epoch + 1, total / len(order), acc)
        history.append(log)
        model = model.with_weights(net.numpy_weights())
        if out is not None:
            _save(out, model, net, opt, history, torch)
        if on_epoch:
            on_epoch(log)
        bar.set_postfix_str(f"epoch {epoch + 1}/{config.epochs}, test accuracy {acc:.4f}")
    bar.close()
    return TrainResult(model, tuple(history), start)


def progress_bar(enabled: bool, total: int | None, desc: str, unit: str):
    """A tqdm bar on stderr, shown only when ``enabled`` and stderr is a terminal (no noise in logs or pipes)."""
    import sys

    from tqdm import tqdm
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False,
                disable=not (enabled and sys.stderr.isatty()))


def _save(out, model, net, opt, history, torch) -> None:
    state = {"network": model.network.name, "epoch": history[-1].epoch,
             "model": net.state_dict(), "optimizer": opt.state_dict(),
             "history": [(h.epoch, h.loss, h.test_accuracy) for h in history]}
    atomic_write(checkpoint_path(out), lambda f: torch.save(state, f))
    save_weights(out, model, epoch=history[-1].epoch, test_accuracy=history[-1].test_accuracy)


def _resume(model: Model, out: str):
    torch = import_torch()
    ckpt = checkpoint_path(out)
    if os.path.exists(ckpt):
        try:
            state = torch.load(ckpt, weights_only=True)
        except Exception as err:  # torch raises many kinds for a bad file
            raise StationaryError(f"cannot read the checkpoint ({err})", source=ckpt) from None
        if state.get("network") != model.network.name:
            raise StationaryError(f"checkpoint is for another network (expected {model.network.name})",
                                  source=ckpt, field="network", value=state.get("network"))
        weights = {}
        for layer in model.network.layers:
            try:
                weights[layer.name] = (state["model"][f"w.{layer.name}"].numpy(),
                                       state["model"][f"b.{layer.name}"].numpy())
            except KeyError:
                raise StationaryError("checkpoint has no weights for this layer", source=ckpt,
                                      where=f"layer {layer.name}") from None
        model = model.with_weights(weights)  # checks the shapes
        history = [EpochLog(int(e), float(l), float(a)) for e, l, a in state["history"]]
        return model, int(state["epoch"]), history, state["optimizer"]
    if os.path.exists(out):
        weights, meta = load_weights(out, model.network)
        return model.with_weights(weights), int(meta.get("epoch", 0)), [], None
    raise StationaryError("nothing to resume from (no weight file or checkpoint)", source=out)
