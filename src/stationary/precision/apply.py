"""Applying a :class:`Scheme` to a trained model: calibration, post-training quantization, accuracy, and
quantization-aware fine-tuning (torch, straight-through estimator: the forward pass uses the quantized
value, the backward pass treats the quantizer as the identity).

>>> import numpy as np
>>> from stationary.infer import build
>>> m = build("digits-cnn")
>>> x = np.random.default_rng(0).random((20, 1, 8, 8), dtype=np.float32)
>>> calib = calibrate(m, x)
>>> q = quantize_model(m, Scheme.parse("ternary"))
>>> np.unique(q.weights["FC2"][0]).size
3
>>> round(calib.max_abs["CONV1"], 3) == round(float(x.max()), 3)
True
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from stationary.infer.datasets import Dataset
from stationary.infer.forward import ActHook, accuracy, forward
from stationary.infer.model import Model
from stationary.precision.quantizers import binary, fixed_point, log2, ternary
from stationary.precision.scheme import Method, Scheme

Array = np.ndarray


@dataclass(frozen=True, slots=True)
class Calibration:
    """Per layer, the largest and the mean absolute value of its input on calibration data."""
    max_abs: dict[str, float]
    mean_abs: dict[str, float]


def calibrate(model: Model, inputs: Array) -> Calibration:
    """Activation ranges from the float model on ``inputs`` (e.g. a few hundred training images)."""
    acts = forward(model, inputs)
    return Calibration({a.name: float(np.abs(a.ifmap).max()) for a in acts},
                       {a.name: float(np.abs(a.ifmap).mean()) for a in acts})


def weight_quantizer(scheme: Scheme) -> Callable[[Array], Array]:
    """The function a scheme applies to each weight array (per-channel: one scale per filter)."""
    axis = 0 if scheme.per_channel else None
    method, bits = scheme.method, scheme.weight_bits
    if method is Method.FLOAT:
        return lambda w: w
    if method is Method.FIXED:
        return lambda w: fixed_point(w, bits, axis=axis)
    if method in (Method.BINARY, Method.XNOR):
        return lambda w: binary(w, axis=axis)
    if method is Method.TERNARY:
        return lambda w: ternary(w, axis=axis)
    return lambda w: log2(w, bits, axis=axis)


def act_hook(model: Model, scheme: Scheme, calib: Calibration) -> ActHook | None:
    """The activation quantizer for each layer's input, with calibrated ranges (None for float)."""
    if scheme.method is Method.FLOAT:
        return None
    first = model.network.layers[0].name

    def hook(name: str, x: Array) -> Array:
        if scheme.method is Method.XNOR and name != first:
            return binary(x, alpha=calib.mean_abs[name])
        bits = 8 if scheme.method is Method.XNOR else scheme.act_bits
        return fixed_point(x, bits, signed=False, max_abs=calib.max_abs[name])

    return hook


def quantize_model(model: Model, scheme: Scheme) -> Model:
    """The model with quantized weights (biases unchanged: they live at accumulator precision)."""
    fn = weight_quantizer(scheme)
    return model.with_weights({name: (fn(w), b) for name, (w, b) in model.weights.items()})


def evaluate(model: Model, scheme: Scheme, calib: Calibration, x: Array, y: Array) -> float:
    """Test accuracy with quantized weights and activations (numpy reference forward)."""
    return accuracy(quantize_model(model, scheme), x, y, act_hook=act_hook(model, scheme, calib))


def finetune(model: Model, scheme: Scheme, calib: Calibration, data: Dataset, *, epochs: int = 3,
             lr: float = 5e-4, seed: int = 0) -> Model:
    """Quantization-aware fine-tuning: returns float shadow weights; quantize them with ``quantize_model``."""
    from stationary.infer.torchnet import import_torch
    from stationary.infer.train import TrainConfig, train

    torch = import_torch()
    wq = weight_quantizer(scheme)
    aq = act_hook(model, scheme, calib)

    def ste(fn):
        def hook(name, t):
            q = torch.from_numpy(np.ascontiguousarray(fn(name, t.detach().numpy()), dtype=np.float32))
            return t + (q - t).detach()
        return hook

    result = train(model, data, TrainConfig(epochs=epochs, lr=lr, seed=seed),
                   weight_hook=ste(lambda _name, w: wq(w)), act_hook=ste(aq) if aq else None)
    return result.model
