"""A digital spatial accelerator under techniques: the mapper and the model, then the same pricing rules as
``stationary prune``/``quantize`` (``stationary.pruning.energy.price``: densities and bit widths scale the counts).

* algorithm: the layer is rewritten into the GEMMs it runs (``evaluate --algorithm``); its transforms and the
  words it stores besides are priced as ``stationary algo`` prices them (Horowitz 45 nm, a 1 MB SRAM buffer).
  Winograd's and FFT's transformed weights and inputs are dense even where the originals are not (the transform
  mixes every tap), so pruning's zeros are lost under them; im2col keeps them.
* precision: every word and MAC at the technique's width (the arch's word otherwise).
* pruning: on a trained network its magnitude-pruned weights (measured densities); else published per-layer
  densities (:data:`PUBLISHED_DENSITY`).
* sensor (ASP): the first layer is computed optically and disappears from the accelerator; the front end's own
  energy replaces the 8-bit imager's (both from ``stationary.sensor``).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from stationary.platform.result import PlatformResult
from stationary.platform.spec import Platform, Technique, TechniqueKind
from stationary.workload.network import Network

# Han, Pool, Tran, Dally, "Learning both Weights and Connections for Efficient Neural Networks", NIPS 2015,
# Table 4: AlexNet's weights remaining after pruning, per layer (published).
PUBLISHED_DENSITY = {"alexnet": {"CONV1": 0.84, "CONV2": 0.38, "CONV3": 0.35, "CONV4": 0.37, "CONV5": 0.37,
                                 "FC6": 0.09, "FC7": 0.09, "FC8": 0.25}}
_EVALUATED: dict = {}
PUBLISHED_DENSITY_SOURCE = "Han et al., NIPS 2015, Table 4 (AlexNet, weights remaining per layer)"


def technique(techniques: tuple[Technique, ...], kind: TechniqueKind) -> Technique | None:
    return next((t for t in techniques if t.kind is kind), None)


def _mapped(network: Network, target: str, arch, jobs: int):
    """The mapper and the model over ``network``: (per-layer results, latency ms, area mm2 or None), remembered,
    since precision, pruning and the sensor reprice a mapping and never change it. ``eyeriss`` is
    ``stationary evaluate``; a technology design is ``stationary tech`` (split over its nodes, weights resident
    where they fit)."""
    from stationary import api
    key = (network.layers, target)
    if key not in _EVALUATED:
        if target == "eyeriss":
            r = api.evaluate(network, arch, dataflow="rs", objective="energy", jobs=jobs)
            _EVALUATED[key] = (r.layers, sum(x.latency.latency_ms for x in r.layers), None)
        else:
            d = api.evaluate_design(network, target, dataflow="rs", objective="energy", jobs=jobs)
            _EVALUATED[key] = (d.result.layers, d.latency_ms, d.area_mm2)
    return _EVALUATED[key]


def arch_for(target: str):
    """The platform's arch in pJ: ``eyeriss`` with the chip's 65 nm table, a technology design, or a file."""
    from stationary import api
    if target == "eyeriss":
        from stationary.arch.presets import preset
        from stationary.chip.figures import pj_arch
        return pj_arch(preset("eyeriss"))
    return api.load_design(target)


def _origin_data(network: Network, trained, prune: Technique | None, model):
    """Per original layer name, what the energy rules need (measured on real data, or dense/published)."""
    from stationary.pruning.energy import dense_data, layer_data
    if trained is not None:
        return {d.layer: d for d in layer_data(model, trained.energy_inputs)}
    published = PUBLISHED_DENSITY.get(network.name, {}) if prune else {}
    return {layer.name: dense_data(layer.with_batch(1), weight_density=published.get(layer.name, 1.0))
            for layer in network.layers}


def _data_for(layer, origin, method: str | None):
    """The rewritten layer's data: im2col keeps the original densities; a transform (Winograd, FFT) makes the
    weights and inputs it multiplies dense."""
    from stationary.pruning.energy import LayerData, dense_data
    if method is None or origin.layer == layer.name:
        return origin
    if method in ("winograd", "fft"):
        return dense_data(layer)
    weights = dense_data(layer).weights
    return LayerData(layer.name, weights, round(weights * origin.weight_density), origin.ifmap_density,
                     origin.ofmap_density, layer.macs, layer.macs * origin.mac_density)


def front_end(network: Network, asp: bool, trained):
    """The sensor in front of the network: an 8-bit imager of the input frame, or angle-sensitive pixels
    (their kept fraction measured on the network's own test images, or on the bundled photographs)."""
    from stationary.sensor import frontend
    layer = network.layers[0]
    if not asp:
        return frontend.imager(layer.H, layer.W)
    from stationary.sensor.asp import AspParams, asp_sensor, kept_fraction, natural_images
    params = AspParams()
    images = [x[0] for x in trained.energy_inputs] if trained is not None else natural_images()
    return asp_sensor(layer.H, layer.W, params, kept_fraction(images, params), layer.name)


@dataclass(frozen=True, slots=True)
class Prepared:
    """What every platform needs of a technique set: the techniques by kind, the sensor in front, the network that
    runs after it (batch 1), and the real model whose accuracy and densities count (None without weights)."""
    algorithm: Technique | None
    precision: Technique | None
    pruning: Technique | None
    sensor: Technique | None
    front: object                  # stationary.sensor.frontend.FrontEnd
    network: Network               # the whole network at batch 1
    executed: Network              # what runs on the platform (the ASP's layer gone)
    model: object = None           # stationary.infer.Model


def prepare(network: Network, techniques: tuple[Technique, ...], trained=None) -> Prepared:
    from stationary import api
    from stationary.platform import trained as real
    asp, prune = technique(techniques, TechniqueKind.SENSOR), technique(techniques, TechniqueKind.PRUNING)
    net = network.with_batch(1)
    front = front_end(net, asp is not None, trained)
    model = None
    if trained is not None:
        model = real.asp_model(trained) if asp else real.pruned(trained, prune.sparsity) if prune else trained.model
    return Prepared(technique(techniques, TechniqueKind.ALGORITHM), technique(techniques, TechniqueKind.PRECISION),
                    prune, asp, front, net, api.sensor_network(net, front) if asp else net, model)


def run(network: Network, platform: Platform, techniques: tuple[Technique, ...], trained=None, *,
        jobs: int = 1) -> PlatformResult:
    """``network`` (batch 1) on the accelerator ``platform.target`` under ``techniques``; energies in pJ."""
    from stationary.algo.rewrite import rewrite_network
    from stationary.platform import trained as real
    from stationary.pruning.energy import price
    p = prepare(network, techniques, trained)
    alg, prune, sensor, executed, model = p.algorithm, p.pruning, p.front, p.executed, p.model
    arch = arch_for(platform.target)
    bits = p.precision.bits if p.precision else arch.word_bits
    origin = _origin_data(p.network, trained, prune, model)
    mapped = rewrite_network(executed, str(alg)) if alg else executed
    layers, latency_ms, area_mm2 = _mapped(mapped, platform.target, arch, jobs)
    method = str(alg).split(":")[0] if alg else None
    components: dict[str, float] = {}
    dram_bits = 0.0
    for r in layers:
        priced = price(r, _data_for(r.layer, origin[r.layer.name.split("/")[0]], method), weight_bits=bits,
                       act_bits=bits)
        components["compute"] = components.get("compute", 0.0) + priced.computation
        for level, e in priced.data_movement.items():
            components[level] = components.get(level, 0.0) + e
        dram_bits += priced.dram_bits
    notes = [f"arch {arch.name}: {arch.source}"]
    if alg:
        extra = _transform_pj(executed, str(alg), bits)
        components["transforms"] = extra
        notes.append("transforms and extra words priced as `stationary algo` prices them (Horowitz 45 nm)")
    components["sensor"] = sensor.energy_pj
    if prune and trained is None:
        notes.append(f"pruned densities: {PUBLISHED_DENSITY_SOURCE}")
    accuracy = real.accuracy(trained, model, bits) if trained is not None else None
    return PlatformResult(platform.name, platform.kind.value, tuple(str(t) for t in techniques), network.name,
                          macs=executed.macs, energy_pj=sum(components.values()),
                          energy_by_component_pj=components, latency_ms=latency_ms, area_mm2=area_mm2,
                          dram_bytes=dram_bits / 8, accuracy=accuracy,
                          source=(f"stationary evaluate --arch {platform.target} --dataflow rs --objective energy"
                                  if platform.target == "eyeriss" else f"stationary tech --designs {platform.target}"
                                  " --objective energy") + (f", the network rewritten by `--algorithm {alg}`"
                                                             if alg else "") + "; priced by stationary.pruning.energy",
                          notes=tuple(notes))


def _transform_pj(network: Network, algorithm: str, bits: int) -> float:
    """The algorithm's transform operations and extra stored words over the network, in pJ."""
    from stationary.algo.counts import OpCounts
    from stationary.algo.energy import price
    from stationary.algo.numeric import Precision
    from stationary.algo.plan import plan
    total = OpCounts(0, 0)
    for layer in network.layers:
        p = plan(layer, algorithm)
        if p.applicable and p.counts is not None:
            total = total + dataclasses.replace(p.counts, multiplications=0, additions=0)
    return price(total, Precision.FIXED16).total_pj   # the table's fixed-point costs (16-bit; narrower not tabulated)
