"""Energy-aware pruning (Yang et al., CVPR 2017).

1. Estimate each layer's energy (:mod:`stationary.pruning.energy`: non-zero MACs, RS data movement scaled by
   densities) and visit the layers from the most to the least energy-hungry.
2. In each layer, try keeping ever fewer weights (:data:`LADDER`, fractions of the layer's weights): choose the
   kept weights by magnitude, then **restore** them by least squares (:mod:`restore`: the kept weights are
   refit in closed form so the layer's output on a calibration batch stays closest to the unpruned network's).
   Keep the smallest fraction whose test accuracy loss stays within the target; one step per layer.
3. Fine-tune the whole network with the masks held (back-propagation); one step.
4. Repeat (re-estimating the energy order) while a pass still prunes something, up to ``passes`` passes.

Every step reported is within the target (a candidate that is not is never taken).
"""
from __future__ import annotations

import numpy as np

from stationary.infer.model import Model
from stationary.pruning.energy import estimate
from stationary.pruning.finetune import finetune
from stationary.pruning.masks import apply_masks, masks_of, top_mask
from stationary.pruning.restore import restore_layer
from stationary.pruning.steps import Method, Setting, Step, measure

LADDER = (0.7, 0.5, 0.35, 0.25, 0.18, 0.12, 0.08, 0.05, 0.035, 0.025, 0.018, 0.012, 0.008)


def energy_order(model: Model, setting: Setting) -> list[str]:
    """Layer names, most energy first, by the estimate on ``setting.energy_inputs``."""
    rows = estimate(model, setting.arch, setting.energy_inputs, dataflow=setting.dataflow,
                    mappings=setting.mappings)
    return [r.layer for r in sorted(rows, key=lambda r: -r.total)]


def _prune_layer(current: Model, original: Model, name: str, setting: Setting,
                 ladder: tuple[float, ...]) -> tuple[Model, float, float] | None:
    w = current.weights[name][0]
    kept_now = int(np.count_nonzero(w))
    best = None
    for keep in ladder:
        count = max(1, round(keep * w.size))
        if count >= kept_now:
            continue
        mask = top_mask(w, count)
        cand = restore_layer(apply_masks(current, {name: mask}), original, name, mask, setting.calib_inputs)
        acc = setting.accuracy(cand)
        if not setting.within(acc):
            break
        best = (cand, keep, acc)
    return best


def energy_aware_pruning(model: Model, setting: Setting, *, ladder: tuple[float, ...] = LADDER,
                         passes: int = 2) -> list[Step]:
    """The steps of energy-aware pruning from ``model`` (step 0 is the unpruned model)."""
    steps = [measure(model, setting, Method.ENERGY_AWARE, 0, "unpruned", setting.base_accuracy)]
    current = model
    for p in range(1, passes + 1):
        changed = False
        for name in energy_order(current, setting):
            found = _prune_layer(current, model, name, setting, ladder)
            if found is None:
                continue
            current, keep, acc = found
            changed = True
            steps.append(measure(current, setting, Method.ENERGY_AWARE, len(steps),
                                 f"pass {p}: {name} keeps {keep:.1%}, least-squares restore", acc))
        if not changed:
            break
        tuned = finetune(current, masks_of(current), setting.data, epochs=setting.finetune_epochs, lr=setting.lr,
                         seed=setting.seed + p)
        acc = setting.accuracy(tuned)
        if setting.within(acc):
            current = tuned
            steps.append(measure(current, setting, Method.ENERGY_AWARE, len(steps), f"pass {p}: fine-tune", acc))
    return steps
