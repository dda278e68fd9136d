"""The talk's "Summary of Popular DNNs" for any network: layer counts, shape ranges, weights and MACs.

``conv_layers`` counts every CONV layer; ``conv_depth`` counts them along the longest path through the
branches (``Network.inputs``), which is how the talk counts GoogLeNet ("21 (depth)") and ResNet-50 (49: its
four projection shortcuts are not on the longest path). Weights and MACs are per kind at the network's batch
(``summarize`` of a zoo network: batch 1). A matmul layer's "weights" are its second operand, which for
attention products is an activation (K or V), not a trained weight.

>>> from stationary.workload import zoo
>>> s = summarize(zoo.get("resnet50"))
>>> s.conv_layers, s.conv_depth, s.filter_sizes, s.strides, s.fc_layers
(53, 49, (1, 3, 7), (1, 2), 1)
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from stationary.workload.layer import Layer, LayerKind
from stationary.workload.network import Network


@dataclass(frozen=True, slots=True)
class NetworkSummary:
    network: str
    input_shape: tuple[int, int, int] | None   # (C, H, W)
    conv_layers: int
    conv_depth: int
    filter_sizes: tuple[int | str, ...]       # R, or "RxS" where the filter is not square
    channels: tuple[int, ...]                 # distinct C (per group) of the CONV layers
    filters: tuple[int, ...]                  # distinct M of the CONV layers
    strides: tuple[int, ...]
    conv_weights: int
    conv_macs: int
    fc_layers: int
    fc_weights: int
    fc_macs: int
    matmul_layers: int
    matmul_weights: int
    matmul_macs: int
    total_weights: int
    total_macs: int

    def as_dict(self) -> dict:
        """Plain JSON-ready values (lists for tuples)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


def summarize(net: Network) -> NetworkSummary:
    conv = net.select((LayerKind.CONV,))
    fc = net.select((LayerKind.FC,))
    mm = net.select((LayerKind.MATMUL,))
    return NetworkSummary(
        network=net.name, input_shape=net.input_shape,
        conv_layers=len(conv), conv_depth=conv_depth(net),
        filter_sizes=tuple(sorted({_filter(layer) for layer in conv}, key=lambda f: (str(f).count("x"), f))),
        channels=_distinct(layer.C for layer in conv), filters=_distinct(layer.M for layer in conv),
        strides=_distinct(layer.U for layer in conv),
        conv_weights=_weights(conv), conv_macs=_macs(conv),
        fc_layers=len(fc), fc_weights=_weights(fc), fc_macs=_macs(fc),
        matmul_layers=len(mm), matmul_weights=_weights(mm), matmul_macs=_macs(mm),
        total_weights=net.weights, total_macs=net.macs)


def conv_depth(net: Network) -> int:
    """The most CONV layers on any path from the input to the output, following ``Network.inputs``.

    >>> from stationary.workload.builders import conv
    >>> branchy = Network("b", (conv("a", 4, 3, 8, 1), conv("b", 4, 4, 8, 1), conv("c", 4, 4, 8, 1)),
    ...                   inputs=((), (), ("a",)))
    >>> conv_depth(branchy)
    2
    """
    depth: dict[str, int] = {}
    for layer in net.layers:
        before = max((depth[p] for p in net.predecessors(layer.name)), default=0)
        depth[layer.name] = before + (layer.kind is LayerKind.CONV)
    return max(depth.values())


def _filter(layer: Layer) -> int | str:
    return layer.R if layer.R == layer.S else f"{layer.R}x{layer.S}"


def _distinct(values) -> tuple[int, ...]:
    return tuple(sorted(set(values)))


def _weights(layers: tuple[Layer, ...]) -> int:
    return sum(layer.weights for layer in layers)


def _macs(layers: tuple[Layer, ...]) -> int:
    return sum(layer.macs for layer in layers)
