"""The model zoo: the shapes of popular DNNs, built from their papers (no weights).

``get(name, batch)`` returns a :class:`~stationary.workload.network.Network`. BERT's sequence length goes in
the name: ``bert-base-encoder:512`` (``bert-base-encoder`` alone means 128 tokens).

>>> NAMES[:3]
('lenet5', 'alexnet', 'alexnet-ungrouped')
>>> get("alexnet", batch=4)["CONV1"].N, get("bert-base-encoder:64")["attn_scores"].M
(4, 768)
"""
from __future__ import annotations

from typing import Callable

from stationary.core import StationaryError
from stationary.workload.network import Network
from stationary.workload.zoo import alexnet, bert, googlenet, lenet5, mobilenet_v1, overfeat, resnet50, vgg16

_BUILDERS: dict[str, Callable[[int], Network]] = {
    "lenet5": lenet5.build,
    "alexnet": alexnet.build,
    "alexnet-ungrouped": lambda batch: alexnet.build(batch, grouped=False),
    "overfeat-fast": overfeat.build,
    "vgg16": vgg16.build,
    "googlenet": googlenet.build,
    "resnet50": resnet50.build,
    "mobilenet-v1": mobilenet_v1.build,
    "bert-base-encoder": bert.build,
}
NAMES: tuple[str, ...] = tuple(_BUILDERS)
# the networks of the talk's "Summary of Popular DNNs" table, in its order
TALK_TABLE: tuple[str, ...] = ("lenet5", "alexnet", "vgg16", "googlenet", "resnet50")


def is_zoo_name(spec: str) -> bool:
    """Whether ``spec`` names a zoo network (a ``:N`` suffix is allowed on BERT only).

    >>> is_zoo_name("ResNet50"), is_zoo_name("bert-base-encoder:256"), is_zoo_name("net.yaml")
    (True, True, False)
    """
    base, _, _ = str(spec).strip().lower().partition(":")
    return base in _BUILDERS


def get(name: str, batch: int = 1) -> Network:
    """The zoo network ``name`` (case-insensitive) with batch size ``batch``."""
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        raise StationaryError("batch must be a positive integer", field="batch", value=batch)
    base, colon, suffix = str(name).strip().lower().partition(":")
    if base not in _BUILDERS:
        raise StationaryError(f"unknown network (the zoo has {', '.join(NAMES)})", field="network", value=name)
    if not colon:
        return _BUILDERS[base](batch)
    if base != "bert-base-encoder":
        raise StationaryError("only bert-base-encoder takes a ':N' suffix (its sequence length)",
                              field="network", value=name)
    if not suffix.isdigit() or int(suffix) < 1:
        raise StationaryError("the sequence length after ':' must be a positive integer",
                              field="network", value=name)
    return bert.build(batch, seq_len=int(suffix))
