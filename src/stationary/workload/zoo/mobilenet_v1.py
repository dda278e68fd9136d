"""MobileNet-v1 1.0/224 (Howard et al., 2017, Table 1): a 3x3 CONV, 13 depthwise-separable blocks, one FC.

Stride-2 layers use TensorFlow's "same" padding, which rounds the output down here.

>>> net = build()
>>> net["conv_dw_2"].is_depthwise, net["conv_dw_2"].E, net["conv_pw_13"].M
(True, 56, 1024)
"""
from __future__ import annotations

from stationary.workload.builders import conv, depthwise, fc, pointwise
from stationary.workload.network import Network

# (output channels of the pointwise layer, stride of the depthwise layer) for blocks 1..13
BLOCKS = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
          (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1))


def build(batch: int = 1) -> Network:
    layers = [conv("conv1", 32, 3, 224, 3, stride=2, pad=1, floor=True, batch=batch)]
    channels, size = 32, 112
    for i, (out, stride) in enumerate(BLOCKS, start=1):
        layers.append(depthwise(f"conv_dw_{i}", channels, size, 3, stride=stride, pad=1, floor=True, batch=batch))
        size = layers[-1].E
        layers.append(pointwise(f"conv_pw_{i}", out, channels, size, batch=batch))
        channels = out
    layers.append(fc("fc", 1000, channels, batch=batch))                                 # after a 7x7 avg-pool
    return Network("mobilenet-v1", tuple(layers), input_shape=(3, 224, 224))
