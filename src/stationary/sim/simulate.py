"""``simulate()``: count a mapping's accesses by moving words, run it on real tensors, and account for zeros.

>>> import numpy as np
>>> from stationary.arch import preset
>>> from stationary.core import Dim, Tensor
>>> from stationary.mapping import LevelMapping, Loop, Mapping
>>> from stationary.workload import conv
>>> layer = conv("c", 2, 1, 4, 3)
>>> m = Mapping((LevelMapping(temporal=(Loop(Dim.M, 2),)), LevelMapping(temporal=(Loop(Dim.E, 2),)),
...              LevelMapping(temporal=(Loop(Dim.F, 2), Loop(Dim.R, 3), Loop(Dim.S, 3)))))
>>> x = np.ones((1, 1, 4, 4)); x[0, 0, 0, 0] = 0          # one zero input, used by one MAC per filter
>>> result = simulate(layer, preset("eyeriss"), m, np.ones((2, 1, 3, 3)), x, zero=ZeroMode.GATE)
>>> result.ok, result.output[0, 0].tolist(), result.zero.macs, result.zero.weight_reads
(True, [[8.0, 9.0], [9.0, 9.0]], 2, 2)
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np

from stationary.arch.spec import Arch
from stationary.core import StationaryError, Tensor
from stationary.mapping.legality import check, kept
from stationary.mapping.mapping import Mapping
from stationary.model.counts import AccessCounts
from stationary.sim.arithmetic import Numeric, Precision, padded_input, reference_conv
from stationary.sim.counting import BATCH_WORDS, Hop, count_accesses, n_distinct
from stationary.sim.execute import execute
from stationary.workload.layer import Layer


class ZeroMode(enum.Enum):
    NONE = "none"
    GATE = "gate"   # Eyeriss: a zero input skips the weight read and the MAC (the input is still read)
    SKIP = "skip"   # zero inputs are never delivered: no input read, no weight read, no MAC

    @classmethod
    def parse(cls, text: str) -> "ZeroMode":
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            raise StationaryError("unknown zero handling (expected none, gate or skip)", field="zero",
                                  value=text) from None


@dataclass(frozen=True, slots=True)
class ZeroCounts:
    """What zero inputs saved, to subtract from the full counts: MACs not done, and reads not made at the innermost
    level that keeps each operand (a read multicast to several MACs is saved only if all of them are idle)."""
    mode: ZeroMode
    zero_input_words: int   # zeros in the padded input index space
    macs: int
    weight_reads: int
    input_reads: int
    weight_level: str
    input_level: str


@dataclass(frozen=True, slots=True)
class SimResult:
    counts: AccessCounts
    output: np.ndarray | None = None
    reference: np.ndarray | None = None
    precision: Precision | None = None
    blocks: int = 0
    zero: ZeroCounts | None = None

    @property
    def ok(self) -> bool:
        """The output equals the reference convolution (bit for bit in fixed point, to rounding in float)."""
        if self.output is None:
            return True
        if self.precision.kind is Numeric.FIXED:
            return bool(np.array_equal(self.output, self.reference))
        return bool(np.allclose(self.output, self.reference, rtol=1e-9, atol=1e-9 * max(1.0, np.abs(
            self.reference).max(initial=0.0))))


def simulate(layer: Layer, arch: Arch, mapping: Mapping, weights: np.ndarray | None = None,
             inputs: np.ndarray | None = None, *, precision: Precision = Precision.float64(),
             zero: ZeroMode = ZeroMode.NONE, validate: bool = True) -> SimResult:
    """Counts always; with tensors, the output, the reference output and (with ``zero``) the zero savings."""
    if validate:
        check(layer, arch, mapping)
    counts = count_accesses(layer, arch, mapping, validate=False)
    if weights is None or inputs is None:
        return SimResult(counts)
    run = execute(layer, mapping, weights, inputs, precision)
    ref = reference_conv(layer, weights, inputs, precision)
    zc = None
    if zero is not ZeroMode.NONE:
        nonzero = padded_input(layer, np.asarray(inputs)).ravel() != 0
        w_saved, w_level = _saved_reads(layer, arch, mapping, Tensor.WEIGHT, nonzero, run.zero_input_macs)
        i_saved, i_level = _saved_reads(layer, arch, mapping, Tensor.IFMAP, nonzero, run.zero_input_macs)
        zc = ZeroCounts(zero, int((~nonzero).sum()), run.zero_input_macs, w_saved,
                        i_saved if zero is ZeroMode.SKIP else 0, w_level, i_level)
    return SimResult(counts, run.output, ref, precision, run.blocks, zc)


def _saved_reads(layer, arch, mapping, tensor, nonzero, zero_macs) -> tuple[int, str]:
    """Reads of ``tensor`` at its innermost keeper that serve only MACs with a zero input."""
    depth = len(arch.levels)
    parent = max(i for i in range(depth) if tensor in kept(arch, mapping, i))
    if not mapping.perfect:
        return _saved_reads_guarded(layer, mapping, tensor, parent, nonzero), arch.levels[parent].name
    hop = Hop(layer, mapping, tensor, parent, depth)
    if hop.per_parent == 1:       # one MAC per read: a read is saved with its MAC
        return zero_macs, arch.levels[parent].name
    x_hop = Hop(layer, mapping, Tensor.IFMAP, parent, depth)   # same step and instance order
    n_steps, inst = len(hop.step_origin), np.arange(hop.instances, dtype=np.int64)
    saved = 0
    chunk = max(1, BATCH_WORDS // hop.instances)
    for lo in range(0, n_steps, chunk):
        steps = np.arange(lo, min(n_steps, lo + chunk))
        words = hop.step_origin[steps][:, None] + hop.instance_origin[None, :]
        busy = nonzero[x_hop.step_origin[steps][:, None] + x_hop.instance_origin[None, :]]
        local = np.arange(len(steps), dtype=np.int64)[:, None] * hop.parents + (inst // hop.per_parent)[None, :]
        keys = local * hop.space + words
        saved += n_distinct(keys.ravel()) - n_distinct(keys[busy])
    return saved, arch.levels[parent].name


def _saved_reads_guarded(layer, mapping, tensor, parent, nonzero) -> int:
    """The same with remainders: only MACs with work count, and every read serves only the working ones."""
    from stationary.sim.guarded import GuardedHop, working
    depth = len(mapping.levels)
    hop, x_hop = GuardedHop(layer, mapping, tensor, parent, depth), GuardedHop(layer, mapping, Tensor.IFMAP, parent,
                                                                               depth)
    steps, insts = np.nonzero(working(hop))
    words = hop.step_origin[steps] + hop.instance_origin[insts]
    busy = nonzero[x_hop.step_origin[steps] + x_hop.instance_origin[insts]]
    keys = (steps * hop.parents + insts // hop.per_parent) * hop.space + words
    return n_distinct(keys) - n_distinct(keys[busy])


@dataclass(frozen=True, slots=True)
class CountRow:
    """One (level, tensor, kind) count from both implementations; ``kind`` is reads/fills/updates/drains or
    transfers (network, where ``level`` names the fan-out)."""
    level: str
    tensor: Tensor
    kind: str
    simulated: int
    modelled: int

    @property
    def same(self) -> bool:
        return self.simulated == self.modelled


def count_rows(simulated: AccessCounts, modelled: AccessCounts) -> list[CountRow]:
    """Every count either side reports, side by side, levels first then network transfers.

    >>> from stationary.model.counts import LevelCounts
    >>> a = AccessCounts("l", 1, 1, 1, (LevelCounts("RF", Tensor.WEIGHT, reads=3),), ())
    >>> b = AccessCounts("l", 1, 1, 1, (LevelCounts("RF", Tensor.WEIGHT, reads=4),), ())
    >>> [(r.kind, r.simulated, r.modelled) for r in count_rows(a, b) if not r.same]
    [('reads', 3, 4)]
    """
    rows: list[CountRow] = []
    keys = list(dict.fromkeys((e.level, e.tensor) for e in simulated.levels + modelled.levels))
    for level, tensor in keys:
        s, m = simulated.at(level, tensor), modelled.at(level, tensor)
        for kind in ("reads", "fills", "updates", "drains"):
            rows.append(CountRow(level, tensor, kind, getattr(s, kind), getattr(m, kind)))
    nets = list(dict.fromkeys((n.level, n.tensor) for n in simulated.network + modelled.network))
    for level, tensor in nets:
        rows.append(CountRow(level, tensor, "transfers", simulated.transfers(level, tensor),
                             modelled.transfers(level, tensor)))
    return rows
