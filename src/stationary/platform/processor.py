"""A CPU or GPU under techniques: ``stationary roofline``'s prediction per layer, and energy as the device's rated
power over that time (``tdp_w`` in ``data/roofline/devices.yaml``, each with its source: an upper bound, the
device held at its rated power for the layers' duration; a roofline says nothing finer).

* algorithm: the roofline of that lowering (its FLOPs and bytes); the baseline is im2col (a GEMM library's path).
* precision: the device's float16 rate where the technique asks 16 bits or fewer and the device has one; an
  integer rate is not in the presets, so ``int8`` runs as float16 there and the row says so.
* pruning: dense GEMM kernels do not skip zeros (unstructured sparsity), so time and energy are unchanged; the
  accuracy is the pruned network's.
* sensor (ASP): the first layer is gone from the device; the front end's energy replaces the imager's.
"""
from __future__ import annotations

from stationary.platform.accelerator import prepare
from stationary.platform.result import PlatformResult
from stationary.platform.spec import Platform, Technique
from stationary.workload.network import Network


def run(network: Network, platform: Platform, techniques: tuple[Technique, ...], trained=None, *,
        budget_s: float = 3.0) -> PlatformResult:
    from stationary import api
    from stationary.platform import trained as real
    p = prepare(network, techniques, trained)
    alg, bits_t, prune, sensor, executed = p.algorithm, p.precision, p.pruning, p.front, p.executed
    notes = []
    precision = "float32"
    if bits_t is not None:
        precision = "float16"
        notes.append(f"{bits_t} runs at the device's float16 rate (no integer rate in the presets)")
    if prune is not None:
        notes.append("dense GEMM kernels do not skip pruned zeros: time and energy as unpruned")
    result = api.roofline(executed, platform.target, str(alg) if alg else "im2col", precision=precision,
                          budget_s=budget_s)
    seconds = (result.measured_ms or result.predicted_ms) / 1e3 if platform.target == "host" else \
        result.predicted_ms / 1e3
    tdp = result.device.tdp_w
    components = {} if tdp is None else {"device (rated power x time)": tdp * seconds * 1e12,
                                         "sensor": sensor.energy_pj}
    notes.append(f"{result.device.name}: {result.device.source}; "
                 + (f"rated power {tdp:g} W: {result.device.tdp_source}" if tdp else "no rated power: energy unknown"))
    return PlatformResult(platform.name, platform.kind.value, tuple(str(t) for t in techniques), network.name,
                          macs=executed.macs, energy_pj=sum(components.values()) if components else None,
                          energy_by_component_pj=components, latency_ms=seconds * 1e3,
                          dram_bytes=float(result.bytes),
                          accuracy=real.accuracy(trained, p.model, None if bits_t is None else 16)
                          if trained is not None else None,
                          source=f"stationary roofline --device {platform.target} --method {alg or 'im2col'}"
                                 f" --precision {precision}", notes=tuple(notes))
