"""This machine, measured: peak GEMM throughput and STREAM-like bandwidth (numpy), each layer's lowered GEMMs
timed with numpy's BLAS, and torch's CPU convolution where torch is installed. Every measurement is the best
of repeated runs within a time budget (a few seconds in all), so it is bounded on any network.

* peak: a square float32 (and float64) matmul of 768 (2 x 768^3 FLOP), best time; the float32 peak is
  raised to the fastest layer GEMM of the same run where one beats it (a shared machine's short probe can
  land in a busy moment);
* bandwidth: STREAM's "add" kernel ``a = b + c`` on three float64 arrays of 64 MiB (24 bytes per element);
* a layer's GEMM: the plan's batched GEMM at float32; a GEMM too large for its share of the budget is timed
  on fewer products of the batch, then fewer columns, then rows (``measured_on`` says which; operands at most
  16 MiB), its throughput kept; for a memory-bound GEMM copies of the operands (64 MiB in all) are cycled so
  every run reads them from memory;
* torch's conv2d on the layer (float32, the rows cropped to a twelfth of its share at the measured peak).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from stationary.algo.counts import GemmShape
from stationary.algo.numeric import Precision
from stationary.roofline.devices import Device
from stationary.workload.layer import Layer, LayerKind

PEAK_N, STREAM_WORDS = 768, 1 << 23


def best_time(fn, seconds: float, least: int = 2) -> float:
    """The shortest of repeated calls of ``fn`` within ``seconds`` (at least ``least`` calls)."""
    best, start, runs = float("inf"), time.perf_counter(), 0
    while runs < least or time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
        runs += 1
    return best


def measure_peak(dtype=np.float32, n: int = PEAK_N, seconds: float = 0.3) -> float:
    """GFLOP/s of an ``n``-square matmul (BLAS convention 2 n^3)."""
    rng = np.random.default_rng(0)
    a, b = rng.random((n, n)).astype(dtype), rng.random((n, n)).astype(dtype)
    out = np.empty((n, n), dtype)
    return 2 * n ** 3 / best_time(lambda: np.matmul(a, b, out=out), seconds, least=3) / 1e9


def measure_bandwidth(words: int = STREAM_WORDS, seconds: float = 0.3) -> float:
    """GB/s of STREAM's add kernel (two reads and one write of 8-byte words; every page touched first)."""
    b, c, a = np.full(words, 1.0), np.full(words, 2.0), np.zeros(words)
    return 3 * 8 * words / best_time(lambda: np.add(b, c, out=a), seconds, least=4) / 1e9


@dataclass(frozen=True, slots=True)
class HostMeasurement:
    """``peak_gflops_float32`` is the best of the square probe and every layer GEMM timed in the same run
    (``peak_on`` names which): on a shared machine a short probe can land in a busy moment."""
    peak_gflops_float32: float
    peak_gflops_float64: float
    bandwidth_gbs: float
    blas: str
    peak_on: str = f"{PEAK_N}^3 matmul"

    def with_gemm(self, gflops: float, shape: str) -> "HostMeasurement":
        """This measurement, its float32 peak raised to a faster GEMM timed since."""
        if gflops <= self.peak_gflops_float32:
            return self
        return HostMeasurement(gflops, self.peak_gflops_float64, self.bandwidth_gbs, self.blas, shape)

    def device(self) -> Device:
        return Device("host", "this machine", "cpu",
                      ((Precision.FLOAT64, self.peak_gflops_float64), (Precision.FLOAT32, self.peak_gflops_float32)),
                      self.bandwidth_gbs, "measured",
                      f"numpy {np.__version__} ({self.blas}): float32 peak from {self.peak_on}, float64 from a "
                      f"{PEAK_N}^3 matmul, best times; STREAM add on 3 x {STREAM_WORDS * 8 >> 20} MiB float64 "
                      "arrays, best time")


def _blas_name() -> str:
    try:
        info = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{info.get('name', 'BLAS')} {info.get('version', '')}".strip()
    except Exception:   # older numpy: no dict mode
        return "BLAS"


def measure_host(seconds: float = 0.3) -> HostMeasurement:
    """Peak (float32, float64) and bandwidth, ``seconds`` each."""
    return HostMeasurement(measure_peak(np.float32, seconds=seconds), measure_peak(np.float64, seconds=seconds),
                           measure_bandwidth(seconds=seconds), _blas_name())


