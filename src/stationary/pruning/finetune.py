"""Fine-tuning with masks held (torch): the forward pass uses ``w x mask``, so a pruned weight gets no gradient
and contributes nothing; the weights returned are masked again, so every pruned weight is exactly zero."""
from __future__ import annotations

import numpy as np

from stationary.infer.datasets import Dataset
from stationary.infer.model import Model
from stationary.pruning.masks import Masks, apply_masks


def finetune(model: Model, masks: Masks, data: Dataset, *, epochs: int = 1, lr: float = 5e-4,
             seed: int = 0) -> Model:
    """Train ``model`` for ``epochs`` on ``data`` with its weights held to ``masks``; returns the masked model."""
    from stationary.infer.torchnet import import_torch
    from stationary.infer.train import TrainConfig, train
    if epochs <= 0:
        return apply_masks(model, masks)
    torch = import_torch()
    held = {name: torch.from_numpy(np.asarray(m, np.float32)) for name, m in masks.items()}

    def hook(name, w):
        return w * held[name] if name in held else w

    result = train(apply_masks(model, masks), data, TrainConfig(epochs=epochs, lr=lr, seed=seed), weight_hook=hook)
    return apply_masks(result.model, masks)
