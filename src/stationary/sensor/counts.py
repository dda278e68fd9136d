"""Operation and buffer-access counts of a fixed-function pipeline (HOG, a classifier on its features), as values:
what a stage computes, at which widths, and what it moves through which buffer. Pricing them is a table's job
(:func:`stationary.features.energy.price`): counts never depend on costs.

>>> c = HogCounts(4, (OpCount(Stage.GRADIENT, OpKind.ADD, 9, 8),), ())
>>> c.total(), c.per_pixel(Stage.GRADIENT)
(8, 2.0)
"""
from __future__ import annotations

import enum
from dataclasses import dataclass


class Stage(enum.Enum):
    GRADIENT = "gradient"
    MAGNITUDE = "magnitude"
    ORIENTATION = "orientation"
    VOTE = "histogram vote"
    NORMALIZATION = "normalization"
    CLASSIFIER = "classifier"          # the dot products on the features, when a pipeline prices them too


class OpKind(enum.Enum):
    """An arithmetic operation at a given width: adds include subtractions, negations and compares."""
    ADD = "add"
    MULT = "mult"
    SQRT = "sqrt"
    DIV = "div"


class Buffer(enum.Enum):
    LINE = "line buffer"
    CELL_HISTOGRAM = "cell histograms"
    BLOCK = "block buffer"
    WEIGHTS = "classifier weights"
    FEATURES = "feature buffer"


@dataclass(frozen=True, slots=True)
class OpCount:
    """``count`` operations of ``kind`` at ``bits`` (a multiply: ``bits`` x ``other_bits``) in ``stage``."""
    stage: Stage
    kind: OpKind
    bits: int
    count: int
    other_bits: int = 0


@dataclass(frozen=True, slots=True)
class Access:
    """Reads and writes of ``word_bits``-bit words in a buffer of ``capacity_bits``."""
    buffer: Buffer
    word_bits: int
    capacity_bits: int
    reads: int
    writes: int


@dataclass(frozen=True, slots=True)
class HogCounts:
    """Every operation and buffer access for one frame of ``pixels`` (the pixels the cells cover)."""
    pixels: int
    ops: tuple[OpCount, ...]
    accesses: tuple[Access, ...]

    def total(self, stage: Stage | None = None) -> int:
        return sum(op.count for op in self.ops if stage is None or op.stage is stage)

    def per_pixel(self, stage: Stage | None = None) -> float:
        return self.total(stage) / self.pixels
