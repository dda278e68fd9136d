"""A compute-in-memory macro: the array, how numbers enter and leave it, and its non-idealities, as values.

An array of ``rows x columns`` cells computes, on every read, one analog dot product per column between the
row inputs and the cells' stored values. The pieces:

* **inputs**: unsigned integer codes of ``input_bits`` bits, applied ``dac_bits`` at a time through a
  row DAC (``dac_bits == input_bits``: one full-precision DAC conversion, e.g. a 5-bit word-line DAC;
  ``dac_bits == 1``: bit-serial, one read per input bit, shifted and added in digital, as in ISAAC).
* **weights**: signed integer codes of ``weight_bits`` bits, stored ``bits_per_cell`` bits per cell in
  ``cells_per_weight`` adjacent columns (shifted and added in digital). ``Encoding.OFFSET`` stores
  ``w + 2^(b-1)`` unsigned and subtracts ``2^(b-1) * sum(x)`` in digital (ISAAC); ``Encoding.DIFFERENTIAL``
  stores ``|w|`` and lets the sign pick one of a column's two lines (the SRAM's BL/BLB, the switched
  capacitors' two plates), a 1-bit weight meaning +/-1.
* **accumulation** (``Accumulation``): bit-line discharge, charge sharing or current summing, each with its
  transfer function (identity without nonlinearity): a line's sum ``u`` compresses as ``u / (1 + k|u|/fs)``
  when charges share or currents sum; a discharging bit cell's current saturates in its word-line drive.
* **non-idealities** (``NonIdeal``): per-cell variation fixed at "fabrication" (multiplicative, Gaussian or
  log-normal, drawn once from ``seed``), the transfer function's nonlinearity, and read noise (Gaussian,
  in units of one LSB product, drawn per read).
* **ADC**: ``adc_bits`` per column read over a full scale (``adc_full_scale``, default the largest value a
  column can produce), clipping outside it; its LSB never goes below one LSB product, so with enough bits
  an ideal macro returns the exact integer result.
* **tiling**: a reduction longer than ``rows`` splits over arrays whose ADC outputs are added in digital
  (impossible with a 1-bit ADC: a comparator's decision cannot be accumulated); ``arrays`` caps how many
  arrays the design has.

>>> m = Macro(rows=128, columns=128, input_bits=16, dac_bits=1, weight_bits=16, bits_per_cell=2, adc_bits=8)
>>> m.cells_per_weight, m.input_slices, m.line_full_scale
(8, 16, 384)
>>> Macro(rows=4, columns=4, input_bits=4, dac_bits=4, weight_bits=2, bits_per_cell=2, adc_bits=17)
Traceback (most recent call last):
...
stationary.core.StationaryError: field 'adc_bits' = 17: ADC bits must be an integer from 1 to 16
"""
from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field

from stationary.core import StationaryError

MAX_VARIATION = 1.0   # sigma of a relative per-cell spread; beyond 100 % the model means nothing
MAX_NONLINEARITY = 10.0


class Accumulation(enum.Enum):
    """How a column sums its cells' contributions, and the shape of its transfer function."""
    DISCHARGE = "bit-line discharge"     # cell current saturating in the word-line drive (array.drive)
    CHARGE_SHARING = "charge sharing"    # g(u) = u / (1 + k |u| / fs): parasitic attenuation
    CURRENT = "current summing"          # g(u) = u / (1 + k |u| / fs): IR drop and I-V compression


class Encoding(enum.Enum):
    OFFSET = "offset"                # w + 2^(b-1) unsigned, corrected in digital
    DIFFERENTIAL = "differential"    # |w| on the line its sign picks


class VariationKind(enum.Enum):
    GAUSSIAN = "gaussian"      # factor 1 + sigma z (bit-cell current, capacitor mismatch), floored at 0
    LOGNORMAL = "lognormal"    # factor exp(sigma z) (resistive-device conductance)


