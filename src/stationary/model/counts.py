"""Access counts: the model's answer, before any energy is attached.

Per storage level and tensor, whole-layer totals over every instance, in words:

- ``reads``: words read to serve the level below (the next level that keeps the tensor, or the MACs); a word
  multicast to several children at once is read once. For outputs, the partial sums sent back down.
- ``fills``: words written into the level from above (for outputs: partial sums brought back to continue).
- ``updates``: output words written into the level from below (after any spatial reduction on the way).
- ``drains``: output words read out of the level to send up to the parent (Timeloop does not count these).

``network`` counts words crossing a level's fan-out (the ISCA 2016 "array"): deliveries to the children plus the
partial-sum hops of a spatial reduction.
"""
from __future__ import annotations

from dataclasses import dataclass

from stationary.core import Tensor


@dataclass(frozen=True, slots=True)
class LevelCounts:
    level: str
    tensor: Tensor
    reads: int = 0
    fills: int = 0
    updates: int = 0
    drains: int = 0

    @property
    def total(self) -> int:
        return self.reads + self.fills + self.updates + self.drains


@dataclass(frozen=True, slots=True)
class NetworkCounts:
    level: str  # the level whose fan-out the words cross ("MAC" for the fan-out under the innermost level)
    tensor: Tensor
    transfers: int


@dataclass(frozen=True, slots=True)
class AccessCounts:
    layer: str
    macs: int
    steps: int           # temporal iterations: cycles of one MAC unit at one MAC per cycle
    units_used: int      # MAC units with work (product of the spatial loops)
    levels: tuple[LevelCounts, ...]
    network: tuple[NetworkCounts, ...]

    def at(self, level: str, tensor: Tensor) -> LevelCounts:
        for entry in self.levels:
            if entry.level == level and entry.tensor is tensor:
                return entry
        return LevelCounts(level, tensor)

    def transfers(self, level: str, tensor: Tensor) -> int:
        return sum(n.transfers for n in self.network if n.level == level and n.tensor is tensor)


def sum_level_counts(entries) -> tuple[LevelCounts, ...]:
    """Level counts added up per (level, tensor), in order of first appearance (parts of a split layer, loads)."""
    sums: dict[tuple[str, Tensor], list[int]] = {}
    for c in entries:
        entry = sums.setdefault((c.level, c.tensor), [0, 0, 0, 0])
        for k, v in enumerate((c.reads, c.fills, c.updates, c.drains)):
            entry[k] += v
    return tuple(LevelCounts(level, tensor, *v) for (level, tensor), v in sums.items())
