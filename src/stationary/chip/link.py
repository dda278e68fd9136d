"""Stalls on the chip's off-chip link: the array waits for DRAM data it could not prefetch.

The chip moves every DRAM word over its 64-bit link (JSSC 2017, Fig. 2: a link clock domain apart from the
200 MHz core; the figures are in ``data/eyeriss_chip_measured.yaml`` with their status). The outermost loops of
the mapping are the *passes*: each pass's DRAM words (fills of the buffer and its write-backs, after RLC) cross
the link. The first pass cannot start before its data is in; later passes can receive their data while the one
before computes, but only into the buffer space the running pass leaves free (per partition: the 8 kB filter
part, the 100 kB ifmap and psum part); the rest waits. Per pass, on the average pass:

    first pass  = its words / link rate + its compute
    other passes = max(compute, prefetched / link rate) + (words - prefetched) / link rate
    prefetched  = per partition, min(the pass's words for it, the partition's size - the tiles it holds)

The stall is that time less the compute cycles. Nothing here is fitted: the link, the buffer and the mapping
decide it.

>>> from stationary.arch import preset
>>> from stationary.core import Dim
>>> from stationary.mapping import LevelMapping, Loop, Mapping
>>> from stationary.model import evaluate
>>> from stationary.workload import fc
>>> r = evaluate(fc("fc", 8, 8), preset("eyeriss"), Mapping((LevelMapping(temporal=(Loop(Dim.M, 8),)),
...              LevelMapping(temporal=(Loop(Dim.C, 8),)), LevelMapping())))
>>> link = Link(bits=64, clock_mhz=100.0, source="example")     # 4 words per 100 MHz cycle: 2 per core cycle
>>> stall_cycles(r, link)   # 8 passes of 8 cycles and 10 words (8 weights, 1 input, 1 output): only the first waits
5
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from stationary.core import TENSORS
from stationary.mapping.legality import kept
from stationary.mapping.tiles import tile_bounds_at, tile_words
from stationary.model.evaluate import LayerResult


@dataclass(frozen=True, slots=True)
class Link:
    """The off-chip data bus: ``bits`` wide at ``clock_mhz``."""
    bits: int
    clock_mhz: float
    source: str

    def words_per_cycle(self, word_bits: int, core_mhz: float) -> float:
        """Words the link moves per core cycle."""
        return self.bits / word_bits * self.clock_mhz / core_mhz


def stall_cycles(result: LayerResult, link: Link, dram_scale: float = 1.0) -> int:
    """Core cycles the array waits for the link on this mapping (``dram_scale``: coded / raw DRAM words)."""
    arch, mapping, counts = result.arch, result.mapping, result.counts
    rate = link.words_per_cycle(arch.word_bits, arch.clock_mhz)
    top = arch.levels[0].name
    passes = max(1, mapping.live_count(False, above=1))
    compute = counts.steps / passes
    per_tensor = {t: counts.at(top, t).total * dram_scale / passes for t in TENSORS}
    words = sum(per_tensor.values())
    prefetched = 0.0
    if len(arch.levels) > 1:
        buffer = arch.levels[1]
        holds = kept(arch, mapping, 1)
        tile = tile_bounds_at(mapping.nest(), 1)
        for tensors, size in buffer.capacity_groups():
            group = [t for t in TENSORS if t in tensors and t in holds]
            if not group:
                continue
            need = sum(per_tensor[t] for t in group)
            free = math.inf if size is None else max(0, size - sum(tile_words(result.layer, t, tile) for t in group))
            prefetched += min(need, free)
    first = words / rate + compute
    others = max(compute, prefetched / rate) + (words - prefetched) / rate
    return max(0, round(first + (passes - 1) * others - counts.steps))