def _check_unit(value: float, name: str, top: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (0 <= value <= top) or math.isnan(value):
        raise StationaryError(f"must be a number from 0 to {top:g}", field=name, value=value)


@dataclass(frozen=True, slots=True)
class NonIdeal:
    """The analog non-idealities: all zero is an ideal array.

    ``variation``: sigma of the per-cell multiplicative spread; ``nonlinearity``: k of the transfer function;
    ``noise``: sigma of the read noise in LSB products; ``seed`` fixes the "fabricated" cells (and the noise).
    """
    variation: float = 0.0
    nonlinearity: float = 0.0
    noise: float = 0.0
    variation_kind: VariationKind = VariationKind.GAUSSIAN
    seed: int = 0

    def __post_init__(self):
        _check_unit(self.variation, "variation", MAX_VARIATION)
        _check_unit(self.nonlinearity, "nonlinearity", MAX_NONLINEARITY)
        if isinstance(self.noise, bool) or not isinstance(self.noise, (int, float)) or not self.noise >= 0 \
                or math.isinf(self.noise):
            raise StationaryError("read noise must be a finite number >= 0 (LSB products)", field="noise",
                                  value=self.noise)
        if not isinstance(self.variation_kind, VariationKind):
            raise StationaryError("must be a VariationKind", field="variation_kind", value=self.variation_kind)

    @property
    def ideal(self) -> bool:
        return self.variation == 0 and self.nonlinearity == 0 and self.noise == 0


IDEAL = NonIdeal()


def _check_int(value: int, name: str, low: int, high: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise StationaryError(f"{what} must be an integer from {low} to {high}", field=name, value=value)


@dataclass(frozen=True, slots=True)
class Macro:
    """One compute-in-memory macro design (see the module docs for every field)."""
    rows: int
    columns: int
    input_bits: int
    dac_bits: int
    weight_bits: int
    bits_per_cell: int
    adc_bits: int
    encoding: Encoding = Encoding.OFFSET
    accumulation: Accumulation = Accumulation.CURRENT
    nonideal: NonIdeal = field(default=IDEAL)
    adc_full_scale: float | None = None
    arrays: int | None = None
    flip_columns: bool = False   # ISAAC's encoding: a column whose stored values sum past half its range is
    #                              stored inverted, so the ADC needs one bit less (Shafiee et al., Sec. 5)

    def __post_init__(self):
        _check_int(self.rows, "rows", 1, 1 << 16, "rows")
        _check_int(self.columns, "columns", 1, 1 << 16, "columns")
        _check_int(self.input_bits, "input_bits", 1, 16, "input bits")
        _check_int(self.dac_bits, "dac_bits", 1, self.input_bits, "DAC bits (at most the input bits)")
        _check_int(self.weight_bits, "weight_bits", 1, 16, "weight bits")
        _check_int(self.bits_per_cell, "bits_per_cell", 1, 8, "bits per cell")
        _check_int(self.adc_bits, "adc_bits", 1, 16, "ADC bits")
        if self.arrays is not None:
            _check_int(self.arrays, "arrays", 1, 1 << 30, "arrays")
        if not isinstance(self.encoding, Encoding) or not isinstance(self.accumulation, Accumulation):
            raise StationaryError("encoding and accumulation must be enum values", field="encoding",
                                  value=(self.encoding, self.accumulation))
        if self.encoding is Encoding.OFFSET and self.weight_bits < 2:
            raise StationaryError("offset-encoded weights need at least 2 bits (use DIFFERENTIAL for +/-1)",
                                  field="weight_bits", value=self.weight_bits)
        if self.flip_columns and self.encoding is not Encoding.OFFSET:
            raise StationaryError("column flipping applies to offset-encoded (unsigned) cells",
                                  field="flip_columns", value=True)
        if self.adc_full_scale is not None and not (self.adc_full_scale > 0 and math.isfinite(self.adc_full_scale)):
            raise StationaryError("ADC full scale must be a positive number (LSB products)", field="adc_full_scale",
                                  value=self.adc_full_scale)
        if self.cells_per_weight > self.columns:
            raise StationaryError(f"one weight needs {self.cells_per_weight} cells but a row has {self.columns} "
                                  "columns", field="columns", value=self.columns)

    @property
    def magnitude_bits(self) -> int:
        """Bits stored in cells per weight: all of them (offset), the magnitude's (differential)."""
        if self.encoding is Encoding.OFFSET:
            return self.weight_bits
        return max(self.weight_bits - 1, 1)

    @property
    def cells_per_weight(self) -> int:
        return -(-self.magnitude_bits // self.bits_per_cell)

    @property
    def input_slices(self) -> int:
        """Array reads per input vector: one per ``dac_bits`` of the input."""
        return -(-self.input_bits // self.dac_bits)

    @property
    def weight_range(self) -> tuple[int, int]:
        """The smallest and largest weight code the cells can hold."""
        if self.encoding is Encoding.OFFSET:
            return -(1 << (self.weight_bits - 1)), (1 << (self.weight_bits - 1)) - 1
        if self.weight_bits == 1:
            return -1, 1
        top = (1 << self.magnitude_bits) - 1
        return -top, top

    @property
    def line_full_scale(self) -> int:
        """The largest value one line of one column can carry in a read (all rows at full input and cell)."""
        return self.rows * ((1 << self.dac_bits) - 1) * ((1 << self.bits_per_cell) - 1)

    @property
    def signed_output(self) -> bool:
        return self.encoding is Encoding.DIFFERENTIAL

    def adc_scale(self) -> float:
        """The ADC's full scale in LSB products: the given one, else what a column can reach (half of it
        with column flipping, whose stored values never sum past half)."""
        if self.adc_full_scale is not None:
            return float(self.adc_full_scale)
        return self.line_full_scale / 2 if self.flip_columns else float(self.line_full_scale)

    def adc_lsb(self) -> float:
        """One ADC step in LSB products (never finer than one product: the sums are integers)."""
        steps = (1 << (self.adc_bits - 1)) - 1 if self.signed_output else (1 << self.adc_bits) - 1
        return max(1.0, self.adc_scale() / max(steps, 1))
