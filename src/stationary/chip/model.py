"""The chip's configuration as one ordinary mapping on the ``eyeriss`` arch, evaluated by the analytical model.

The PE runs the 1-D row convolution (RF: M p, C q, S; the window slides along F for n images in the buffer's
innermost loops); the array holds R x width sets times r (channels, down the columns) and t (filters); the strips
are a temporal loop over E around the array's E loop, whose last pass runs the remainder (CONV1's 55 rows: ``E8``
outside, ``E7,6`` on the array: seven strips of 7 and one of 6). The loops left over (strips, filter groups,
channel groups, image groups) are each split between DRAM and the buffer and ordered: the chip's configuration
fixes the array and the PE, and the host orders the passes (the paper's optimizer does the same). The split and
order taken is the one of least energy with every strip full (a layer padded to whole strips, exact factors: the
same model, fast), then the chosen mapping is fitted to the layer and evaluated exactly. Groups (G) run at DRAM.

>>> from stationary.arch import preset
>>> from stationary.workload import conv
>>> r = chip_result(conv("CONV2", 256, 48, 27, 5, pad=2, groups=2, batch=4), preset("eyeriss"))
>>> [str(l) for l in r.mapping.levels[1].spatial if l.dim.name == "E"]     # 27 rows: 14 + 13
['for E in [0:14,13) (spatial X)']
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


def padded(layer: Layer, config: RSConfig) -> Layer:
    """The layer with its last strip made full (E = strips x width): the proxy the pass order is chosen on."""
    e = len(config.strips) * config.strips[0]
    if e == layer.E:
        return layer
    rows = (e - 1) * layer.U + layer.dilation * (layer.R - 1) + 1 - layer.pad_h
    return replace(layer, name=f"{layer.name}/padded", H=rows)


def _mappings(layer: Layer, config: RSConfig):
    """Every split of the leftover loops between DRAM and the buffer, in every order (full strips)."""
    c = config
    mg = layer.M // layer.G
    width = c.strips[0]
    tv = max(d for d in range(1, c.t + 1) if c.t % d == 0 and d <= c.sets_vertical // c.r)
    rf = LevelMapping(temporal=(Loop(Dim.M, c.p), Loop(Dim.C, c.q), Loop(Dim.S, layer.S)))
    slide = tuple(l for l in (Loop(Dim.N, c.n), Loop(Dim.F, layer.F)) if l.bound > 1)
    spatial = (Loop(Dim.R, layer.R, Axis.Y), Loop(Dim.C, c.r, Axis.Y), Loop(Dim.M, tv, Axis.Y),
               Loop(Dim.E, width, Axis.X), Loop(Dim.M, c.t // tv, Axis.X))
    spatial = tuple(l for l in spatial if l.bound > 1 or l.dim in (Dim.R, Dim.E))
    rest = [Loop(Dim.E, len(c.strips)), Loop(Dim.M, mg // (c.p * c.t)), Loop(Dim.C, layer.C // (c.q * c.r)),
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


def chip_mapping(layer: Layer, arch: Arch, config: RSConfig | None = None) -> Mapping:
    """The chip's mapping of a layer: the configuration's array and PE, the passes in the order of least energy."""
    config = config or configure(layer)
    proxy = padded(layer, config)
    best = best_energy = None
    streams = bool(config.notes)   # the strip streams through the buffer: its tiles are not held to capacity
    for m in _mappings(proxy, config):
        try:
            e = evaluate(proxy, arch, m, validate=not streams).energy.total
        except StationaryError:
            continue
        if best is None or e < best_energy:
            best, best_energy = m, e
    if best is None:
        raise StationaryError("no order of the passes fits the chip's buffer", where=f"layer {layer.name}",
                              field="mapping", value=config.strips)
    return best.fitted(layer.dims)


def chip_result(layer: Layer, arch: Arch, config: RSConfig | None = None) -> LayerResult:
    """The chip's mapping evaluated by the model (the same ``evaluate`` every mapping goes through)."""
    config = config or configure(layer)
    return evaluate(layer, arch, chip_mapping(layer, arch, config), validate=not config.notes)
