"""Which counting conventions the analysis follows: the physical count of an Eyeriss-like array (the default) or
Timeloop v3.0.3's (to compare with Timeloop figure by figure). One analysis takes it as a parameter
(:func:`stationary.model.analysis.analyze`); docs/timeloop.md explains every convention that differs.

>>> Conventions.parse("timeloop") == Conventions.TIMELOOP, str(Conventions.parse("timeloop", link_transfers=False))
(True, 'timeloop-no-link-transfers')
>>> Conventions.TIMELOOP.timeloop, Conventions.PHYSICAL.timeloop
(True, False)
"""
from __future__ import annotations

from dataclasses import dataclass

from stationary.core import StationaryError


@dataclass(frozen=True, slots=True)
class Conventions:
    """``timeloop``: count as Timeloop's nest analysis does (multicast only of identical deltas, read-back partial
    sums filled into every PE of a reduction group, no drains, first reads and fills of outputs elided).
    ``boxes`` (Timeloop only): a tile's footprint is its bounding box, strided holes included.
    ``link_transfers`` (Timeloop only): neighbours hand each other data, unless Timeloop runs with
    ``TIMELOOP_DISABLE_LINK_TRANSFERS``.
    ``stride_refetch`` (Timeloop only): a tile whose stride changes (an outer loop steps) is fetched whole, even
    where it overlaps what the level held; off, a step fetches only the words new to the level, as in hardware."""
    timeloop: bool = False
    boxes: bool = True
    link_transfers: bool = True
    stride_refetch: bool = True

    def __str__(self) -> str:
        if not self.timeloop:
            return "physical"
        return ("timeloop" + ("" if self.stride_refetch else "-no-stride-refetch")
                + ("" if self.boxes else "-exact-tiles") + ("" if self.link_transfers else "-no-link-transfers"))

    @classmethod
    def parse(cls, text, *, link_transfers: bool = True) -> "Conventions":
        if isinstance(text, Conventions):
            return text
        key = str(text).strip().lower()
        if key == "physical":
            return cls.PHYSICAL
        if key == "timeloop":
            return cls.TIMELOOP if link_transfers else cls.TIMELOOP_NO_LINK_TRANSFERS
        if key == "timeloop-no-link-transfers":
            return cls.TIMELOOP_NO_LINK_TRANSFERS
        raise StationaryError("unknown conventions (expected physical or timeloop)", field="conventions",
                              value=text)


Conventions.PHYSICAL = Conventions()
Conventions.TIMELOOP = Conventions(timeloop=True)
Conventions.TIMELOOP_NO_LINK_TRANSFERS = Conventions(timeloop=True, link_transfers=False)
