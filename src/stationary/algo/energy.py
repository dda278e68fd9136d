"""An algorithm's operations priced in pJ with Horowitz's 45 nm table (ISSCC 2014, the talk's source):
one product of counts and per-operation costs, so "fewer multiplications, more additions" is an energy.

Costs per precision (``data/precision/horowitz_45nm_pj.yaml``): float32 multiply 3.7 / add 0.9 pJ,
float16 1.1 / 0.4 pJ (tabulated); fixed16 multiply 0.8 pJ and add 0.1 pJ by the bit-width rule of
:mod:`stationary.precision.energy` (a 16 x 16 multiplier from the int8 one, adds at the 32-bit
accumulator). The extra words an algorithm stores (lowered matrix, transformed tiles and filters) are
written once and read once in a buffer: by default a 1 MB SRAM (100 pJ per 64 bits: an implementation that
transforms a block of tiles at a time keeps them on chip), or DRAM (1.3 nJ per 64 bits, the table's low end:
the whole layer's buffers materialized), scaled to the word width. The traffic every method shares (input,
weights, output) is left out. The table has no float64.

>>> from stationary.algo.counts import OpCounts
>>> e = price(OpCounts(multiplications=16, additions=24, transform_additions=32), Precision.FLOAT32)
>>> round(e.multiply_pj, 2), round(e.add_pj, 2), e.memory_pj
(59.2, 50.4, 0.0)
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from stationary.algo.counts import OpCounts
from stationary.algo.numeric import Precision
from stationary.core import StationaryError
from stationary.precision.energy import HOROWITZ_45NM, HOROWITZ_SOURCE, add_energy_pj, mult_energy_pj

SOURCE = HOROWITZ_SOURCE


class Buffer(enum.Enum):
    """Where an algorithm's extra words live, with the table's 64-bit access cost."""
    SRAM = "sram"
    DRAM = "dram"

    @classmethod
    def parse(cls, text: "str | Buffer") -> "Buffer":
        if isinstance(text, Buffer):
            return text
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            raise StationaryError("unknown buffer (expected sram or dram)", field="buffer", value=text) from None

    @property
    def access_64b_pj(self) -> float:
        return HOROWITZ_45NM["sram_64b_read_1MB" if self is Buffer.SRAM else "dram_64b_access"]


@dataclass(frozen=True, slots=True)
class OperationCosts:
    precision: Precision
    multiply_pj: float
    add_pj: float
    word_pj: float        # one word written or read in the buffer


@dataclass(frozen=True, slots=True)
class OpEnergy:
    precision: Precision
    multiply_pj: float
    add_pj: float
    memory_pj: float

    @property
    def total_pj(self) -> float:
        return self.multiply_pj + self.add_pj + self.memory_pj


def costs(precision: Precision, buffer: Buffer = Buffer.SRAM) -> OperationCosts:
    """Per-operation costs at ``precision`` (see the module docs)."""
    p = Precision.parse(precision)
    word = Buffer.parse(buffer).access_64b_pj * p.bits / 64
    if p is Precision.FLOAT32:
        return OperationCosts(p, HOROWITZ_45NM["fp32_mult"], HOROWITZ_45NM["fp32_add"], word)
    if p is Precision.FLOAT16:
        return OperationCosts(p, HOROWITZ_45NM["fp16_mult"], HOROWITZ_45NM["fp16_add"], word)
    if p is Precision.FIXED16:
        return OperationCosts(p, mult_energy_pj(16, 16), add_energy_pj(32), word)
    raise StationaryError("Horowitz's 45 nm table has no float64 entries (price float32, float16 or fixed16)",
                          field="precision", value=p.value)


def price(counts: OpCounts, precision: Precision = Precision.FLOAT32, buffer: Buffer = Buffer.SRAM) -> OpEnergy:
    """Counts x costs: multiplications, additions (core and transforms), extra words written and read once."""
    c = costs(precision, buffer)
    return OpEnergy(c.precision, counts.total_multiplications * c.multiply_pj, counts.total_additions * c.add_pj,
                    2 * counts.extra_words * c.word_pj)
