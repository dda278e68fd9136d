"""Per-layer bit widths and data densities of a (quantized) model on real inputs, and an energy estimate
from them by the bit-width scaling rule of :mod:`energy`.

``profile(model, inputs)`` is the hook for the energy model and for pruning: it takes a trained model
(and optionally a scheme) and returns, per layer, the weight and activation bit widths, the densities of
the weights, the ifmap and the ofmap, and the MACs (all and non-zero) per input.

``estimate_energy`` is a stand-in until the analysis framework prices a mapping: every non-zero MAC at the
rule's MAC energy, and one 8 KB SRAM read per non-zero weight, ifmap and ofmap word (compressed storage,
no reuse, index overhead ignored).

>>> import numpy as np
>>> from stationary.infer import build
>>> m = build("digits-cnn")
>>> p = profile(m, np.ones((2, 1, 8, 8), np.float32), Scheme.parse("fixed8"))
>>> p[0].name, p[0].weight_bits, p[0].act_bits, p[0].weights
('CONV1', 8, 8, 144)
>>> e = estimate_energy(p)
>>> e.energy_pj == e.compute_pj + e.storage_pj
True
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stationary.infer.model import Model
from stationary.infer.stats import activation_stats
from stationary.precision.apply import Calibration, act_hook, calibrate, quantize_model
from stationary.precision.energy import FP32_MAC_PJ, mac_energy_pj, storage_energy_pj
from stationary.precision.scheme import Method, Scheme

FLOAT = Scheme(Method.FLOAT, 32, 32)


@dataclass(frozen=True, slots=True)
class LayerProfile:
    """One layer of a model under a scheme; counts are per input."""
    name: str
    method: Method
    weight_bits: int
    act_bits: int
    weights: int
    weights_kept: int          # non-zero weights
    weight_density: float
    ifmap_density: float
    ofmap_density: float
    ifmap_words: int           # stored (unpadded) input words
    ofmap_words: int           # output words after the post ops
    macs: int
    nonzero_macs: float        # MACs with both operands non-zero


@dataclass(frozen=True, slots=True)
class EnergyEstimate:
    compute_pj: float
    storage_pj: float

    @property
    def energy_pj(self) -> float:
        return self.compute_pj + self.storage_pj


def profile(model: Model, inputs: np.ndarray, scheme: Scheme = FLOAT,
            calib: Calibration | None = None) -> tuple[LayerProfile, ...]:
    """Per-layer bit widths, densities and MAC counts of ``model`` under ``scheme`` on ``inputs``."""
    calib = calib or calibrate(model, inputs)
    qmodel = quantize_model(model, scheme)
    stats = activation_stats(qmodel, inputs, act_hook=act_hook(model, scheme, calib))
    first = model.network.layers[0].name
    out = []
    for layer, s, shape in zip(model.network.layers, stats, model.shapes):
        w = qmodel.weights[layer.name][0]
        act_bits = 8 if scheme.method is Method.XNOR and layer.name == first else scheme.act_bits
        out.append(LayerProfile(
            layer.name, scheme.method, scheme.weight_bits, act_bits, int(w.size), int(np.count_nonzero(w)),
            s.weight_density, s.ifmap_density, s.ofmap_density, layer.with_batch(1).ifmap_words,
            int(np.prod(shape)), s.macs, s.nonzero_macs))
    return tuple(out)


def mac_pj(p: LayerProfile) -> float:
    """One MAC of this layer by the scaling rule (a float32 MAC for unquantized layers)."""
    if p.method is Method.FLOAT:
        return FP32_MAC_PJ
    return mac_energy_pj(p.weight_bits, p.act_bits, log_weights=p.method is Method.LOG2)


def estimate_energy(profiles: tuple[LayerProfile, ...]) -> EnergyEstimate:
    """Energy per input by the scaling rule (see the module docs for what it counts)."""
    compute = sum(p.nonzero_macs * mac_pj(p) for p in profiles)
    storage = sum(p.weights_kept * storage_energy_pj(p.weight_bits)
                  + p.ifmap_words * p.ifmap_density * storage_energy_pj(p.act_bits)
                  + p.ofmap_words * p.ofmap_density * storage_energy_pj(p.act_bits) for p in profiles)
    return EnergyEstimate(float(compute), float(storage))
