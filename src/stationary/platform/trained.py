"""Real weights on real digits for the techniques that change accuracy: one trained LeNet-5, measured under
reduced precision, magnitude pruning and an angle-sensitive first layer, each with a fixed seed.

Everything here reuses the project's own steps (``stationary train``'s training, ``stationary.precision``'s
quantizers, ``stationary.pruning``'s masks and fine-tuning, ``stationary.sensor``'s ASP network), so an accuracy in
the cross-level table is what those commands measure for the same setting.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from stationary.infer.model import Model

DEFAULT_SPARSITY = 0.8      # pruning removes 80% of LeNet-5's weights unless the technique says otherwise
BASELINE_BITS = 16          # the accelerators' word (Eyeriss: 16-bit fixed point)


@dataclass(frozen=True, slots=True)
class Trained:
    """A trained network, its data set and the inputs energy is measured on; ``cache`` keeps derived models."""
    model: Model = field(repr=False)
    data: object = field(repr=False)                  # stationary.infer.datasets.Dataset
    weights_path: str
    samples: int                                      # test images accuracy is measured on
    epochs: int                                       # the training's epochs (the ASP network gets as many)
    seed: int = 0
    finetune_epochs: int = 1
    cache: dict = field(default_factory=dict, repr=False, compare=False, hash=False)

    @property
    def x_test(self) -> np.ndarray:
        return self.data.x_test[:self.samples]

    @property
    def y_test(self) -> np.ndarray:
        return self.data.y_test[:self.samples]

    @property
    def energy_inputs(self) -> np.ndarray:
        """The images densities are measured on (the first 100 test images)."""
        return self.data.x_test[:100]


def trained(network: str, *, weights: str | None = None, cache_dir: str = ".stationary", epochs: int | None = None,
            samples: int = 2000, seed: int = 0, finetune_epochs: int = 1, log=None) -> Trained:
    """The named trainable network (``lenet5``) with ``weights``, else trained once into ``cache_dir``."""
    from stationary.infer import dataset_for, load
    from stationary.pruning.run import trained_model
    from stationary.infer.nets import default_epochs
    epochs = epochs or default_epochs(network)
    model, path = trained_model(network, weights, cache_dir, epochs=epochs, log=log)
    return Trained(model, load(dataset_for(network)), path, samples, epochs, seed, finetune_epochs)


def _memo(t: Trained, key, make):
    if key not in t.cache:
        t.cache[key] = make()
    return t.cache[key]


def pruned(t: Trained, sparsity: float | None) -> Model:
    """The model with the smallest ``sparsity`` of its weights removed (one global threshold, Han et al.) and
    fine-tuned for ``t.finetune_epochs`` with the masks held (stationary.pruning's magnitude step)."""
    keep = 1.0 - (DEFAULT_SPARSITY if sparsity is None else sparsity)

    def make():
        from stationary.pruning.finetune import finetune
        from stationary.pruning.masks import apply_masks, magnitude_masks
        masks = magnitude_masks({name: w for name, (w, _) in t.model.weights.items()}, keep, scope="global")
        return finetune(apply_masks(t.model, masks), masks, t.data, epochs=t.finetune_epochs, seed=t.seed)
    return _memo(t, ("pruned", keep), make)


def accuracy(t: Trained, model: Model, bits: int | None) -> float:
    """Test accuracy of ``model`` with weights and activations in ``bits``-bit fixed point (None: float32)."""
    def make():
        from stationary.infer.forward import accuracy as float_accuracy
        if bits is None:
            return float_accuracy(model, t.x_test, t.y_test)
        from stationary.precision.apply import calibrate, evaluate
        from stationary.precision.scheme import Scheme
        calib = calibrate(model, t.data.x_train[:500])
        return evaluate(model, Scheme.parse(f"fixed{bits}"), calib, t.x_test, t.y_test)
    return _memo(t, ("accuracy", id(model), bits), make)


def asp_model(t: Trained) -> Model:
    """LeNet-5 with its first layer fixed to the angle-sensitive pixels' Gabor-like bank, trained on the same
    digits with the same epochs and seed (stationary.sensor.accuracy)."""
    def make():
        from stationary.sensor.accuracy import asp_lenet
        return asp_lenet(epochs=t.epochs, seed=t.seed, data=t.data).model
    return _memo(t, ("asp",), make)
