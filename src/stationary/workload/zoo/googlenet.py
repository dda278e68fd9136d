"""GoogLeNet v1 (Szegedy et al., CVPR 2015, Table 1) for inference: the auxiliary classifiers are left out.

The layers are the paper's. The map sizes depend on how the 3x3, stride-2 max-pools round: the paper (and
Caffe, rounding up) has 56, 28, 14, 7; pools that round down (no padding, PyTorch's default) give 55, 27, 13, 6.
The talk's table (1.43G MACs) counts the second: it is the default here, so that ``stationary zoo`` reproduces
the talk; ``build(paper_sizes=True)`` gives the paper's sizes (1.58G MACs). See docs/workload.md.

Each inception module has four branches (1x1; 1x1 reduce -> 3x3; 1x1 reduce -> 5x5; 3x3 max-pool -> 1x1
projection) that all read the module's input: the four branch outputs of the previous module, concatenated
along channels. ``Network.inputs`` records that. Layer names are the Caffe model's.

>>> net = build()
>>> net.predecessors("inception_3b/1x1")
('inception_3a/1x1', 'inception_3a/3x3', 'inception_3a/5x5', 'inception_3a/pool_proj')
>>> len(net.conv_layers), net["inception_5b/3x3"].E
(57, 6)
>>> build(paper_sizes=True)["inception_5b/3x3"].E
7
"""
from __future__ import annotations

from stationary.workload.builders import conv, fc
from stationary.workload.network import Network
from stationary.workload.zoo._graph import Graph

# (module, 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool projection); a 3x3/2 max-pool precedes 3a, 4a and 5a
INCEPTIONS = (
    ("3a", 64, 96, 128, 16, 32, 32), ("3b", 128, 128, 192, 32, 96, 64),
    ("4a", 192, 96, 208, 16, 48, 64), ("4b", 160, 112, 224, 24, 64, 64),
    ("4c", 128, 128, 256, 24, 64, 64), ("4d", 112, 144, 288, 32, 64, 64),
    ("4e", 256, 160, 320, 32, 128, 128),
    ("5a", 256, 160, 320, 32, 128, 128), ("5b", 384, 192, 384, 48, 128, 128),
)


def build(batch: int = 1, paper_sizes: bool = False) -> Network:
    def pool(size: int) -> int:  # 3x3 max-pool, stride 2
        return (size - 3 + (1 if paper_sizes else 0)) // 2 + 1

    g = Graph()
    conv1 = conv("conv1/7x7_s2", 64, 3, 224, 7, stride=2, pad=3, floor=True, batch=batch)
    g.add(conv1)
    size = pool(conv1.E)
    g.add(conv("conv2/3x3_reduce", 64, 64, size, 1, batch=batch))
    feeds = (g.add(conv("conv2/3x3", 192, 64, size, 3, pad=1, batch=batch)),)
    channels = 192
    for name, n1, r3, n3, r5, n5, proj in INCEPTIONS:
        if name.endswith("a"):
            size = pool(size)
        p = f"inception_{name}/"
        branches = (
            g.add(conv(p + "1x1", n1, channels, size, 1, batch=batch), feeds),
            _reduce_then(g, p + "3x3", r3, n3, channels, size, 3, feeds, batch),
            _reduce_then(g, p + "5x5", r5, n5, channels, size, 5, feeds, batch),
            g.add(conv(p + "pool_proj", proj, channels, size, 1, batch=batch), feeds),
        )
        feeds, channels = branches, n1 + n3 + n5 + proj
    g.add(fc("loss3/classifier", 1000, channels, batch=batch), feeds)                  # after a global avg-pool
    return g.network("googlenet", (3, 224, 224))


def _reduce_then(g: Graph, name: str, reduce: int, filters: int, channels: int, size: int, kernel: int,
                 feeds: tuple[str, ...], batch: int) -> str:
    g.add(conv(name + "_reduce", reduce, channels, size, 1, batch=batch), feeds)
    return g.add(conv(name, filters, reduce, size, kernel, pad=kernel // 2, batch=batch))
