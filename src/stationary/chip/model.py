"""The chip's configuration as a mapping, evaluated by the analytical model.

Each group of equal strips becomes one sub-layer (E = strips x width, its own input rows, no vertical padding) and
one mapping: the PE runs the 1-D row convolution (RF: M p, C q, S; the window slides along F for n images in the
buffer's innermost loops), the array holds R x width sets times
r (channels, down the columns) and t (filters), and the loops left over (strips, filter groups, channel groups,
image groups), each split into a DRAM part and a buffer part, take the legal split and order of least energy: the chip's configuration fixes the
array and the PE, and the host orders the passes (the paper's optimizer does the same). Groups (G) run at DRAM.
Strips of a remainder re-read the halo rows they share with the strip before them, as the chip does.

>>> from stationary.arch import preset
>>> from stationary.workload import conv
>>> runs = chip_results(conv("c", 384, 256, 15, 3, batch=4), preset("eyeriss"))
>>> sum(r.layer.macs for r in runs) == conv("c", 384, 256, 15, 3, batch=4).macs
True
"""
from __future__ import annotations

import itertools
from dataclasses import replace

from stationary.arch.spec import Arch
from stationary.chip.configuration import RSConfig, configure
from stationary.core import Dim, StationaryError, divisors
from stationary.mapping.mapping import Axis, LevelMapping, Loop, Mapping
from stationary.model.evaluate import LayerResult, evaluate
from stationary.workload.layer import Layer


def strip_groups(config: RSConfig) -> list[tuple[int, int]]:
    """(width, how many strips) for each run of equal strips, in order."""
    return [(w, len(list(g))) for w, g in itertools.groupby(config.strips)]


def sub_layer(layer: Layer, width: int, count: int, index: int) -> Layer:
    e = width * count
    if e == layer.E:
        return layer
    rows = (e - 1) * layer.U + layer.dilation * (layer.R - 1) + 1
    return replace(layer, name=f"{layer.name}/{index}", H=rows, pad_h=0)


def _mappings(layer: Layer, config: RSConfig, width: int, count: int):
    c = config
    mg = layer.M // layer.G
    tv = max(d for d in range(1, c.t + 1) if c.t % d == 0 and d <= c.sets_vertical // c.r)
    rf = LevelMapping(temporal=(Loop(Dim.M, c.p), Loop(Dim.C, c.q), Loop(Dim.S, layer.S)))
    slide = tuple(l for l in (Loop(Dim.N, c.n), Loop(Dim.F, layer.F)) if l.bound > 1)
    spatial = (Loop(Dim.R, layer.R, Axis.Y), Loop(Dim.C, c.r, Axis.Y), Loop(Dim.M, tv, Axis.Y),
               Loop(Dim.E, width, Axis.X), Loop(Dim.M, c.t // tv, Axis.X))
    spatial = tuple(l for l in spatial if l.bound > 1 or l.dim in (Dim.R, Dim.E))
    rest = [Loop(Dim.E, count), Loop(Dim.M, mg // (c.p * c.t)), Loop(Dim.C, layer.C // (c.q * c.r)),
            Loop(Dim.N, layer.N // c.n)]
    rest = [l for l in rest if l.bound > 1]
    group = (Loop(Dim.G, layer.G),) if layer.G > 1 else ()
    for split in itertools.product(*[[(d, l.bound // d) for d in divisors(l.bound)] for l in rest]):
        at_dram = [Loop(l.dim, a) for l, (a, _) in zip(rest, split) if a > 1]
        at_glb = [Loop(l.dim, b) for l, (_, b) in zip(rest, split) if b > 1]
        for dram_order in itertools.permutations(at_dram):
            for glb_order in itertools.permutations(at_glb):
                yield Mapping((LevelMapping(temporal=group + dram_order),
                               LevelMapping(temporal=glb_order + slide, spatial=spatial), rf))


def chip_results(layer: Layer, arch: Arch, config: RSConfig | None = None) -> list[LayerResult]:
    """One evaluated result per strip group: the least-energy legal order of the passes."""
    config = config or configure(layer)
    out = []
    for i, (width, count) in enumerate(strip_groups(config)):
        sub = sub_layer(layer, width, count, i)
        best = None
        for m in _mappings(sub, config, width, count):
            try:
                r = evaluate(sub, arch, m)
            except StationaryError:
                continue
            if best is None or r.energy.total < best.energy.total:
                best = r
        if best is None and config.notes:   # the strip streams through the buffer (see the configuration's notes):
            best = min((evaluate(sub, arch, m, validate=False) for m in _mappings(sub, config, width, count)),
                       key=lambda r: r.energy.total)
        if best is None:
            raise StationaryError("no order of the passes fits the chip's buffer", where=f"layer {layer.name}",
                                  field="mapping", value=config.strips)
        out.append(best)
    return out
