"""Reduced precision: quantizers (fixed point, binary, ternary, XNOR, power of two), schemes applied to
trained models (post-training and quantization-aware), per-layer bit-width profiles and the bit-width
energy scaling rule anchored on Horowitz's 45 nm table.

>>> from stationary.precision import Scheme, mac_energy_pj
>>> mac_energy_pj(8, 8) < mac_energy_pj(16, 16) < mac_energy_pj(32, 32)
True
"""
from stationary.precision.apply import Calibration, act_hook, calibrate, evaluate, finetune, quantize_model
from stationary.precision.energy import (FP32_MAC_PJ, HOROWITZ_45NM, HOROWITZ_SOURCE, RULE, add_energy_pj,
                                         mac_energy_pj, mult_energy_pj, storage_energy_pj)
from stationary.precision.profile import EnergyEstimate, LayerProfile, estimate_energy, profile
from stationary.precision.quantizers import binary, fixed_point, levels, log2, ternary
from stationary.precision.scheme import DEFAULT_SWEEP, Method, Scheme

__all__ = ["Calibration", "act_hook", "calibrate", "evaluate", "finetune", "quantize_model", "FP32_MAC_PJ",
           "HOROWITZ_45NM", "HOROWITZ_SOURCE", "RULE", "add_energy_pj", "mac_energy_pj", "mult_energy_pj",
           "storage_energy_pj", "EnergyEstimate", "LayerProfile", "estimate_energy", "profile", "binary",
           "fixed_point", "levels", "log2", "ternary", "DEFAULT_SWEEP", "Method", "Scheme"]
