"""What the mapper minimizes: energy, delay (cycles), their product, or delay then energy (lexicographic).

Every objective orders candidates by a tuple key; ties fall to the other term and then to a stable text key of
the mapping, so results never depend on enumeration order.

>>> Objective.parse("delay,energy") is Objective.DELAY_ENERGY
True
>>> Objective.EDP.key(energy=2.0, cycles=3)
(6.0, 2.0, 3)
"""
from __future__ import annotations

import enum

from stationary.core import StationaryError


class Objective(enum.Enum):
    ENERGY = "energy"
    DELAY = "delay"
    EDP = "edp"
    DELAY_ENERGY = "delay,energy"

    @classmethod
    def parse(cls, text: str) -> "Objective":
        key = str(text).strip().lower().replace(" ", "").replace("-", ",").replace("_", ",").replace("+", ",")
        key = {"cycles": "delay", "latency": "delay", "energy,delay": "energy", "delay*energy": "edp"}.get(key, key)
        try:
            return cls(key)
        except ValueError:
            raise StationaryError("unknown objective (expected energy, delay, edp or delay,energy)",
                                  field="objective", value=text) from None

    def key(self, energy: float, cycles: int) -> tuple:
        """The sort key of a candidate (smaller is better); monotone in both energy and cycles."""
        if self is Objective.ENERGY:
            return (energy, cycles)
        if self is Objective.EDP:
            return (energy * cycles, energy, cycles)
        return (cycles, energy)   # DELAY and DELAY_ENERGY: delay first, energy breaks ties
