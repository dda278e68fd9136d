"""OverFeat, the "fast" model (Sermanet et al., ICLR 2014, Table 1): a 231x231 input, five CONV and three FC layers.

>>> net = build()
>>> [layer.E for layer in net.conv_layers], net["FC6"].C
([56, 24, 12, 12, 12], 36864)
"""
from __future__ import annotations

from stationary.workload.builders import conv, fc
from stationary.workload.network import Network


def build(batch: int = 1) -> Network:
    layers = (
        conv("CONV1", 96, 3, 231, 11, stride=4, batch=batch),   # -> 56, max-pool 2/2 -> 28
        conv("CONV2", 256, 96, 28, 5, batch=batch),              # -> 24, pool -> 12
        conv("CONV3", 512, 256, 12, 3, pad=1, batch=batch),
        conv("CONV4", 1024, 512, 12, 3, pad=1, batch=batch),
        conv("CONV5", 1024, 1024, 12, 3, pad=1, batch=batch),    # pool -> 6
        fc("FC6", 3072, 1024 * 6 * 6, batch=batch),
        fc("FC7", 4096, 3072, batch=batch),
        fc("FC8", 1000, 4096, batch=batch),
    )
    return Network("overfeat-fast", layers, input_shape=(3, 231, 231))
