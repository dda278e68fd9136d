"""What the three designs share: the run settings, the design names, loading a design's energy table, and
running a trained model's CIM layers over a test set in batches.

>>> Design.parse("switched-cap") is Design.SWITCHED_CAP, Settings(adc_bits=6).adc_bits
(True, 6)
>>> Design.parse("flash")
Traceback (most recent call last):
...
stationary.core.StationaryError: field 'design' = 'flash': unknown CIM design (expected one of sram-binary, switched-cap, isaac)
"""
from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np

from stationary.cim.actions import Actions, EnergyTable, load_yaml
from stationary.cim.layers import deploy, run_model
from stationary.cim.macro import MAX_NONLINEARITY, MAX_VARIATION, Macro
from stationary.core import StationaryError
from stationary.infer.model import Model


class Design(enum.Enum):
    SRAM_BINARY = "sram-binary"
    SWITCHED_CAP = "switched-cap"
    ISAAC = "isaac"

    @classmethod
    def parse(cls, text) -> "Design":
        if isinstance(text, Design):
            return text
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            raise StationaryError(f"unknown CIM design (expected one of {', '.join(d.value for d in cls)})",
                                  field="design", value=text) from None


@dataclass(frozen=True, slots=True)
class Settings:
    """A run's non-idealities and ADC (None: the design's default), seed, and test-set size (None: all)."""
    variation: float | None = None
    nonlinearity: float | None = None
    noise: float | None = None
    adc_bits: int | None = None
    seed: int = 0
    samples: int | None = None

    def __post_init__(self):
        for name, top in (("variation", MAX_VARIATION), ("nonlinearity", MAX_NONLINEARITY), ("noise", 1e6)):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) \
                    or not 0 <= value <= top:
                raise StationaryError(f"must be a number from 0 to {top:g}", field=name, value=value)
        if self.adc_bits is not None and (isinstance(self.adc_bits, bool) or not isinstance(self.adc_bits, int)
                                          or not 1 <= self.adc_bits <= 16):
            raise StationaryError("ADC bits must be an integer from 1 to 16", field="adc_bits", value=self.adc_bits)
        if self.samples is not None and (isinstance(self.samples, bool) or not isinstance(self.samples, int)
                                         or self.samples < 1):
            raise StationaryError("must be a positive integer", field="samples", value=self.samples)

    def pick(self, name: str, default):
        value = getattr(self, name)
        return default if value is None else value


def energy_table(file: str, name: str) -> EnergyTable:
    doc = load_yaml(file)
    return EnergyTable(name, {k: float(v) for k, v in doc["energy_pj"].items()}, str(doc["source"]))


def sample_subset(x: np.ndarray, y: np.ndarray, samples: int | None, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``samples`` test inputs drawn without replacement (seeded), or all of them."""
    if samples is None or samples >= len(y):
        return x, y
    idx = np.sort(np.random.default_rng([seed, 3]).choice(len(y), samples, replace=False))
    return x[idx], y[idx]


def model_on_macro(model: Model, macro: Macro, input_max: dict[str, float], x: np.ndarray, y: np.ndarray,
                   batch: int = 25, progress: str | None = None) -> tuple[float, Actions]:
    """Accuracy of ``model`` with every layer on ``macro`` and the actions per inference."""
    from tqdm import tqdm
    deployed = deploy(model, macro, input_max)
    rng = np.random.default_rng([macro.nonideal.seed, 2])
    correct, total = 0, Actions()
    starts = range(0, len(x), batch)
    for i in tqdm(starts, desc=progress, disable=progress is None, leave=False):
        out, acts = run_model(model, deployed, x[i:i + batch], rng)
        correct += int(np.sum(out.argmax(axis=1) == y[i:i + batch]))
        total = total + acts
    return correct / len(y), total.scaled(1.0 / len(y))
