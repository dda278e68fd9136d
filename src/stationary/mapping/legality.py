"""Is a mapping legal for a layer on an architecture? Raises a StationaryError naming the level, field and value.

>>> from stationary.arch import preset
>>> from stationary.workload import conv
>>> from stationary.core import Dim
>>> from stationary.mapping import LevelMapping, Loop, Mapping
>>> arch, layer = preset("eyeriss"), conv("c", 2, 1, 3, 3)
>>> bad = Mapping((LevelMapping(temporal=(Loop(Dim.M, 2),)), LevelMapping(), LevelMapping()))
>>> check(layer, arch, bad)
Traceback (most recent call last):
...
stationary.core.StationaryError: layer c: field 'R' = 1: loop bounds multiply to 1 but the layer has R = 3
"""
from __future__ import annotations

from stationary.arch.spec import Arch
from stationary.core import StationaryError, TENSORS, Tensor
from stationary.mapping.mapping import Axis, Mapping
from stationary.mapping.tiles import tile_bounds_at, tile_words
from stationary.workload.layer import Layer


def kept(arch: Arch, mapping: Mapping, level: int) -> frozenset[Tensor]:
    """Tensors a level holds under this mapping: what the hardware can keep, less what the mapping bypasses."""
    return arch.levels[level].keeps - mapping.levels[level].bypass


def check(layer: Layer, arch: Arch, mapping: Mapping) -> None:
    where = f"layer {layer.name}"
    if len(mapping.levels) != len(arch.levels):
        raise StationaryError(f"the mapping has {len(mapping.levels)} levels but arch {arch.name} has "
                              f"{len(arch.levels)} ({', '.join(l.name for l in arch.levels)})",
                              where=where, field="levels", value=len(mapping.levels))
    extents = mapping.extents()
    nest = mapping.nest()
    for dim, size in layer.dims.items():
        if extents[dim] == size:
            continue
        loops = [(arch.levels[i].name, loop) for i, loop in nest if loop.dim is dim]
        text = ", ".join(f"{name} {loop.dim.name}={loop.factor_text}" for name, loop in loops)
        if all(loop.perfect for _, loop in loops):
            raise StationaryError(f"loop bounds multiply to {extents[dim]} but the layer has {dim.name} = {size}"
                                  + (f" ({text})" if text else ""), where=where, field=dim.name, value=extents[dim])
        verb = "over-cover" if extents[dim] > size else "do not cover"
        raise StationaryError(f"the loops and residuals of {dim.name} ({text}) cover {extents[dim]} indices: they "
                              f"{verb} the layer's {dim.name} = {size}", where=where, field=dim.name,
                              value=extents[dim])
    for i, (level, lm) in enumerate(zip(arch.levels, mapping.levels)):
        lwhere = f"{where}: level {level.name}"
        if lm.bypass - level.keeps:
            raise StationaryError("bypasses a tensor the level cannot keep anyway", where=lwhere, field="bypass",
                                  value=sorted(t.value for t in lm.bypass - level.keeps))
        if i == 0 and lm.bypass:
            raise StationaryError("the outermost level keeps every tensor", where=lwhere, field="bypass",
                                  value=sorted(t.value for t in lm.bypass))
        below = arch.levels[i + 1] if i + 1 < len(arch.levels) else arch.mac
        for axis, limit in ((Axis.X, below.fanout_x), (Axis.Y, below.fanout_y)):
            used = lm.spatial_bound(axis)
            if used > limit:
                raise StationaryError(f"spatial loops need {used} along {axis.value} but the fan-out below has "
                                      f"{limit}", where=lwhere, field=f"spatial.{axis.value}", value=used)
        holds = kept(arch, mapping, i)
        tile = tile_bounds_at(nest, i)
        for tensors, size in level.capacity_groups():
            if size is None:
                continue
            need = sum(tile_words(layer, t, tile) for t in TENSORS if t in tensors and t in holds)
            if need > size:
                label = "+".join(t.value for t in TENSORS if t in tensors)
                raise StationaryError(f"tiles need {need} words but the level holds {size} for {label}",
                                      where=lwhere, field=f"size_words.{label}", value=need)
