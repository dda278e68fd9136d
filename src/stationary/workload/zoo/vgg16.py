"""VGG-16 (Simonyan & Zisserman, ICLR 2015, configuration D): thirteen 3x3 CONV layers and three FC layers.

>>> net = build()
>>> len(net.conv_layers), net["conv5_3"].E, net["fc6"].C
(13, 14, 25088)
"""
from __future__ import annotations

from stationary.workload.builders import conv, fc
from stationary.workload.network import Network

# (stage, filters, convolutions); every stage ends in a 2x2 max-pool that halves the map
STAGES = ((1, 64, 2), (2, 128, 2), (3, 256, 3), (4, 512, 3), (5, 512, 3))


def build(batch: int = 1) -> Network:
    layers, channels, size = [], 3, 224
    for stage, filters, count in STAGES:
        for i in range(1, count + 1):
            layers.append(conv(f"conv{stage}_{i}", filters, channels, size, 3, pad=1, batch=batch))
            channels = filters
        size //= 2
    layers += [fc("fc6", 4096, channels * size * size, batch=batch), fc("fc7", 4096, 4096, batch=batch),
               fc("fc8", 1000, 4096, batch=batch)]
    return Network("vgg16", tuple(layers), input_shape=(3, 224, 224))
