"""A runnable model: a :class:`Network` (the shapes), its weights, and the non-MAC ops between layers.

``Model.post[i]`` lists the ops applied to layer i's output before the next layer reads it (ReLU, max or
average pooling, flatten). Only chains run here: every layer reads the one before it. Weights follow the
:class:`Layer` conventions: a conv layer holds ``M x C x R x S`` (``C`` per group, ``M`` in total), an FC
layer ``M x C``; each layer has a bias of ``M`` values. An FC layer reads its input flattened in
(channel, row, column) order, as torch does.

>>> from stationary.workload import Network, conv, fc
>>> net = Network("toy", (conv("c1", 4, 1, 6, 3), fc("f1", 3, 4 * 2 * 2)))
>>> m = init_model(net, (relu(), maxpool(2), flatten()), (), seed=0)
>>> m.weights["c1"][0].shape, m.weights["f1"][0].shape, m.input_shape
((4, 1, 3, 3), (3, 16), (1, 6, 6))
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Mapping

import numpy as np

from stationary.core import StationaryError
from stationary.workload import Layer, LayerKind, Network


class OpKind(enum.Enum):
    RELU = "relu"
    MAXPOOL = "maxpool"
    AVGPOOL = "avgpool"
    FLATTEN = "flatten"


@dataclass(frozen=True, slots=True)
class Op:
    """A non-MAC op between layers; pools use a ``size x size`` window moved by ``stride``."""
    kind: OpKind
    size: int = 1
    stride: int = 1

    def __post_init__(self):
        if not isinstance(self.kind, OpKind):
            raise StationaryError("kind must be an OpKind", field="kind", value=self.kind)
        for name in ("size", "stride"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise StationaryError("must be a positive integer", where=f"op {self.kind.value}",
                                      field=name, value=value)

    def out_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """The shape (C, H, W) or (C,) this op turns ``shape`` into."""
        if self.kind is OpKind.RELU:
            return shape
        if self.kind is OpKind.FLATTEN:
            return (int(np.prod(shape)),)
        if len(shape) != 3:
            raise StationaryError("pooling needs a (C, H, W) feature map", where=f"op {self.kind.value}",
                                  field="shape", value=shape)
        c, h, w = shape
        if h < self.size or w < self.size:
            raise StationaryError("pool window larger than the map", where=f"op {self.kind.value}",
                                  field="size", value=self.size)
        return c, (h - self.size) // self.stride + 1, (w - self.size) // self.stride + 1


def relu() -> Op:
    return Op(OpKind.RELU)


def maxpool(size: int, stride: int | None = None) -> Op:
    return Op(OpKind.MAXPOOL, size, stride or size)


def avgpool(size: int, stride: int | None = None) -> Op:
    return Op(OpKind.AVGPOOL, size, stride or size)


def flatten() -> Op:
    return Op(OpKind.FLATTEN)


Weights = Mapping[str, tuple[np.ndarray, np.ndarray]]


def weight_shape(layer: Layer) -> tuple[int, ...]:
    """The weight array's shape: ``M x C x R x S`` for conv, ``M x C`` for FC."""
    if layer.kind is LayerKind.CONV:
        return (layer.M, layer.C, layer.R, layer.S)
    if layer.kind is LayerKind.FC:
        return (layer.M, layer.C)
    raise StationaryError("only conv and fc layers run here", where=f"layer {layer.name}", field="kind",
                          value=layer.kind.value)


@dataclass(frozen=True, slots=True)
class Model:
    """A network with weights and the ops between its layers; checked on construction."""
    network: Network
    post: tuple[tuple[Op, ...], ...]
    weights: Weights = field(repr=False)

    def __post_init__(self):
        net = self.network
        if len(self.post) != len(net.layers):
            raise StationaryError("post must list one tuple of ops per layer", where=f"network {net.name}",
                                  field="post", value=len(self.post))
        for i, layer in enumerate(net.layers):
            if i and net.predecessors(layer.name) != (net.layers[i - 1].name,):
                raise StationaryError("only chains of layers run in stationary.infer",
                                      where=f"network {net.name}: layer {layer.name}", field="inputs",
                                      value=net.predecessors(layer.name))
        check_weights(net, self.weights)
        self.shapes  # noqa: B018  (validates that consecutive layers fit)

    @property
    def input_shape(self) -> tuple[int, int, int]:
        first = self.network.layers[0]
        return (first.C * first.G, first.H, first.W)

    @property
    def shapes(self) -> tuple[tuple[int, ...], ...]:
        """Per layer, the shape of the activation after its post ops (what the next layer reads)."""
        out = []
        for i, layer in enumerate(self.network.layers):
            shape: tuple[int, ...] = (layer.M, layer.E, layer.F) if layer.kind is LayerKind.CONV else (layer.M,)
            for op in self.post[i]:
                shape = op.out_shape(shape)
            out.append(shape)
            if i + 1 < len(self.network.layers):
                _check_fits(self.network.layers[i + 1], shape)
        return tuple(out)

    def with_weights(self, weights: Weights) -> "Model":
        return replace(self, weights=weights)


def _check_fits(layer: Layer, shape: tuple[int, ...]) -> None:
    if layer.kind is LayerKind.FC:
        want: tuple[int, ...] = (layer.C,)
        got = (int(np.prod(shape)),)
    else:
        want, got = (layer.C * layer.G, layer.H, layer.W), shape
    if want != got:
        raise StationaryError(f"the previous layer's output {shape} does not fit this layer's input {want}",
                              where=f"layer {layer.name}", field="shape", value=got)


def check_weights(net: Network, weights: Weights, source: str | None = None) -> None:
    """Raise unless ``weights`` has exactly the layers of ``net`` with the right shapes."""
    names = {layer.name for layer in net.layers}
    extra = sorted(set(weights) - names)
    if extra:
        raise StationaryError(f"weights for a layer that network {net.name} does not have", source=source,
                              field="layer", value=extra[0])
    for layer in net.layers:
        where = f"layer {layer.name}"
        if layer.name not in weights:
            raise StationaryError("no weights for this layer", source=source, where=where, field="weight")
        w, b = weights[layer.name]
        if tuple(np.shape(w)) != weight_shape(layer):
            raise StationaryError(f"weight shape does not match the network (expected {weight_shape(layer)})",
                                  source=source, where=where, field="weight", value=tuple(np.shape(w)))
        if tuple(np.shape(b)) != (layer.M,):
            raise StationaryError(f"bias shape does not match the network (expected ({layer.M},))",
                                  source=source, where=where, field="bias", value=tuple(np.shape(b)))


def init_weights(net: Network, seed: int = 0) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """He-uniform random weights (float32) and zero biases, reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    out = {}
    for layer in net.layers:
        shape = weight_shape(layer)
        fan_in = int(np.prod(shape[1:]))
        bound = np.sqrt(6.0 / fan_in)
        out[layer.name] = (rng.uniform(-bound, bound, shape).astype(np.float32),
                           np.zeros(layer.M, np.float32))
    return out


def init_model(net: Network, *post: tuple[Op, ...], seed: int = 0) -> Model:
    """A model of ``net`` with random weights; ``post`` gives each layer's ops (one tuple per layer)."""
    return Model(net, tuple(tuple(p) for p in post), init_weights(net, seed))