MAX_OPERAND_WORDS = 1 << 22   # 16 MiB of float32 operands at most per timed GEMM
COLD_BYTES = 64 << 20         # twice this machine's 32 MiB L3 and more than most


def _shrunk(g: GemmShape, flops: float) -> GemmShape:
    """``g`` with fewer products, then fewer columns, then fewer rows, so that one run is about ``flops``
    and its operands fit ``MAX_OPERAND_WORDS``."""
    count, m, n = g.count, g.m, g.n
    per = 2 * m * n * g.k
    count = max(1, min(count, int(flops // per), MAX_OPERAND_WORDS // (m * g.k + g.k * n)))
    if 2 * count * m * n * g.k > flops:
        n = max(1, int(flops // (2 * m * g.k)))
    if m * g.k + g.k * n > MAX_OPERAND_WORDS:
        n = max(1, min(n, MAX_OPERAND_WORDS // (2 * g.k)))
        m = max(1, min(m, (MAX_OPERAND_WORDS - g.k * n) // g.k))
    return GemmShape(m, n, g.k, count)


def _gemm_seconds(g: GemmShape, seconds: float, least: int = 2) -> float:
    """Best time of ``g``; a memory-bound one (under 8 FLOP per operand byte) runs on operands not in cache:
    copies totalling over ``COLD_BYTES`` are cycled, so it is timed from memory as it would run at full size."""
    words = g.count * (g.m * g.k + g.k * g.n)
    bound = g.flops / (4 * words) < 8
    copies = max(1, min(16, -(-COLD_BYTES // (4 * words)))) if bound else 1
    ops = [(np.full((g.count, g.m, g.k), 0.5, np.float32), np.full((g.count, g.k, g.n), 0.25, np.float32))
           for _ in range(copies)]      # the values do not change BLAS's speed
    turn = iter(range(1 << 62))
    return best_time(lambda: np.matmul(*ops[next(turn) % copies]), seconds, least)


def time_gemm(g: GemmShape, budget_s: float, peak_gflops: float) -> tuple[float, float, str]:
    """(GFLOP/s, predicted ms for all of ``g`` at that rate, the shape timed), within about ``budget_s``:
    a probe at a tenth of the budget (at peak) gives the rate that sizes the timed runs."""
    probe = _shrunk(g, budget_s / 10 * peak_gflops * 1e9)
    rate = probe.flops / _gemm_seconds(probe, 0, least=2)
    timed = _shrunk(g, budget_s / 4 * rate)
    gflops = timed.flops / _gemm_seconds(timed, budget_s / 2) / 1e9
    return gflops, g.flops / gflops / 1e6, str(timed)


def time_torch_conv(layer: Layer, budget_s: float, peak_gflops: float) -> float | None:
    """GFLOP/s (2 MACs per FLOP pair) of torch's CPU conv2d on ``layer`` (rows cropped to fit the budget);
    None without torch or for a layer that is not a convolution."""
    if layer.kind is not LayerKind.CONV:
        return None
    try:
        import torch
        import torch.nn.functional as tf
    except ImportError:
        return None
    from dataclasses import replace
    from stationary.core import StationaryError
    from stationary.infer.forward import pad_input
    rows = max(1, min(layer.E, int(budget_s / 12 * peak_gflops * 1e9 / (2 * layer.macs / layer.E))))
    try:
        small = replace(layer, N=1, H=layer.H - (layer.E - rows) * layer.U) if rows < layer.E else layer
    except StationaryError:
        small = layer
    x = pad_input(np.random.default_rng(0).random((small.N, small.G * small.C, small.H, small.W),
                                                  dtype=np.float32), small)
    xt = torch.from_numpy(np.ascontiguousarray(x))
    wt = torch.from_numpy(np.random.default_rng(1).random((small.M, small.C, small.R, small.S), dtype=np.float32))
    with torch.no_grad():
        t = best_time(lambda: tf.conv2d(xt, wt, stride=small.U, dilation=small.dilation, groups=small.G),
                      budget_s / 2)
    return 2 * small.macs / t / 1e9
