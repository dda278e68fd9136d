"""LeNet-5 (LeCun et al., Proc. IEEE 1998) on a 28x28 MNIST digit padded to 32x32, as the talk's table lists it.

C3 is connected to all six C1 maps (as in current re-implementations; LeCun's sparse table has 1,500 of the
2,400 weights). C5's 5x5 filters cover the whole 5x5 map, so it is a fully connected layer here, as are F6 and
the 10-way output. Sub-sampling layers hold no MACs and are not layers here.

>>> net = build()
>>> [layer.E for layer in net.conv_layers], net.fc_layers[0].C
([28, 10], 400)
"""
from __future__ import annotations

from stationary.workload.builders import conv, fc
from stationary.workload.network import Network


def build(batch: int = 1) -> Network:
    layers = (
        conv("C1", 6, 1, 28, 5, pad=2, batch=batch),   # 32x32 after padding -> 28x28, pooled to 14x14
        conv("C3", 16, 6, 14, 5, batch=batch),         # -> 10x10, pooled to 5x5
        fc("C5", 120, 16 * 5 * 5, batch=batch),
        fc("F6", 84, 120, batch=batch),
        fc("OUTPUT", 10, 84, batch=batch),
    )
    return Network("lenet5", layers, input_shape=(1, 28, 28))
