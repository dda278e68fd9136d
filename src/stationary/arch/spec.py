"""Architecture values: storage levels from DRAM to the per-PE register files, the MAC array, fan-outs.

Levels are listed outermost first. Each level's ``fanout_x`` x ``fanout_y`` is the spatial fan-out from the level
above into this one (so instances multiply down the list); the MAC array has its own fan-out below the innermost
level (1 x 1 when every PE has one MAC under its register file). ``network_energy`` on a level is the cost of moving
one word across that fan-out (the ISCA 2016 "array" cost, inter-PE communication).

Energies are per word, in the arch's ``unit``: ``Unit.PJ`` or ``Unit.MAC`` (normalized to one MAC, as in ISCA 2016).

>>> from stationary.arch.presets import preset
>>> eyeriss = preset("eyeriss")
>>> [level.name for level in eyeriss.levels], eyeriss.pes
(['DRAM', 'GLB', 'RF'], 168)
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

from stationary.core import StationaryError, TENSORS, Tensor


class Unit(enum.Enum):
    PJ = "pJ"
    MAC = "MAC"  # normalized: one 16-bit MAC costs 1

    @classmethod
    def parse(cls, text: str) -> "Unit":
        for u in cls:
            if str(text).strip().lower() == u.value.lower():
                return u
        raise StationaryError("unknown energy unit (expected pJ or MAC)", field="unit", value=text)


class StorageKind(enum.Enum):
    """What kind of storage a level is, for the area model and the ISCA-style breakdown."""
    DRAM = "dram"
    BUFFER = "buffer"
    RF = "rf"
    DUMMY = "dummy"  # holds nothing: a place for spatial loops (Timeloop's DummyBuffer)


def _per_tensor(value, where: str, name: str) -> tuple[float, float, float]:
    """One number for every tensor, or a mapping tensor -> number, as a tuple in TENSORS order."""
    if isinstance(value, tuple) and len(value) == 3:
        out = value
    elif isinstance(value, dict):
        out = tuple(float(value.get(t, 0.0)) for t in TENSORS)
    else:
        out = (value,) * 3
    for v in out:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
            raise StationaryError("energy must be a non-negative number", where=where, field=name, value=v)
    return tuple(float(v) for v in out)


@dataclass(frozen=True, slots=True)
class MemoryLevel:
    """One storage level (per instance: ``size_words`` is one instance's capacity).

    ``partitions`` splits the capacity into parts, each shared by a set of tensors (Eyeriss's 224/12/24-word
    scratchpads are three one-tensor parts; its 108 kB buffer is 8 kB for filters and 100 kB for ifmaps and psums).
    Without partitions the tensors kept share ``size_words``. ``size_words=None`` is unbounded (DRAM).
    """
    name: str
    kind: StorageKind
    keeps: frozenset[Tensor]
    size_words: int | None = None
    partitions: tuple[tuple[frozenset[Tensor], int], ...] = ()
    fanout_x: int = 1
    fanout_y: int = 1
    read_energy: tuple[float, float, float] = (0.0, 0.0, 0.0)
    write_energy: tuple[float, float, float] = (0.0, 0.0, 0.0)
    network_energy: float = 0.0
    bandwidth_words_per_cycle: float | None = None
    read_bandwidth_words_per_cycle: float | None = None    # separate ports, as Timeloop's read_/write_bandwidth
    write_bandwidth_words_per_cycle: float | None = None
    block_words: int = 1        # words per access of the physical port (Timeloop's block-size; energies are per word)
    technology: str = ""  # a name in stationary.arch.technology (area and sources); "" for the default SRAM/DRAM

    def __post_init__(self):
        where = f"level {self.name}"
        object.__setattr__(self, "keeps", frozenset(self.keeps))
        object.__setattr__(self, "read_energy", _per_tensor(self.read_energy, where, "read_energy"))
        object.__setattr__(self, "write_energy", _per_tensor(self.write_energy, where, "write_energy"))
        for name in ("fanout_x", "fanout_y", "block_words"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise StationaryError("must be a positive integer", where=where, field=name, value=v)
        if self.size_words is not None and (not isinstance(self.size_words, int) or self.size_words < 1):
            raise StationaryError("must be a positive integer (or absent for unbounded)", where=where,
                                  field="size_words", value=self.size_words)
        object.__setattr__(self, "partitions", tuple((frozenset(ts), size) for ts, size in self.partitions))
        covered: set[Tensor] = set()
        for tensors, size in self.partitions:
            label = "+".join(sorted(t.value for t in tensors))
            if not tensors <= self.keeps or tensors & covered:
                raise StationaryError("a partition must name tensors the level keeps, each in one partition",
                                      where=where, field="partitions", value=label)
            covered |= tensors
            if isinstance(size, bool) or not isinstance(size, int) or size < 1:
                raise StationaryError("must be a positive integer", where=where,
                                      field=f"partitions.{label}", value=size)
        if self.partitions and covered != self.keeps:
            raise StationaryError("partitions must cover every tensor the level keeps", where=where,
                                  field="partitions", value=sorted(t.value for t in self.keeps - covered))
        for name in ("bandwidth_words_per_cycle", "read_bandwidth_words_per_cycle", "write_bandwidth_words_per_cycle"):
            if getattr(self, name) is not None and getattr(self, name) <= 0:
                raise StationaryError("must be positive", where=where, field=name, value=getattr(self, name))
        if self.network_energy < 0:
            raise StationaryError("must be non-negative", where=where, field="network_energy",
                                  value=self.network_energy)

    @property
    def fanout(self) -> int:
        return self.fanout_x * self.fanout_y

    def read_cost(self, tensor: Tensor) -> float:
        return self.read_energy[TENSORS.index(tensor)]

    def write_cost(self, tensor: Tensor) -> float:
        return self.write_energy[TENSORS.index(tensor)]

    def capacity_groups(self) -> tuple[tuple[frozenset[Tensor], int | None], ...]:
        """The parts of this level's capacity: (tensors sharing it, words); None words is unbounded."""
        if self.partitions:
            return self.partitions
        return ((self.keeps, self.size_words),) if self.keeps else ()


@dataclass(frozen=True, slots=True)
class ComputeUnit:
    """The MACs under the innermost level: ``fanout_x`` x ``fanout_y`` per innermost instance."""
    mac_energy: float = 1.0
    fanout_x: int = 1
    fanout_y: int = 1
    network_energy: float = 0.0

    def __post_init__(self):
        # energies are reported per MAC and normalized to one MAC's energy: it cannot be zero
        if isinstance(self.mac_energy, bool) or not isinstance(self.mac_energy, (int, float)) or \
                not 0 < self.mac_energy < float("inf"):
            raise StationaryError("must be a positive number (energies are normalized to one MAC's)", where="mac",
                                  field="energy", value=self.mac_energy)


@dataclass(frozen=True, slots=True)
class Arch:
    name: str
    levels: tuple[MemoryLevel, ...]
    mac: ComputeUnit = field(default_factory=ComputeUnit)
    unit: Unit = Unit.MAC
    word_bits: int = 16
    clock_mhz: float = 200.0
    source: str = ""
    # An array of ``nodes`` identical engines (HMC vaults, DaDianNao chips), each with its own slice of the
    # outermost level; a layer is split over them (stationary.partition) and a word moved between two nodes
    # costs ``node_network_energy``. ``resident_weights`` names a level that keeps the weights from one inference
    # to the next when the whole network's weights fit in it.
    nodes: int = 1
    node_network_energy: float = 0.0
    resident_weights: str = ""

    def __post_init__(self):
        object.__setattr__(self, "levels", tuple(self.levels))
        if isinstance(self.nodes, bool) or not isinstance(self.nodes, int) or self.nodes < 1:
            raise StationaryError("must be a positive integer", where=f"arch {self.name}", field="nodes",
                                  value=self.nodes)
        if not self.node_network_energy >= 0:
            raise StationaryError("must be non-negative", where=f"arch {self.name}", field="node_network_energy",
                                  value=self.node_network_energy)
        if not self.levels:
            raise StationaryError("an architecture needs at least one level", where=f"arch {self.name}",
                                  field="levels", value=[])
        top = self.levels[0]
        if top.keeps != frozenset(TENSORS):
            raise StationaryError("the outermost level must keep weights, inputs and outputs",
                                  where=f"arch {self.name}: level {top.name}", field="keeps",
                                  value=sorted(t.value for t in top.keeps))
        if top.fanout != 1:
            raise StationaryError("the outermost level cannot have a fan-out above it",
                                  where=f"arch {self.name}: level {top.name}", field="fanout_x", value=top.fanout_x)
        names = [level.name for level in self.levels]
        if len(set(names)) != len(names):
            raise StationaryError("level names must be unique", where=f"arch {self.name}", field="levels",
                                  value=names)
        if self.resident_weights:
            keeps = [l for l in self.levels[1:] if l.name == self.resident_weights and Tensor.WEIGHT in l.keeps]
            if not keeps or keeps[0].size_words is None:
                raise StationaryError("must name an on-chip level, below the outermost, that keeps weights",
                                      where=f"arch {self.name}", field="resident_weights",
                                      value=self.resident_weights)

    def instances(self, index: int) -> int:
        """How many instances of level ``index`` there are (product of fan-outs down to it)."""
        n = 1
        for level in self.levels[: index + 1]:
            n *= level.fanout
        return n

    @property
    def pes(self) -> int:
        """Number of MAC units (processing elements)."""
        return self.instances(len(self.levels) - 1) * self.mac.fanout_x * self.mac.fanout_y

    def level_index(self, name: str) -> int:
        for i, level in enumerate(self.levels):
            if level.name.lower() == str(name).lower():
                return i
        raise StationaryError(f"no such level (levels: {', '.join(l.name for l in self.levels)})",
                              where=f"arch {self.name}", field="level", value=name)
