"""Fast convolution algorithms as workload rewrites: a layer becomes the operations that actually run.

im2col (the Toeplitz lowering), Winograd F(m x m, r x r) with exactly generated transforms, FFT convolution
with Gauss's 3M complex products, Strassen on the lowered GEMMs: each executes on real tensors
(:func:`execute`), is counted exactly from the shape (:func:`plan`), measured for error against float64
direct in float64/32/16 and 16-bit fixed point, priced with Horowitz's 45 nm table, and rewritten into the
GEMMs an accelerator maps (:func:`rewrite`). Nothing below this package knows about algorithms.

>>> from stationary.workload import zoo
>>> p = plan(zoo.get("alexnet")["CONV1"], "im2col")
>>> str(p.gemms[0]), round(p.expansion, 2)      # (3 x 11 x 11) x 3,025 lowered / 3 x 227 x 227 input
('96x363 @ 363x3025', 7.1)
"""
from stationary.algo.counts import GemmShape, OpCounts
from stationary.algo.energy import OpEnergy, price
from stationary.algo.error import ErrorStats, measure
from stationary.algo.network import AlgoLayerResult, AlgoNetworkResult, run_network
from stationary.algo.numeric import PRECISIONS, Precision
from stationary.algo.plan import AlgoPlan, execute, plan
from stationary.algo.rewrite import rewrite, rewrite_network
from stationary.algo.spec import Algorithm, Method, parse_algorithm

__all__ = ["GemmShape", "OpCounts", "OpEnergy", "price", "ErrorStats", "measure", "AlgoLayerResult",
           "AlgoNetworkResult", "run_network", "PRECISIONS", "Precision", "AlgoPlan", "execute", "plan", "rewrite",
           "rewrite_network", "Algorithm", "Method", "parse_algorithm"]
