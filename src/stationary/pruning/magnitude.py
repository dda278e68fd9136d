"""Magnitude pruning (Han et al., NIPS 2015): prune the smallest weights, fine-tune with the masks held, repeat
with a smaller fraction kept until the accuracy loss passes the target.

Each step keeps the next fraction of :data:`LADDER` of all the weights (``scope="global"``: one threshold over
every layer; ``"layer"``: each layer keeps that fraction), chosen from the weights the previous step
fine-tuned, then fine-tunes. The first step whose loss passes the target is reported (``within_target`` false)
and ends the run; the step before it is the result.
"""
from __future__ import annotations

from stationary.infer.model import Model
from stationary.pruning.finetune import finetune
from stationary.pruning.masks import apply_masks, magnitude_masks
from stationary.pruning.steps import Method, Setting, Step, measure

LADDER = (0.5, 0.3, 0.2, 0.14, 0.1, 0.07, 0.05, 0.035, 0.025, 0.018, 0.012, 0.008)


def magnitude_pruning(model: Model, setting: Setting, *, scope: str = "global",
                      ladder: tuple[float, ...] = LADDER) -> list[Step]:
    """The steps of magnitude pruning from ``model`` (step 0 is the unpruned model)."""
    steps = [measure(model, setting, Method.MAGNITUDE, 0, "unpruned", setting.base_accuracy)]
    current = model
    for i, keep in enumerate(ladder, 1):
        masks = magnitude_masks({name: w for name, (w, _) in current.weights.items()}, keep, scope=scope)
        pruned = finetune(apply_masks(current, masks), masks, setting.data, epochs=setting.finetune_epochs,
                          lr=setting.lr, seed=setting.seed + i)
        step = measure(pruned, setting, Method.MAGNITUDE, i, f"keep {keep:.1%} ({scope}), fine-tune")
        steps.append(step)
        if not step.within_target:
            break
        current = pruned
    return steps
