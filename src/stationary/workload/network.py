"""A network: a named sequence of layers, with the branch structure kept (each layer names its inputs).

>>> from stationary.workload.builders import conv, fc
>>> net = Network("tiny", (conv("c1", 8, 3, 8, 3), fc("f1", 10, 8 * 6 * 6)))
>>> net.macs, len(net.conv_layers), net["f1"].M
(10656, 1, 10)
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from stationary.core import StationaryError
from stationary.workload.layer import Layer, LayerKind


NETWORK_INPUT = "input"  # the reserved source name for the network's own input


@dataclass(frozen=True, slots=True)
class Network:
    """Layers in execution order. ``inputs[i]`` names the layers feeding layer i (``"input"`` is the network's
    own input); ``()`` means the network input for the first layer and the previous layer otherwise, so a plain
    chain needs no ``inputs``."""
    name: str
    layers: tuple[Layer, ...]
    inputs: tuple[tuple[str, ...], ...] = field(default=())
    input_shape: tuple[int, int, int] | None = None  # (C, H, W) of the network input, for the summary table
    # (layer name, why) for layers whose input does not follow from the layers feeding them (workload/chain.py)
    unchained: tuple[tuple[str, str], ...] = ()

    def __post_init__(self):
        if not self.layers:
            raise StationaryError("a network needs at least one layer", where=f"network {self.name}",
                                  field="layers", value=[])
        names = [layer.name for layer in self.layers]
        seen: set[str] = set()
        for n in names:
            if n in seen:
                raise StationaryError("duplicate layer name", where=f"network {self.name}", field="name", value=n)
            seen.add(n)
        inputs = self.inputs or tuple(() for _ in self.layers)
        if len(inputs) != len(self.layers):
            raise StationaryError("inputs must list one entry per layer", where=f"network {self.name}",
                                  field="inputs", value=len(inputs))
        if NETWORK_INPUT in seen:
            raise StationaryError(f"{NETWORK_INPUT!r} is reserved for the network input",
                                  where=f"network {self.name}", field="name", value=NETWORK_INPUT)
        earlier: set[str] = set()
        for layer, srcs in zip(self.layers, inputs):
            for s in srcs:
                if s not in earlier and s != NETWORK_INPUT:
                    raise StationaryError("names a layer that does not come earlier",
                                          where=f"network {self.name}: layer {layer.name}", field="inputs", value=s)
            earlier.add(layer.name)
        object.__setattr__(self, "inputs", tuple(tuple(s) for s in inputs))
        for name, why in self.unchained:
            if name not in seen or not isinstance(why, str) or not why.strip():
                raise StationaryError("an unchained layer needs a layer name of this network and a reason",
                                      where=f"network {self.name}", field="unchained", value=(name, why))
        object.__setattr__(self, "unchained", tuple((n, w) for n, w in self.unchained))

    def __getitem__(self, name: str) -> Layer:
        for layer in self.layers:
            if layer.name.lower() == name.lower():
                return layer
        raise StationaryError(f"no such layer in {self.name} (layers: {', '.join(l.name for l in self.layers)})",
                              field="layer", value=name)

    def __iter__(self):
        return iter(self.layers)

    def __len__(self):
        return len(self.layers)

    def predecessors(self, name: str) -> tuple[str, ...]:
        """Names of the layers feeding ``name`` (the previous layer when none was recorded)."""
        i = [l.name for l in self.layers].index(self[name].name)
        if self.inputs[i]:
            return self.inputs[i]
        return (self.layers[i - 1].name,) if i else ()

    def unchained_reason(self, name: str) -> str:
        """Why layer ``name``'s input does not follow from the layers feeding it ("" when it does)."""
        return dict(self.unchained).get(name, "")

    def with_batch(self, n: int) -> "Network":
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise StationaryError("batch must be a positive integer", field="batch", value=n)
        return replace(self, layers=tuple(layer.with_batch(n) for layer in self.layers))

    def select(self, kinds: tuple[LayerKind, ...]) -> tuple[Layer, ...]:
        return tuple(layer for layer in self.layers if layer.kind in kinds)

    @property
    def conv_layers(self) -> tuple[Layer, ...]:
        return self.select((LayerKind.CONV,))

    @property
    def fc_layers(self) -> tuple[Layer, ...]:
        return self.select((LayerKind.FC,))

    @property
    def macs(self) -> int:
        return sum(layer.macs for layer in self.layers)

    @property
    def weights(self) -> int:
        return sum(layer.weights for layer in self.layers)
