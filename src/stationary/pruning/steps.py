"""What each pruning step is measured by, and the setting both methods share.

A :class:`Step` records, after one pruning action: test accuracy (and its loss against the unpruned model),
weights kept, non-zero MACs and energy per input from :func:`stationary.pruning.energy.estimate` (summed over
the layers, in the arch's unit), and whether the accuracy loss is within the target.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from stationary.arch.spec import Arch, Unit
from stationary.core import StationaryError
from stationary.infer.datasets import Dataset
from stationary.infer.forward import accuracy
from stationary.infer.model import Model
from stationary.mapping.dataflows import Dataflow
from stationary.pruning.energy import LayerEnergy, estimate
from stationary.pruning.masks import weights_kept, weights_total


class Method(enum.Enum):
    BASELINE = "baseline"
    MAGNITUDE = "magnitude"
    ENERGY_AWARE = "energy-aware"

    @classmethod
    def parse(cls, text: str) -> "Method":
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            raise StationaryError("unknown pruning method (magnitude, energy-aware)", field="method",
                                  value=text) from None


@dataclass(frozen=True, slots=True)
class Setting:
    """Data, hardware and budget shared by the steps: ``energy_inputs`` price the energy (densities), the test
    split measures accuracy, ``calib_inputs`` drive least-squares restoration."""
    data: Dataset = field(repr=False)
    arch: Arch = field(repr=False)
    energy_inputs: np.ndarray = field(repr=False)
    calib_inputs: np.ndarray = field(repr=False)
    max_accuracy_loss: float
    base_accuracy: float
    dataflow: Dataflow = Dataflow.RS
    finetune_epochs: int = 3
    lr: float = 5e-4
    seed: int = 0
    mappings: dict | None = field(default=None, repr=False)  # layer name -> Mapping, instead of the mapper's
    on_step: Callable | None = field(default=None, repr=False, compare=False)  # called with each Step measured

    def __post_init__(self):
        loss = self.max_accuracy_loss
        if isinstance(loss, bool) or not isinstance(loss, (int, float)) or not 0.0 <= loss < 1.0 \
                or loss >= self.base_accuracy:
            raise StationaryError(f"impossible accuracy target: the loss allowed must be at least 0 and below the "
                                  f"unpruned accuracy ({self.base_accuracy:.4f})", field="max_accuracy_loss",
                                  value=loss)

    def accuracy(self, model: Model) -> float:
        return accuracy(model, self.data.x_test, self.data.y_test)

    def within(self, acc: float) -> bool:
        return self.base_accuracy - acc <= self.max_accuracy_loss + 1e-12


@dataclass(frozen=True, slots=True)
class Step:
    method: Method
    step: int
    action: str
    accuracy: float
    accuracy_loss: float
    weights_kept: int
    weights_total: int
    macs: int
    nonzero_macs: float
    energy: float
    unit: Unit
    within_target: bool
    layers: tuple[LayerEnergy, ...] = field(repr=False, default=())
    model: Model | None = field(repr=False, default=None, compare=False)

    def as_dict(self) -> dict:
        key = "energy_pj" if self.unit is Unit.PJ else "energy_normalized"
        return {"method": self.method.value, "step": self.step, "action": self.action, "accuracy": self.accuracy,
                "accuracy_loss": self.accuracy_loss, "weights_kept": self.weights_kept,
                "weights_total": self.weights_total, "macs": self.macs, "nonzero_macs": self.nonzero_macs,
                key: self.energy, "energy_model": ENERGY_MODEL, "within_target": self.within_target,
                "layers": [r.as_dict() for r in self.layers]}


ENERGY_MODEL = ("the whole inference on the mapped architecture (Eyeriss 65 nm pJ table by default): computation "
                "and data movement at every level, with the measured densities; `stationary quantize` prices only "
                "the arithmetic and one on-chip read per word (Horowitz 45 nm), a smaller figure by design")


def measure(model: Model, setting: Setting, method: Method, step: int, action: str,
            acc: float | None = None) -> Step:
    """Accuracy, weights, non-zero MACs and energy of ``model`` as one step of ``method``."""
    acc = setting.accuracy(model) if acc is None else acc
    rows = estimate(model, setting.arch, setting.energy_inputs, dataflow=setting.dataflow,
                    mappings=setting.mappings)
    result = Step(method, step, action, acc, setting.base_accuracy - acc, weights_kept(model), weights_total(model),
                  sum(r.macs for r in rows), sum(r.nonzero_macs for r in rows), sum(r.total for r in rows),
                  setting.arch.unit, setting.within(acc), rows, model)
    if setting.on_step is not None:
        setting.on_step(result)
    return result
