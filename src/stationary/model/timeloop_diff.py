"""Every figure of a Timeloop run beside ours, and the named convention that accounts for each difference.

For one layer, arch and mapping, five counts are taken through the one analysis: ours (physical); Timeloop's
conventions with the hardware's step deltas, exact tiles and no link transfers; the same with Timeloop's refetch on
a stride change; with tiles as boxes besides; and Timeloop's in full. The steps between them split
``ours - Timeloop`` per level, tensor and action into named conventions:

* ``drains``: we read a finished partial-sum tile out to send it up; Timeloop counts no such read.
* ``multicast of identical deltas only``: a parent read that reaches several children counts once for us; Timeloop
  counts it once per distinct delta, per spatial level (overlapping sliding windows are not identical).
* ``read-back partial sums into every PE``: Timeloop fills a partial sum read back from the parent into every PE
  of the spatial-reduction group; physically one PE of the group receives it.
* ``refetch when the stride changes``: when an outer loop steps and the inner ones start over, Timeloop fetches the
  tile whole even where it overlaps what the level holds (an input halo, or a tile that did not move at all).
* ``strided tiles as boxes``: Timeloop holds a tile as its bounding box, with the rows and columns a stride skips.
* ``link transfers``: Timeloop lets a PE take a neighbour's data of the step before (no such link in the arch).
* ``whole blocks per access`` (energy only): Timeloop charges each instance whole blocks of a multi-word port
  (157,323 words read from a 4-word DRAM cost 39,331 blocks); we charge the words.
* ``UNEXPLAINED``: what is left between our Timeloop mode and the stats file. It should be zero; it is flagged.
"""
from __future__ import annotations

from dataclasses import dataclass

from stationary.arch.spec import Arch
from stationary.core import StationaryError, TENSORS, Tensor
from stationary.mapping.mapping import Mapping
from stationary.model.analysis import analyze
from stationary.model.conventions import Conventions
from stationary.model.counts import AccessCounts
from stationary.model.energy import energy
from stationary.model.evaluate import evaluate
from stationary.model.timeloop_stats import TimeloopStats
from stationary.workload.layer import Layer

ACTIONS = ("reads", "fills", "updates", "drains")
DRAINS, MULTICAST, PSUM_FILLS = "drains", "multicast of identical deltas only", "read-back partial sums into every PE"
STRIDE, BOXES, LINKS, UNEXPLAINED = ("refetch when the stride changes", "strided tiles as boxes", "link transfers",
                                     "UNEXPLAINED")
BLOCKS = "whole blocks per access"
CONVENTIONS = (DRAINS, MULTICAST, PSUM_FILLS, STRIDE, BOXES, LINKS, BLOCKS)


@dataclass(frozen=True, slots=True)
class DiffRow:
    """One figure (level, tensor, action) and one convention's share of ``ours - timeloop`` in it
    (``convention`` is empty where the figures agree)."""
    level: str
    tensor: Tensor
    action: str
    timeloop: int
    ours_timeloop_mode: int
    ours: int
    convention: str
    count_delta: int
    energy_pj_delta: float


@dataclass(frozen=True, slots=True)
class TimeloopDiff:
    rows: tuple[DiffRow, ...]
    energy_uj_timeloop: float
    energy_uj_ours_timeloop_mode: float
    energy_uj_ours: float
    cycles_timeloop: int
    cycles_ours_timeloop_mode: int
    cycles_ours: int
    energy_unexplained_uj: float   # our Timeloop mode less the stats file, beyond the file's 0.01 uJ rounding

    @property
    def unexplained(self) -> tuple[DiffRow, ...]:
        return tuple(r for r in self.rows if r.convention == UNEXPLAINED)

    def by_convention(self) -> dict[str, float]:
        """Energy (pJ) each convention accounts for, ours less Timeloop's."""
        out: dict[str, float] = {}
        for r in self.rows:
            if r.convention:
                out[r.convention] = out.get(r.convention, 0.0) + r.energy_pj_delta
        return out


