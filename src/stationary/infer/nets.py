"""The networks trained here, as runnable models: LeNet-5 for 28x28 MNIST and a small CNN for 8x8 digits.

LeNet-5 (LeCun et al. 1998, with ReLU and max pooling): CONV1 6 filters 5x5 pad 2 on 1x28x28, pool 2,
CONV2 16 filters 5x5, pool 2, FC 120, FC 84, FC 10. When the model zoo (``stationary.workload.zoo``)
provides ``lenet5`` its Network is used, after checking that its shapes are these.

digits-cnn: CONV1 16 filters 3x3 pad 1 on 1x8x8, pool 2, CONV2 32 filters 3x3 pad 1, pool 2, FC 64, FC 10.

>>> m = build("lenet5")
>>> [layer.macs for layer in m.network.layers]
[117600, 240000, 48000, 10080, 840]
>>> m.shapes[-1], build("digits-cnn").input_shape
((10,), (1, 8, 8))
"""
from __future__ import annotations

from stationary.core import StationaryError
from stationary.infer.model import Model, flatten, init_model, maxpool, relu
from stationary.workload import Network, conv, fc


def _lenet5_shapes() -> Network:
    return Network("lenet5", (
        conv("CONV1", 6, 1, 28, 5, pad=2),
        conv("CONV2", 16, 6, 14, 5),
        fc("FC1", 120, 16 * 5 * 5),
        fc("FC2", 84, 120),
        fc("FC3", 10, 84),
    ), input_shape=(1, 28, 28))


def _shape_key(net: Network) -> list[tuple]:
    return [(l.kind, l.M, l.C, l.G, l.H, l.W, l.R, l.S, l.U, l.pad_h, l.pad_w, l.E, l.F) for l in net.layers]


def lenet5_network() -> Network:
    """LeNet-5's shapes: the zoo's when it has them (checked against the ones above), else our own."""
    ours = _lenet5_shapes()
    try:
        from stationary.workload import zoo
        theirs = zoo.get("lenet5")
    except (ImportError, AttributeError, StationaryError, KeyError):
        return ours
    if _shape_key(theirs.with_batch(1)) != _shape_key(ours):
        raise StationaryError("the zoo's lenet5 differs from LeNet-5 as stationary.infer trains it "
                              "(28x28 input, CONV 6@5x5 pad 2, pool, CONV 16@5x5, pool, FC 120, 84, 10)",
                              field="network", value="lenet5")
    return theirs.with_batch(1)


def lenet5(seed: int = 0) -> Model:
    net = lenet5_network()
    pool = (relu(), maxpool(2))
    return init_model(net, pool, pool + (flatten(),), (relu(),), (relu(),), (), seed=seed)


def digits_cnn(seed: int = 0) -> Model:
    net = Network("digits-cnn", (
        conv("CONV1", 16, 1, 8, 3, pad=1),
        conv("CONV2", 32, 16, 4, 3, pad=1),
        fc("FC1", 64, 32 * 2 * 2),
        fc("FC2", 10, 64),
    ), input_shape=(1, 8, 8))
    pool = (relu(), maxpool(2))
    return init_model(net, pool, pool + (flatten(),), (relu(),), (), seed=seed)


# name -> (builder, data set it trains on, default epochs: about 10 s and 3 s on a 2-core CPU)
NETS = {"lenet5": (lenet5, "mnist", 15), "digits-cnn": (digits_cnn, "digits", 40)}


def build(name: str, seed: int = 0) -> Model:
    """A model with random weights by name: ``lenet5`` or ``digits-cnn``."""
    return NETS[_key(name)][0](seed)


def dataset_for(name: str) -> str:
    """The data set a named network trains on."""
    return NETS[_key(name)][1]


def default_epochs(name: str) -> int:
    """Epochs ``stationary train`` runs by default for a named network."""
    return NETS[_key(name)][2]


def _key(name: str) -> str:
    key = name.strip().lower()
    if key not in NETS:
        raise StationaryError(f"unknown trainable network (expected one of {', '.join(NETS)})",
                              field="network", value=name)
    return key
