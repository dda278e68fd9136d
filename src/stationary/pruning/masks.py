"""Pruning masks: which weights a layer keeps. Magnitude selection (Han et al., NIPS 2015) with a global
threshold (one over every layer's weights) or per-layer thresholds (each layer keeps the same fraction).

Ties at the threshold are broken by position, so exactly ``round(keep x n)`` weights are kept (at least one
per layer, never more than are non-zero: a pruned weight stays pruned).

>>> import numpy as np
>>> w = {"a": np.array([[0.1, -3.0], [2.0, 0.5]]), "b": np.array([1.0, -0.2, 0.05, 4.0])}
>>> m = magnitude_masks(w, 0.5, scope="layer")
>>> m["a"].astype(int).tolist(), m["b"].astype(int).tolist()
([[0, 1], [1, 0]], [1, 0, 0, 1])
>>> int(sum(v.sum() for v in magnitude_masks(w, 0.5).values()))   # global: the 4 largest of 8
4
"""
from __future__ import annotations

import numpy as np

from stationary.core import StationaryError
from stationary.infer.model import Model

Masks = dict[str, np.ndarray]


def _check_keep(keep: float) -> float:
    if isinstance(keep, bool) or not isinstance(keep, (int, float)) or not 0.0 < keep <= 1.0:
        raise StationaryError("the fraction of weights kept must be in (0, 1]", field="keep", value=keep)
    return float(keep)


def top_mask(w: np.ndarray, count: int) -> np.ndarray:
    """Boolean mask of the ``count`` largest-magnitude non-zero entries of ``w``."""
    flat = np.abs(np.asarray(w, np.float64)).ravel()
    count = int(min(max(count, 0), np.count_nonzero(flat)))
    mask = np.zeros(flat.size, bool)
    if count:
        mask[np.argsort(-flat, kind="stable")[:count]] = True
    return mask.reshape(np.shape(w))


def magnitude_masks(weights: dict[str, np.ndarray], keep: float, *, scope: str = "global") -> Masks:
    """Masks keeping the fraction ``keep`` of the weights by magnitude: ``scope`` "global" or "layer"."""
    keep = _check_keep(keep)
    if scope == "layer":
        return {name: top_mask(w, max(1, round(keep * w.size))) for name, w in weights.items()}
    if scope != "global":
        raise StationaryError("scope must be global or layer", field="scope", value=scope)
    names = list(weights)
    flat = np.concatenate([np.abs(np.asarray(weights[n], np.float64)).ravel() for n in names])
    chosen = top_mask(flat, round(keep * flat.size))
    out, start = {}, 0
    for n in names:
        size = np.size(weights[n])
        out[n] = chosen[start:start + size].reshape(np.shape(weights[n]))
        if not out[n].any():  # a layer with no weight left would cut the network: keep its largest
            out[n] = top_mask(weights[n], 1)
        start += size
    return out


def masks_of(model: Model) -> Masks:
    """The non-zero pattern of every layer's weights."""
    return {name: np.asarray(w) != 0 for name, (w, _) in model.weights.items()}


def apply_masks(model: Model, masks: Masks) -> Model:
    """``model`` with every weight outside its mask set to zero (layers not in ``masks`` unchanged)."""
    out = {}
    for name, (w, b) in model.weights.items():
        out[name] = ((np.asarray(w) * masks[name]).astype(np.float32), b) if name in masks else (w, b)
    return model.with_weights(out)


def weights_kept(model: Model) -> int:
    return int(sum(np.count_nonzero(w) for w, _ in model.weights.values()))


def weights_total(model: Model) -> int:
    return int(sum(np.size(w) for w, _ in model.weights.values()))