def timeloop_diff(layer: Layer, arch: Arch, mapping: Mapping, stats: TimeloopStats, *,
                  link_transfers: bool = True) -> TimeloopDiff:
    """Compare ours with a Timeloop run of the same layer, arch and mapping (``link_transfers=False`` for a run
    made with ``TIMELOOP_DISABLE_LINK_TRANSFERS``)."""
    _check_same_problem(layer, arch, stats)
    full = Conventions(timeloop=True, link_transfers=link_transfers)
    runs = [analyze(layer, arch, mapping, conventions=c) for c in
            (Conventions.PHYSICAL,
             Conventions(timeloop=True, boxes=False, link_transfers=False, stride_refetch=False),
             Conventions(timeloop=True, boxes=False, link_transfers=False),
             Conventions.TIMELOOP_NO_LINK_TRANSFERS, full)]
    physical, timeloop = runs[0], runs[-1]
    rows = []
    for level in arch.levels:
        for tensor in TENSORS:
            entry = stats.at(level.name, tensor)
            if entry is None and not any(_get(r, level.name, tensor, a) for r in runs for a in ACTIONS):
                continue
            for action in ACTIONS:
                theirs = entry.total(action) if entry is not None and action != "drains" else 0
                values = [_get(r, level.name, tensor, action) for r in runs] + [theirs]
                cost = level.read_cost(tensor) if action in ("reads", "drains") else level.write_cost(tensor)
                rows.extend(_explain(level.name, tensor, action, values, cost))
    evaluated = evaluate(layer, arch, mapping, conventions=full)
    per_word = energy(timeloop, arch)
    for level in arch.levels:
        for tensor in TENSORS:
            extra = evaluated.energy.at(level.name, tensor) - per_word.at(level.name, tensor)
            if abs(extra) > 1e-9 * max(1.0, per_word.at(level.name, tensor)):
                count = _get(timeloop, level.name, tensor, "reads")
                rows.append(DiffRow(level.name, tensor, "energy", count, count, _get(physical, level.name, tensor,
                                                                                     "reads"), BLOCKS, 0, -extra))
    e_tl = evaluated.energy.total / 1e6
    residual = e_tl - stats.energy_uj
    cycles = evaluated.latency.cycles
    if cycles != stats.cycles:
        rows.append(DiffRow("total", None, "cycles", stats.cycles, cycles, evaluate(layer, arch, mapping).latency.cycles,
                            UNEXPLAINED, cycles - stats.cycles, 0.0))
    return TimeloopDiff(tuple(rows), stats.energy_uj, e_tl, energy(physical, arch).total / 1e6, stats.cycles, cycles,
                        evaluate(layer, arch, mapping).latency.cycles,
                        residual if abs(residual) > 0.005 + 1e-9 * stats.energy_uj else 0.0)


def _get(counts: AccessCounts, level: str, tensor: Tensor, action: str) -> int:
    return getattr(counts.at(level, tensor), action)


def _explain(level, tensor, action, values, cost) -> list[DiffRow]:
    ours, steps, exact, boxes, full, theirs = values
    base = dict(level=level, tensor=tensor, action=action, timeloop=theirs, ours_timeloop_mode=full, ours=ours)
    parts = [(_physical_convention(tensor, action), ours - steps), (STRIDE, steps - exact), (BOXES, exact - boxes),
             (LINKS, boxes - full), (UNEXPLAINED, full - theirs)]
    rows = [DiffRow(**base, convention=name, count_delta=delta, energy_pj_delta=delta * cost)
            for name, delta in parts if delta]
    return rows or [DiffRow(**base, convention="", count_delta=0, energy_pj_delta=0.0)]


def _physical_convention(tensor: Tensor, action: str) -> str:
    """The one convention that can separate our physical count from Timeloop's (exact tiles, no links) in a
    figure; any other difference there is unexplained."""
    if action == "drains":
        return DRAINS
    if tensor is Tensor.PSUM and action == "fills":
        return PSUM_FILLS
    if tensor is not Tensor.PSUM and action == "reads":
        return MULTICAST
    return UNEXPLAINED


def _check_same_problem(layer: Layer, arch: Arch, stats: TimeloopStats) -> None:
    if stats.macs != layer.macs:
        raise StationaryError(f"the stats file counts {stats.macs} MACs but layer {layer.name} has {layer.macs}: "
                              "a run of another problem?", source=stats.source, field="Computes (total)",
                              value=stats.macs)
    names = {level.name for level in arch.levels}
    for name in stats.levels:
        if name not in names:
            raise StationaryError(f"level not in the arch ({', '.join(sorted(names))}): a run of another "
                                  "architecture?", source=stats.source, field="level", value=name)
