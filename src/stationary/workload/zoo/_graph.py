"""A small recorder the zoo modules share: layers in execution order, each with the layers that feed it.

>>> from stationary.workload.builders import conv
>>> g = Graph()
>>> for layer in (conv("a", 8, 3, 8, 3, pad=1), conv("b", 8, 8, 8, 1)):
...     _ = g.add(layer)
>>> _ = g.add(conv("c", 8, 8, 8, 1), inputs=("a",))         # a branch beside b
>>> net = g.network("demo", (3, 8, 8))
>>> net.predecessors("b"), net.predecessors("c")
(('a',), ('a',))
"""
from __future__ import annotations

from stationary.workload.layer import Layer
from stationary.workload.network import Network


class Graph:
    """Collects layers with their inputs; ``inputs=()`` means the previous layer (Network's convention)."""

    def __init__(self):
        self._layers: list[Layer] = []
        self._inputs: list[tuple[str, ...]] = []

    def add(self, layer: Layer, inputs: tuple[str, ...] = ()) -> str:
        """Append ``layer`` fed by ``inputs`` (names of the layers whose outputs it reads); return its name."""
        self._layers.append(layer)
        self._inputs.append(tuple(inputs))
        return layer.name

    def network(self, name: str, input_shape: tuple[int, int, int]) -> Network:
        return Network(name, tuple(self._layers), tuple(self._inputs), input_shape)
