"""Per-layer statistics on real inputs: densities (fraction non-zero) and value histograms of the ifmap,
weights and ofmap, and the MACs whose two operands are both non-zero (what zero skipping leaves).

The ifmap is what the layer reads (after the previous layer's ReLU and pooling), the ofmap what it writes
after its own post ops (the next layer's ifmap); ``preact_density`` is the MAC output plus bias before
them. Padding zeros are not counted in densities (they are not stored) and not in ``nonzero_macs``.

>>> import numpy as np
>>> from stationary.infer.nets import build
>>> s = activation_stats(build("digits-cnn"), np.ones((3, 1, 8, 8), np.float32))
>>> s[0].name, s[0].ifmap_density, s[0].macs, s[0].nonzero_macs <= s[0].macs
('CONV1', 1.0, 9216, True)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stationary.infer.forward import ActHook, WeightHook, forward, mac_layer
from stationary.infer.model import Model


@dataclass(frozen=True, slots=True)
class Histogram:
    """Counts of values in ``len(counts)`` equal bins between ``edges[0]`` and ``edges[-1]``."""
    edges: tuple[float, ...]
    counts: tuple[int, ...]

    @classmethod
    def of(cls, values: np.ndarray, bins: int) -> "Histogram":
        counts, edges = np.histogram(np.asarray(values, np.float64).ravel(), bins=bins)
        return cls(tuple(float(e) for e in edges), tuple(int(c) for c in counts))


@dataclass(frozen=True, slots=True)
class LayerStats:
    """One layer's data statistics, averaged over the inputs given (MAC counts per input)."""
    name: str
    ifmap_density: float
    weight_density: float
    ofmap_density: float
    preact_density: float
    macs: int              # per input, from the layer's shape
    nonzero_macs: float    # per input: MACs with a non-zero weight and a non-zero input
    ifmap_hist: Histogram
    weight_hist: Histogram
    ofmap_hist: Histogram


def density(values: np.ndarray) -> float:
    """Fraction of non-zero entries."""
    values = np.asarray(values)
    return float(np.count_nonzero(values)) / values.size if values.size else 0.0


def activation_stats(model: Model, inputs: np.ndarray, *, bins: int = 32, act_hook: ActHook | None = None,
                     weight_hook: WeightHook | None = None) -> tuple[LayerStats, ...]:
    """Run ``model`` on ``inputs`` (N x C x H x W) and return per-layer statistics."""
    acts = forward(model, inputs, act_hook=act_hook, weight_hook=weight_hook)
    out = []
    for layer, act in zip(model.network.layers, acts):
        w = model.weights[layer.name][0]
        w = weight_hook(layer.name, w) if weight_hook else w
        nz = mac_layer((act.ifmap != 0).astype(np.float64), (np.asarray(w) != 0).astype(np.float64), layer)
        out.append(LayerStats(
            layer.name, density(act.ifmap), density(w), density(act.ofmap), density(act.preact),
            layer.with_batch(1).macs, float(nz.sum()) / len(inputs),
            Histogram.of(act.ifmap, bins), Histogram.of(w, bins), Histogram.of(act.ofmap, bins)))
    return tuple(out)
