"""A network on a CPU or GPU under an algorithm: every layer a point under the device's roofline, and on
``host`` each layer's GEMMs (and torch's convolution) measured, within a bounded time budget.

>>> from stationary.workload import zoo
>>> r = roofline_network(zoo.get("alexnet"), "gp100", "im2col")
>>> [pt.bound for pt in r.points][:2], round(r.predicted_ms, 2)
(['compute', 'compute'], 0.45)
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from stationary.algo.numeric import Precision
from stationary.algo.plan import plan
from stationary.algo.spec import Algorithm, parse_algorithm
from stationary.roofline.devices import Device, device as preset
from stationary.roofline.host import HostMeasurement, measure_host, time_gemm, time_torch_conv
from stationary.roofline.model import RooflinePoint, point
from stationary.workload.network import Network


@dataclass(frozen=True, slots=True)
class RooflineResult:
    network: str
    algorithm: Algorithm
    precision: Precision
    device: Device
    points: tuple[RooflinePoint, ...]
    host: HostMeasurement | None = None

    @property
    def flops(self) -> int:
        return sum(p.flops for p in self.points)

    @property
    def bytes(self) -> int:
        return sum(p.bytes for p in self.points)

    @property
    def predicted_ms(self) -> float:
        return sum(p.predicted_ms for p in self.points)

    @property
    def measured_ms(self) -> float | None:
        if any(p.measured_ms is None for p in self.points):
            return None
        return sum(p.measured_ms for p in self.points)


def roofline_network(network: Network, device: "str | Device", algorithm: "Algorithm | str" = "im2col", *,
                     precision: Precision = Precision.FLOAT32, budget_s: float = 3.0, torch: bool = True,
                     progress: bool = False) -> RooflineResult:
    """Place every layer of ``network`` under ``device``'s roofline; ``device="host"`` measures this machine
    (peak, bandwidth, then the layers' GEMMs and torch convolutions in about ``budget_s`` seconds)."""
    a, precision = parse_algorithm(algorithm), Precision.parse(precision)
    plans = [plan(layer, a) for layer in network.layers]
    if not (isinstance(device, str) and device.strip().lower() == "host"):
        dev = device if isinstance(device, Device) else preset(device)
        return RooflineResult(network.name, a, precision, dev, tuple(point(p, dev, precision) for p in plans))
    host = measure_host(seconds=min(0.3, budget_s / 10))
    peak = host.peak_gflops_float32
    shapes = list(dict.fromkeys(g for p in plans for g in p.gemms))
    convs = list(dict.fromkeys(replace(p.layer, name="") for p in plans)) if torch else []
    share = max(0.02, budget_s * 0.8 / max(1, len(shapes) + len(convs)))
    jobs = [("gemm", g) for g in shapes] + [("torch", c) for c in convs]
    if progress:
        from tqdm import tqdm
        jobs = tqdm(jobs, desc=f"timing {network.name} on this machine", unit="run")
    timed, torched = {}, {}
    for kind, item in jobs:
        if kind == "gemm":
            timed[item] = time_gemm(item, share, peak)
            host = host.with_gemm(timed[item][0], timed[item][2])
        else:
            torched[item] = time_torch_conv(item, share, peak)
    dev = host.device()
    points = []
    for p in plans:
        pt = point(p, dev, precision)
        if p.gemms:
            ms = sum(timed[g][1] for g in p.gemms)
            pt = replace(pt, measured_ms=ms, measured_gflops=sum(g.flops for g in p.gemms) / ms / 1e6,
                         measured_on="; ".join(timed[g][2] for g in p.gemms))
        key = replace(p.layer, name="")
        if key in torched:
            pt = replace(pt, torch_gflops=torched[key])
        points.append(pt)
    return RooflineResult(network.name, a, precision, dev, tuple(points), host)
