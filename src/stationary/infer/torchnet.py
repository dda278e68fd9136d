"""The same model in torch (optional): used for training; its forward must equal :mod:`forward`'s.

``TorchNet(model)`` holds one weight and one bias Parameter per layer and runs the layers and post ops
with ``torch.nn.functional``, padding exactly as the numpy reference does (``pad // 2`` before). Hooks
let quantization-aware training replace weights and activations (straight-through estimators).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from stationary.core import StationaryError
from stationary.infer.model import Model, OpKind
from stationary.workload import LayerKind


def import_torch():
    try:
        import torch
    except ImportError:
        raise StationaryError("training needs the optional package torch (pip install 'stationary[torch]')",
                              field="package", value="torch") from None
    return torch


def make_torchnet(model: Model, weight_hook: Callable | None = None, act_hook: Callable | None = None):
    """A ``torch.nn.Module`` computing ``model`` (float32), initialised from its weights."""
    torch = import_torch()
    F = torch.nn.functional

    class TorchNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model
            self.weight_hook, self.act_hook = weight_hook, act_hook
            self.w = torch.nn.ParameterDict()
            self.b = torch.nn.ParameterDict()
            for layer in model.network.layers:
                w, b = model.weights[layer.name]
                self.w[layer.name] = torch.nn.Parameter(torch.tensor(np.asarray(w, np.float32)))
                self.b[layer.name] = torch.nn.Parameter(torch.tensor(np.asarray(b, np.float32)))

        def forward(self, x):
            for layer, post in zip(self.model.network.layers, self.model.post):
                w = self.w[layer.name]
                if self.weight_hook:
                    w = self.weight_hook(layer.name, w)
                if self.act_hook:
                    x = self.act_hook(layer.name, x)
                if layer.kind is LayerKind.FC:
                    x = F.linear(x.reshape(x.shape[0], -1), w, self.b[layer.name])
                else:
                    x = _pad(F, x, layer.pad_h, layer.pad_w)
                    x = F.conv2d(x, w, self.b[layer.name], stride=layer.U, dilation=layer.dilation,
                                 groups=layer.G)
                    x = x[:, :, :layer.E, :layer.F]
                for op in post:
                    if op.kind is OpKind.RELU:
                        x = F.relu(x)
                    elif op.kind is OpKind.MAXPOOL:
                        x = F.max_pool2d(x, op.size, op.stride)
                    elif op.kind is OpKind.AVGPOOL:
                        x = F.avg_pool2d(x, op.size, op.stride)
                    else:
                        x = x.reshape(x.shape[0], -1)
            return x

        def numpy_weights(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
            return {name: (self.w[name].detach().numpy().copy(), self.b[name].detach().numpy().copy())
                    for name in self.w}

    return TorchNet()


def _pad(F, x, pad_h: int, pad_w: int):
    """Pad like the numpy reference: pad // 2 before, the rest after; negative pads trim the end."""
    if pad_h < 0:
        x, pad_h = x[:, :, :pad_h], 0
    if pad_w < 0:
        x, pad_w = x[:, :, :, :pad_w], 0
    if pad_h or pad_w:
        x = F.pad(x, (pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2))
    return x
