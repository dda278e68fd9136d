"""Words that cross between nodes: a layer's input read on one node but written by its producer on another.

Placement, stated once:

* **Outputs** stay where they are computed: node ``v`` writes its part's outputs into its own memory.
* **Inputs** are the producer's outputs, so an input element lives on the node that computed it under the
  producer's split. An element (image ``n``, channel ``c``, row ``h``) of a convolution's input maps to the
  producer's output (``n``, ``floor(c * Mp / Ct)``, ``floor(h * Ep / H)``), with ``Ct`` the input channels, ``H`` the
  input rows (unpadded), ``Mp`` and ``Ep`` the producer's output channels and rows: the identity when the shapes
  match, and a proportional map across a pooling or a resize. A fully connected layer's input ``c`` is the
  flattened (channel, row, column) output: channel ``floor(c * Mp / C)``, row ``floor((c mod B) * Ep / B)`` with
  ``B = C / Mp``. The network's first layer reads its input where its own split needs it (the sensor writes it
  there), so it moves nothing.
* **Weights** are laid out when the network is loaded, where each layer's split needs them (copied to every node
  that needs them when the split does not divide M): no per-inference traffic, a capacity cost only.
* Padding is made locally (zeros), never moved.

A node copies each remote input word once into its own memory before it runs its part (a remote read, a network
transfer and a local write). :func:`remote_words` counts them by interval arithmetic; the tests hold it to a
brute-force enumeration of every element.

>>> from stationary.workload import conv
>>> from stationary.partition.split import Split
>>> a, b = conv("a", 8, 4, 10, 3), conv("b", 8, 8, 8, 3)      # b reads a's 8 x 8 x 8 output
>>> remote_words(b, Split.parse("M2"), a, Split.parse("M2"))   # b needs every channel, holds half of them
(256, 256)
>>> remote_words(b, Split.parse("E2"), a, Split.parse("E2"))   # one halo row (8 channels x 8 columns) each
(64, 64)
"""
from __future__ import annotations

from dataclasses import dataclass

from stationary.core import StationaryError
from stationary.partition.split import Part, Split, split_layer
from stationary.workload.layer import Layer, LayerKind


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _mapped(needed: tuple[int, int], size: int, target: tuple[int, int], target_size: int) -> int:
    """How many ``x`` in ``needed`` have ``floor(x * target_size / size)`` in ``target``.

    ``floor(x * T / S) >= t`` holds exactly when ``x >= ceil(t * S / T)``: an interval on each side.
    """
    lo, hi = _ceil_div(target[0] * size, target_size), _ceil_div(target[1] * size, target_size)
    return _overlap(needed, (lo, hi))


@dataclass(frozen=True, slots=True)
class Needed:
    """The unpadded input a part reads: images, input channels (all groups) and input rows."""
    batch: tuple[int, int]
    channels: tuple[int, int]
    rows: tuple[int, int]
    width: int

    @property
    def words(self) -> int:
        return (self.batch[1] - self.batch[0]) * (self.channels[1] - self.channels[0]) * \
            (self.rows[1] - self.rows[0]) * self.width


def needed(layer: Layer, part: Part) -> Needed:
    """The stored (unpadded) input elements ``part`` reads."""
    if layer.kind is not LayerKind.CONV:
        return Needed(part.batch, part.in_channels, (0, 1), 1)
    top = max(layer.pad_h, 0) // 2
    rows = (max(0, part.in_rows[0] - top), min(layer.H, part.in_rows[1] - top))
    return Needed(part.batch, part.in_channels, rows, layer.W)


def local_words(layer: Layer, need: Needed, producer: Layer, held: Part) -> int:
    """Input words of ``need`` that the producer's part ``held`` wrote (so they are on that node)."""
    batch = _overlap(need.batch, held.batch)
    if not batch:
        return 0
    mp, ep = producer.M, producer.E
    if layer.kind is LayerKind.CONV:
        channels = _mapped(need.channels, layer.C * layer.G, held.channels, mp)
        rows = _mapped(need.rows, layer.H, held.rows, ep)
        return batch * channels * rows * need.width
    block, rest = divmod(layer.C, mp)
    if rest or need.channels != (0, layer.C):   # flattening does not match the producer: channels only
        return batch * _mapped(need.channels, layer.C, held.channels, mp)
    return batch * (held.channels[1] - held.channels[0]) * _mapped((0, block), block, held.rows, ep)


def remote_words(layer: Layer, split: Split, producer: Layer | None, producer_split: Split | None
                 ) -> tuple[int, ...]:
    """Input words each node of ``split`` copies from other nodes (node order as in ``split_layer``)."""
    parts = split_layer(layer, split)
    if producer is None or split.nodes == 1:
        return tuple(0 for _ in parts)
    if producer_split is None or producer_split.nodes != split.nodes:
        raise StationaryError("a layer and its producer must be split over the same nodes", where=f"layer {layer.name}",
                              field="split", value=f"{split} after {producer_split}")
    held = split_layer(producer, producer_split)
    out = []
    for part in parts:
        need = needed(layer, part)
        out.append(need.words - local_words(layer, need, producer, held[part.node]))
    return tuple(out)
