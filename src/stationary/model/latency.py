"""Cycles and utilization: compute-bound cycles from the temporal loops, and each level's bandwidth bound.

A MAC unit does one MAC per cycle, so the compute-bound cycles are the temporal steps. A level that moves
``w`` words per instance through a port of ``b`` words per cycle needs ``w / b`` cycles; the layer takes the
largest of these (no overlap penalty is modelled beyond that).

>>> from stationary.arch import preset
>>> from stationary.model.counts import AccessCounts
>>> lat = latency(AccessCounts("x", macs=1000, steps=10, units_used=100, levels=(), network=()), preset("eyeriss"))
>>> lat.cycles, round(lat.utilization, 3), lat.bound_by
(10, 0.595, 'compute')
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from stationary.arch.spec import Arch
from stationary.core import TENSORS
from stationary.model.counts import AccessCounts


@dataclass(frozen=True, slots=True)
class Latency:
    cycles: int
    compute_cycles: int
    bound_by: str          # "compute" or the name of the level whose bandwidth limits the layer
    utilization: float     # MACs / (cycles x MAC units in the array)
    active_pes: int
    clock_mhz: float

    @property
    def latency_ms(self) -> float:
        return self.cycles / (self.clock_mhz * 1e3)


def latency(counts: AccessCounts, arch: Arch, *, used_instances: tuple[int, ...] | None = None) -> Latency:
    """Cycles from the counts. With ``used_instances`` (the instances of each level the mapping uses: Timeloop's
    convention), a level with separate read and write ports is throttled as Timeloop throttles it: its reads and
    its fills plus updates per used instance against each port (:func:`timeloop_port_cycles`)."""
    cycles, bound = counts.steps, "compute"
    if used_instances is not None:
        for i, level in enumerate(arch.levels):
            need = timeloop_port_cycles(counts, level, used_instances[i])
            if need > cycles:
                cycles, bound = need, level.name
        util = counts.macs / (cycles * arch.pes) if cycles else 0.0
        return Latency(cycles, counts.steps, bound, util, counts.units_used, arch.clock_mhz)
    for i, level in enumerate(arch.levels):
        if level.bandwidth_words_per_cycle is None:
            continue
        words = sum(c.total for c in counts.levels if c.level == level.name)
        need = math.ceil(words / arch.instances(i) / level.bandwidth_words_per_cycle)
        if need > cycles:
            cycles, bound = need, level.name
    util = counts.macs / (cycles * arch.pes) if cycles else 0.0
    return Latency(cycles, counts.steps, bound, util, counts.units_used, arch.clock_mhz)


def timeloop_port_cycles(counts: AccessCounts, level, instances: int) -> int:
    """Timeloop's cycles for one level: the compute cycles slowed down by the worse of its read port (reads per
    used instance) and its write port (fills and updates), in Timeloop's floating-point order (per-tensor demands
    summed in the order weights, inputs, outputs)."""
    compute = counts.steps
    entries = {c.tensor: c for c in counts.levels if c.level == level.name}
    slowdown = 1.0
    for port, actions in (("read", ("reads",)), ("write", ("fills", "updates"))):
        width = getattr(level, f"{port}_bandwidth_words_per_cycle")
        demand = 0.0
        for tensor in TENSORS:
            if tensor in entries:
                demand += sum(getattr(entries[tensor], a) for a in actions) // instances / compute
        if width is not None and width < demand:
            slowdown = min(slowdown, width / demand)
    return math.ceil(compute / slowdown)
