"""Bit-width energy scaling rule for MACs and storage, anchored on Horowitz's 45 nm table (ISSCC 2014).

The rule (stated, and checked against the table in tests/test_precision_energy.py):

* multiplier energy grows with the product of the operand widths (an array multiplier has ``w x a``
  partial-product cells): ``mult(w, a) = int8_mult * w * a / 64``. At 32 x 32 bits this gives 3.2 pJ
  against the table's 3.1.
* adder energy grows linearly with width: ``add(b) = int32_add * b / 32`` (int16 0.05 as tabulated,
  int8 0.025 against 0.03).
* a MAC is one multiply and one add into an accumulator of ``min(32, w + a + 8)`` bits (8 guard bits).
  Log-domain weights turn the multiply into a shift, costed as an adder of the activation width.
* storage energy grows linearly with the bits moved: one word of ``b`` bits read from an 8 KB SRAM costs
  ``sram_64b_read_8KB * b / 64``.
* the float32 reference MAC is ``fp32_mult + fp32_add`` = 4.6 pJ.

>>> round(mac_energy_pj(8, 8), 4), round(mac_energy_pj(16, 16), 4), round(FP32_MAC_PJ, 2)
(0.275, 0.9, 4.6)
>>> round(storage_energy_pj(8), 3), HOROWITZ_45NM["int8_mult"]
(1.25, 0.2)
"""
from __future__ import annotations

from importlib import resources

import yaml

from stationary.core import StationaryError

_FILE = "horowitz_45nm_pj.yaml"


def _load() -> tuple[dict[str, float], str]:
    text = resources.files("stationary").joinpath("data", "precision", _FILE).read_text()
    doc = yaml.safe_load(text)
    return {k: float(v) for k, v in doc["energy"].items()}, str(doc["source"])


HOROWITZ_45NM, HOROWITZ_SOURCE = _load()
FP32_MAC_PJ = HOROWITZ_45NM["fp32_mult"] + HOROWITZ_45NM["fp32_add"]
RULE = ("mult ~ w*a bits (int8 mult 0.2 pJ), add ~ bits (int32 add 0.1 pJ), accumulator min(32, w+a+8) "
        "bits, log weights: shift ~ add; storage ~ bits (8 KB SRAM 64-bit read 10 pJ); "
        f"source: {HOROWITZ_SOURCE}")


def _bits(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 64:
        raise StationaryError("bit width must be an integer from 1 to 64", field=field, value=value)
    return value


def mult_energy_pj(weight_bits: int, act_bits: int) -> float:
    """One integer multiply of a ``weight_bits`` by an ``act_bits`` operand."""
    return HOROWITZ_45NM["int8_mult"] * _bits(weight_bits, "weight_bits") * _bits(act_bits, "act_bits") / 64


def add_energy_pj(bits: int) -> float:
    """One integer add of ``bits`` bits."""
    return HOROWITZ_45NM["int32_add"] * _bits(bits, "bits") / 32


def accumulator_bits(weight_bits: int, act_bits: int) -> int:
    return min(32, weight_bits + act_bits + 8)


def mac_energy_pj(weight_bits: int, act_bits: int, *, log_weights: bool = False) -> float:
    """One multiply-accumulate at the given operand widths (see the module docs for the rule)."""
    mult = add_energy_pj(act_bits) if log_weights else mult_energy_pj(weight_bits, act_bits)
    return mult + add_energy_pj(accumulator_bits(weight_bits, act_bits))


def storage_energy_pj(bits: int) -> float:
    """Reading one word of ``bits`` bits from an 8 KB SRAM."""
    return HOROWITZ_45NM["sram_64b_read_8KB"] * _bits(bits, "bits") / 64
