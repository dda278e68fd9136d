"""Both pruning methods on one trained model, measured the same way; and the trained model itself.

>>> Method.parse("energy-aware") in METHODS
True
"""
from __future__ import annotations

import os

import numpy as np

from stationary.arch.spec import Arch
from stationary.core import StationaryError
from stationary.infer.datasets import Dataset
from stationary.infer.model import Model
from stationary.mapping.dataflows import Dataflow
from stationary.pruning.energy_aware import energy_aware_pruning
from stationary.pruning.magnitude import magnitude_pruning
from stationary.pruning.steps import Method, Setting, Step

METHODS = {Method.MAGNITUDE: magnitude_pruning, Method.ENERGY_AWARE: energy_aware_pruning}


def setting_for(model: Model, data: Dataset, arch: Arch, max_accuracy_loss: float, *, energy_samples: int = 200,
                calib_samples: int = 1000, finetune_epochs: int = 3, dataflow: Dataflow = Dataflow.RS,
                seed: int = 0) -> Setting:
    """The shared setting: energy priced on the first ``energy_samples`` test images (densities), restoration
    calibrated on ``calib_samples`` training images picked with ``seed``."""
    from stationary.infer.forward import accuracy
    rng = np.random.default_rng(seed)
    calib = data.x_train[np.sort(rng.choice(len(data.x_train), min(calib_samples, len(data.x_train)), False))]
    base = accuracy(model, data.x_test, data.y_test)
    return Setting(data, arch, data.x_test[:energy_samples], calib, max_accuracy_loss, base, dataflow,
                   finetune_epochs, seed=seed)


def prune(model: Model, setting: Setting, methods: tuple[Method, ...], *, scope: str = "global") -> list[Step]:
    """Every step of every method, in order; raises if no method takes one step within the target."""
    steps: list[Step] = []
    for method in methods:
        if method is Method.MAGNITUDE:
            steps += magnitude_pruning(model, setting, scope=scope)
        else:
            steps += METHODS[method](model, setting)
    return steps


def trained_model(network: str, weights: str | None, cache_dir: str | None, *, epochs: int | None = None,
                  log=None) -> tuple[Model, str]:
    """The named network with weights from ``weights``, else from ``<network>.npz`` in the working folder (what
    ``stationary train`` writes), else from ``cache_dir/<network>.npz``, training it there first (``stationary
    train``'s defaults, with a progress bar) when that file does not exist. Returns (model, weight file)."""
    from stationary.infer import build, dataset_for, load, load_model
    from stationary.infer.nets import default_epochs
    from stationary.infer.train import TrainConfig, train
    model = build(network)
    if weights:
        return load_model(weights, model)[0], weights
    if os.path.isfile(f"{network}.npz"):
        if log:
            log(f"using the trained weights in ./{network}.npz (--weights FILE to choose others)")
        return load_model(f"{network}.npz", model)[0], f"{network}.npz"
    if not cache_dir:
        raise StationaryError("give a weight file (--weights) or a folder to train and cache one in (--cache-dir)",
                              field="weights", value=None)
    os.makedirs(cache_dir, exist_ok=True)
    path = os.path.join(cache_dir, f"{network}.npz")
    config = TrainConfig(epochs=epochs or default_epochs(network))
    done = load_model(path, model)[1].get("epoch", 0) if os.path.exists(path) else 0
    if done < config.epochs:  # absent, or cut short by an interrupted run: train (or resume) there
        if log:
            log(f"training {network} into {path} ({config.epochs} epochs; cached for the next run)")
        train(model, load(dataset_for(network)), config, out=path, resume=os.path.exists(path), progress=True)
    return load_model(path, model)[0], path
