"""AlexNet (Krizhevsky et al., NIPS 2012) as Eyeriss uses it: a 227x227 input, CONV2, CONV4 and CONV5 in two groups.

The ungrouped variant (one GPU's worth of channels joined) has the same layers with every channel connected.

>>> net = build()
>>> [(layer.name, layer.C, layer.G, layer.E) for layer in net.conv_layers][1]
('CONV2', 48, 2, 27)
>>> build(grouped=False)["CONV2"].C
96
"""
from __future__ import annotations

from stationary.workload.builders import conv, fc
from stationary.workload.network import Network


def build(batch: int = 1, grouped: bool = True) -> Network:
    g = 2 if grouped else 1
    layers = (
        conv("CONV1", 96, 3, 227, 11, stride=4, batch=batch),      # -> 55, max-pool 3/2 -> 27
        conv("CONV2", 256, 96 // g, 27, 5, pad=2, groups=g, batch=batch),   # -> 27, pool -> 13
        conv("CONV3", 384, 256, 13, 3, pad=1, batch=batch),
        conv("CONV4", 384, 384 // g, 13, 3, pad=1, groups=g, batch=batch),
        conv("CONV5", 256, 384 // g, 13, 3, pad=1, groups=g, batch=batch),  # pool -> 6
        fc("FC6", 4096, 256 * 6 * 6, batch=batch),
        fc("FC7", 4096, 4096, batch=batch),
        fc("FC8", 1000, 4096, batch=batch),
    )
    return Network("alexnet" if grouped else "alexnet-ungrouped", layers, input_shape=(3, 227, 227))
