"""An algorithm as a workload rewrite: the layer becomes the batched GEMMs it actually runs, which the
accelerator model maps and evaluates like any other layer (a stage before mapping, not a second path).

im2col is one GEMM per group; Winograd's elementwise stage is ``n^2`` GEMMs per group (one per
transform-domain position); FFT's spectral products are 3 (3M) or 4 real GEMMs per frequency bin and
group; Strassen's are its ``7^d`` block products. A GEMM of ``count`` products ``m x k`` by ``k x n`` is a
MATMUL layer with ``count`` heads, ``n`` tokens, ``k`` inputs and ``m`` outputs. The transforms (and
Strassen's block sums) are not GEMMs and are left to the host; their counts are in the algorithm's plan.
A layer the algorithm does not apply to stays as it is.

>>> from stationary.workload import conv
>>> [(l.name, l.macs) for l in rewrite(conv("c", 64, 64, 56, 3, pad=1), "winograd:2,3")]      # 64 x 64 x 56^2 x 9 / 2.25
[('c/winograd', 51380224)]
>>> rewrite(conv("c", 8, 8, 15, 3, stride=2, pad=1), "winograd:2,3")[0].name
'c'
"""
from __future__ import annotations

from stationary.algo.plan import AlgoPlan, plan
from stationary.algo.spec import Algorithm, Method
from stationary.workload.builders import matmul
from stationary.workload.layer import Layer
from stationary.workload.network import Network


def rewritten(p: AlgoPlan) -> tuple[Layer, ...]:
    """The layers a plan runs: its GEMMs, or the layer itself (direct, or the algorithm does not apply)."""
    if not p.applicable or p.algorithm.method is Method.DIRECT:
        return (p.layer,)
    tag = p.algorithm.method.value
    return tuple(matmul(f"{p.layer.name}/{tag}" + (f"{i}" if len(p.gemms) > 1 else ""), tokens=g.n, d_in=g.k,
                        d_out=g.m, heads=g.count) for i, g in enumerate(p.gemms))


def rewrite(layer: Layer, algorithm: "Algorithm | str") -> tuple[Layer, ...]:
    return rewritten(plan(layer, algorithm))


def rewrite_network(network: Network, algorithm: "Algorithm | str") -> Network:
    """Every layer rewritten (the branch structure is not kept: the result is a list of GEMMs to map)."""
    layers = tuple(new for layer in network.layers for new in rewrite(layer, algorithm))
    return Network(network.name, layers, input_shape=network.input_shape)
