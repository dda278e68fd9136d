"""The roofline model (Williams, Waterman & Patterson, CACM 2009) of a layer under an algorithm.

* ``flops``: every operation the algorithm executes (its exact multiplications and additions, transforms
  included: :mod:`stationary.algo.counts`).
* ``bytes``: compulsory traffic: the input, weights and output each cross the memory interface once, and
  the algorithm's extra words (lowered matrix, transformed tiles and filters) are written once and read once;
  words are the precision's width.
* ``attainable = min(peak, intensity x bandwidth)``; ``predicted time = flops / attainable``.

>>> from stationary.workload import conv
>>> from stationary.algo.plan import plan
>>> from stationary.roofline.devices import device
>>> pt = point(plan(conv("c", 64, 64, 56, 3, pad=1), "im2col"), device("gp100"))
>>> pt.flops, pt.bytes                  # 2 MACs - outputs; 4 x (input + weights + output + 2 x lowered)
(231010304, 16203776)
>>> round(pt.intensity, 1), pt.bound     # GP100's float32 ridge is 10,600 / 732 = 14.5 FLOP/byte
(14.3, 'memory')
"""
from __future__ import annotations

from dataclasses import dataclass

from stationary.algo.numeric import Precision
from stationary.algo.plan import AlgoPlan
from stationary.roofline.devices import Device


@dataclass(frozen=True, slots=True)
class RooflinePoint:
    layer: str
    flops: int
    bytes: int
    attainable_gflops: float
    predicted_ms: float
    bound: str                              # "memory" or "compute"
    measured_gflops: float | None = None    # host only: the layer's GEMM timed with numpy's BLAS
    measured_ms: float | None = None
    measured_on: str = ""                   # the GEMM (or crop of it) that was timed
    torch_gflops: float | None = None       # host only: torch's CPU convolution on the layer, where installed

    @property
    def intensity(self) -> float:
        return self.flops / self.bytes


def traffic_words(p: AlgoPlan) -> int:
    layer = p.layer
    counts = p.counts if p.applicable else p.direct
    return layer.ifmap_words + layer.weights + layer.ofmap_words + 2 * counts.extra_words


def point(p: AlgoPlan, device: Device, precision: Precision = Precision.FLOAT32) -> RooflinePoint:
    """The layer's place under ``device``'s roofline (direct counts where the algorithm does not apply)."""
    precision = Precision.parse(precision)
    counts = p.counts if p.applicable else p.direct
    flops, nbytes = counts.total_operations, traffic_words(p) * precision.bits // 8
    peak, slope = device.peak(precision), device.bandwidth_gbs * flops / nbytes
    attainable = min(peak, slope)
    return RooflinePoint(p.layer.name, flops, nbytes, attainable, flops / attainable / 1e6,
                         "compute" if peak <= slope else "memory")
