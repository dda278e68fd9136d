"""The quantization sweep behind ``stationary quantize``: every scheme post-training, and quantization-aware
fine-tuning for those that lose more than ``max_loss`` accuracy (when torch is installed).

Calibration uses the first ``calib_n`` training images (in a fixed shuffled order); densities and non-zero
MACs are measured on the first ``profile_n`` test images; accuracy on the whole test split.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from stationary.infer.datasets import Dataset
from stationary.infer.model import Model
from stationary.precision.apply import calibrate, evaluate, finetune
from stationary.precision.energy import FP32_MAC_PJ, mac_energy_pj
from stationary.precision.profile import EnergyEstimate, estimate_energy, profile
from stationary.precision.scheme import Method, Scheme


@dataclass(frozen=True, slots=True)
class SweepRow:
    scheme: Scheme
    qat: bool                  # fine-tuned with quantization in the loop
    accuracy: float
    weights: int
    weights_kept: int
    macs: int                  # per input
    nonzero_macs: float        # per input
    energy: EnergyEstimate     # per input, by the scaling rule
    relative_mac_energy: float       # one MAC at this precision / a float32 MAC
    relative_storage_energy: float   # bits per weight / 32

    @property
    def method(self) -> str:
        return self.scheme.label + ("+qat" if self.qat else "")

    def as_json(self) -> dict:
        return {"method": self.method, "scheme": self.scheme.label, "qat": self.qat,
                "bits": self.scheme.weight_bits, "act_bits": self.scheme.act_bits,
                "per_channel": self.scheme.per_channel, "accuracy": self.accuracy,
                "weights": self.weights, "weights_kept": self.weights_kept, "macs": self.macs,
                "nonzero_macs": self.nonzero_macs, "energy_pj": self.energy.energy_pj,
                "compute_pj": self.energy.compute_pj, "storage_pj": self.energy.storage_pj,
                "relative_mac_energy": self.relative_mac_energy,
                "relative_storage_energy": self.relative_storage_energy,
                "energy_model": "bit-width scaling rule on Horowitz ISSCC 2014 45 nm: arithmetic and one on-chip read "
                                "per word, not the mapped chip with its data movement (that is `stationary prune`'s)"}


def _row(model: Model, scheme: Scheme, qat: bool, data: Dataset, calib, probe: np.ndarray) -> SweepRow:
    profiles = profile(model, probe, scheme, calib)
    acc = evaluate(model, scheme, calib, data.x_test, data.y_test)
    if scheme.method is Method.FLOAT:
        mac = FP32_MAC_PJ
    else:
        mac = mac_energy_pj(scheme.weight_bits, scheme.act_bits, log_weights=scheme.method is Method.LOG2)
    return SweepRow(scheme, qat, acc, sum(p.weights for p in profiles), sum(p.weights_kept for p in profiles),
                    sum(p.macs for p in profiles), sum(p.nonzero_macs for p in profiles),
                    estimate_energy(profiles), mac / FP32_MAC_PJ, scheme.weight_bits / 32)


def sweep(model: Model, data: Dataset, schemes: tuple[Scheme, ...], *, max_loss: float = 0.01,
          qat_epochs: int = 3, calib_n: int = 500, profile_n: int = 200,
          on_row: Callable[[SweepRow], None] | None = None) -> tuple[SweepRow, ...]:
    """One row per scheme (post-training), plus a fine-tuned row where the loss exceeds ``max_loss``."""
    order = np.random.default_rng(0).permutation(len(data.x_train))[:calib_n]
    calib = calibrate(model, data.x_train[order])
    probe = data.x_test[:profile_n]
    baseline = evaluate(model, Scheme(Method.FLOAT, 32, 32), calib, data.x_test, data.y_test)
    rows = []
    for scheme in schemes:
        found = [_row(model, scheme, False, data, calib, probe)]
        if qat_epochs and baseline - found[0].accuracy > max_loss:
            tuned = finetune(model, scheme, calib, data, epochs=qat_epochs)
            found.append(_row(tuned, scheme, True, data, calib, probe))
        for row in found:
            rows.append(row)
            if on_row:
                on_row(row)
    return tuple(rows)
