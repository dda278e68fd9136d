"""Energy of the hand-crafted pipeline in 65 nm: HOG's operation and buffer counts (from
:mod:`stationary.sensor.hog`) and the linear classifier's dot products, priced by one table in one product.

The table (DERIVED, not measured) is the project's bit-width rule on Horowitz's 45 nm table (ISSCC 2014; see
:mod:`stationary.precision.energy`: multiplier ~ w x a bits from int8 mult 0.2 pJ, adder ~ bits from int32 add
0.1 pJ, SRAM ~ bits from a 64-bit read of an 8 KB SRAM, 10 pJ), scaled to 65 nm at 1.0 V by the same factor the
Eyeriss 65 nm table uses (``data/eyeriss_65nm_pj.yaml``): (65 / 45) for capacitance x (1.0 / 0.9)^2 for voltage
= 1.783. Operations Horowitz does not tabulate are priced as the adds that compute them: a b-bit division
(reciprocal) as b subtract-and-shift steps of b bits, a square root of a b-bit radicand as b / 2 such steps.
Buffers are priced per bit moved at the smallest tabulated SRAM that holds them (8 KB, 32 KB, 1 MB); a write
costs what a read does.

>>> from stationary.sensor import HogParams
>>> e = hog_energy(HogParams(), 1080, 1920)
>>> round(e.nj_per_pixel, 3) == round(e.total_pj / (1080 * 1920) / 1000, 3)
True
>>> round(TABLE_65NM.add_pj(32), 4)                      # 0.1 pJ x 1.783
0.1783
"""
from __future__ import annotations

from dataclasses import dataclass

from stationary.core import StationaryError
from stationary.precision.energy import HOROWITZ_45NM, HOROWITZ_SOURCE, add_energy_pj, mult_energy_pj
from stationary.sensor.counts import Access, Buffer, HogCounts, OpCount, OpKind, Stage
from stationary.sensor.hog import HogParams

SCALE_45_TO_65NM = (65 / 45) * (1.0 / 0.9) ** 2
# (capacity in bytes, 64-bit read energy in pJ at 45 nm), from the Horowitz table
_SRAMS = ((8 * 1024, "sram_64b_read_8KB"), (32 * 1024, "sram_64b_read_32KB"), (1024 * 1024, "sram_64b_read_1MB"))


@dataclass(frozen=True, slots=True)
class OpTable:
    """Energy per operation and per bit of buffer access, in pJ, at one technology point."""
    name: str
    scale: float
    source: str

    def add_pj(self, bits: int) -> float:
        return add_energy_pj(bits) * self.scale

    def mult_pj(self, bits: int, other_bits: int) -> float:
        return mult_energy_pj(bits, other_bits) * self.scale

    def op_pj(self, op: OpCount) -> float:
        """One operation of ``op``'s kind and widths."""
        if op.kind is OpKind.ADD:
            return self.add_pj(op.bits)
        if op.kind is OpKind.MULT:
            return self.mult_pj(op.bits, op.other_bits)
        steps = op.bits if op.kind is OpKind.DIV else -(-op.bits // 2)
        return steps * self.add_pj(op.bits)

    def sram_bit_pj(self, capacity_bits: int) -> float:
        """One bit read or written in an SRAM of ``capacity_bits``."""
        for size_bytes, key in _SRAMS:
            if capacity_bits <= size_bytes * 8:
                return HOROWITZ_45NM[key] / 64 * self.scale
        raise StationaryError("buffer larger than the largest SRAM the table prices (1 MB)", field="capacity_bits",
                              value=capacity_bits)

    def access_pj(self, access: Access) -> float:
        """All reads and writes of one buffer."""
        return (access.reads + access.writes) * access.word_bits * self.sram_bit_pj(access.capacity_bits)


TABLE_65NM = OpTable("65 nm, 1.0 V (derived)", SCALE_45_TO_65NM,
                     f"{HOROWITZ_SOURCE}, scaled to 65 nm 1.0 V by (65/45) x (1.0/0.9)^2 = 1.783")


@dataclass(frozen=True, slots=True)
class StageEnergy:
    """Energy of a pipeline stage or a buffer, in pJ per frame."""
    name: str
    ops: int
    energy_pj: float


@dataclass(frozen=True, slots=True)
class PipelineEnergy:
    """Energy per frame of ``pixels`` pixels, by stage (arithmetic) and by buffer (memory traffic)."""
    pixels: int
    compute: tuple[StageEnergy, ...]
    memory: tuple[StageEnergy, ...]

    @property
    def total_pj(self) -> float:
        return sum(s.energy_pj for s in self.compute + self.memory)

    @property
    def ops(self) -> int:
        return sum(s.ops for s in self.compute)

    @property
    def nj_per_pixel(self) -> float:
        return self.total_pj / self.pixels / 1000.0

    def __add__(self, other: "PipelineEnergy") -> "PipelineEnergy":
        if other.pixels != self.pixels:
            raise StationaryError("pipelines priced for different frames", field="pixels", value=other.pixels)
        return PipelineEnergy(self.pixels, self.compute + other.compute, self.memory + other.memory)


def price(counts: HogCounts, frame_pixels: int, table: OpTable = TABLE_65NM) -> PipelineEnergy:
    """Counts x table: the one product (energy per frame of ``frame_pixels``)."""
    stages: dict = {}
    for op in counts.ops:
        n, e = stages.get(op.stage.value, (0, 0.0))
        stages[op.stage.value] = (n + op.count, e + op.count * table.op_pj(op))
    memory = tuple(StageEnergy(a.buffer.value, a.reads + a.writes, table.access_pj(a)) for a in counts.accesses)
    return PipelineEnergy(frame_pixels, tuple(StageEnergy(k, n, e) for k, (n, e) in stages.items()), memory)


def hog_energy(params: HogParams, height: int, width: int, table: OpTable = TABLE_65NM) -> PipelineEnergy:
    """HOG's energy for one ``height`` x ``width`` frame."""
    return price(params.ops(height, width), height * width, table)


@dataclass(frozen=True, slots=True)
class LinearClassifier:
    """Dot products of ``features`` values at ``feature_bits`` with ``classes`` weight vectors at
    ``weight_bits``: one MAC per (feature, class), accumulated at ``min(32, w + a + 8)`` bits; each weight read
    once from an SRAM holding all of them, each feature read once and broadcast to every class. ``nonzero_weights``
    (default all) counts only the weights a sparse classifier keeps."""
    features: int
    classes: int
    feature_bits: int = 8
    weight_bits: int = 8
    nonzero_weights: int | None = None

    @property
    def macs(self) -> int:
        return self.features * self.classes if self.nonzero_weights is None else self.nonzero_weights

    def counts(self, pixels: int) -> HogCounts:
        acc = min(32, self.feature_bits + self.weight_bits + 8)
        ops = (OpCount(Stage.CLASSIFIER, OpKind.MULT, self.weight_bits, self.macs, self.feature_bits),
               OpCount(Stage.CLASSIFIER, OpKind.ADD, acc, self.macs))
        weights = Access(Buffer.WEIGHTS, self.weight_bits, self.features * self.classes * self.weight_bits,
                         self.macs, 0)
        features = Access(Buffer.FEATURES, self.feature_bits, self.features * self.feature_bits, self.features, 0)
        return HogCounts(pixels, ops, (weights, features))


def classifier_energy(clf: LinearClassifier, pixels: int, table: OpTable = TABLE_65NM) -> PipelineEnergy:
    return price(clf.counts(pixels), pixels, table)
