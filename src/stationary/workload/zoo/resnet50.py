"""ResNet-50 (He et al., CVPR 2016, Table 1), the original model: stride 2 on the first 1x1 of a stage.

Every bottleneck block adds its input to the output of its 1x1-3x3-1x1 branch; the first block of each stage
projects its input with a 1x1 convolution (``branch1``). ``Network.inputs`` names the layers whose outputs are
summed into a block's input: the last block's ``branch2c`` and its shortcut, so identity shortcuts show as a
growing list until the next projection. Layer names are the Caffe model's. Stride-2 layers round down.

>>> net = build()
>>> net.predecessors("res2b_branch2a")
('res2a_branch2c', 'res2a_branch1')
>>> len(net.conv_layers), net["res5c_branch2c"].E, net["res3a_branch1"].E
(53, 7, 28)
"""
from __future__ import annotations

from stationary.workload.builders import conv, fc
from stationary.workload.network import Network
from stationary.workload.zoo._graph import Graph

# (stage, bottleneck width, output channels, blocks, stride of the first block)
STAGES = ((2, 64, 256, 3, 1), (3, 128, 512, 4, 2), (4, 256, 1024, 6, 2), (5, 512, 2048, 3, 2))


def build(batch: int = 1) -> Network:
    g = Graph()
    feeds = (g.add(conv("conv1", 64, 3, 224, 7, stride=2, pad=3, floor=True, batch=batch)),)  # 112, pool -> 56
    channels, size = 64, 56
    for stage, width, out, blocks, stride in STAGES:
        for b in range(blocks):
            p, s = f"res{stage}{'abcdef'[b]}_", stride if b == 0 else 1
            shortcut = feeds
            if b == 0:
                shortcut = (g.add(conv(p + "branch1", out, channels, size, 1, stride=s, floor=True, batch=batch),
                                  feeds),)
            first = conv(p + "branch2a", width, channels, size, 1, stride=s, floor=True, batch=batch)
            g.add(first, feeds)
            size = first.E
            g.add(conv(p + "branch2b", width, width, size, 3, pad=1, batch=batch))
            feeds = (g.add(conv(p + "branch2c", out, width, size, 1, batch=batch)),) + shortcut
            channels = out
    g.add(fc("fc1000", 1000, channels, batch=batch), feeds)                                  # after a 7x7 avg-pool
    return g.network("resnet50", (3, 224, 224))
