"""Our mappings in Timeloop's forms: a ``map.yaml`` Timeloop reads back (``timeloop-model arch.yaml problem.yaml
map.yaml``) and the ``map.txt``-style loop nest Timeloop prints. Dimensions take Timeloop's CNN-layer names (our E,
F are its P, Q; M stays M).

A Timeloop directive gives one factor per dimension per level and kind, so a level with two temporal (or two
spatial) loops of one dimension cannot be written: that is an error naming the level and the dimension. Timeloop's
``split`` puts the X dimensions innermost among a level's spatial loops, so a mapping read back lists a level's
spatial Y loops before its X loops; nothing else changes (the round trip is tested).

>>> from stationary.arch import preset
>>> from stationary.core import Dim
>>> from stationary.mapping.mapping import Axis, LevelMapping, Loop, Mapping
>>> from stationary.mapping.timeloop import load_timeloop_mapping
>>> arch = preset("timeloop-eyeriss-like")
>>> m = Mapping((LevelMapping(temporal=(Loop(Dim.F, 55), Loop(Dim.C, 3))),
...              LevelMapping(temporal=(Loop(Dim.E, 55),), spatial=(Loop(Dim.M, 12, Axis.X),)),
...              LevelMapping(spatial=(Loop(Dim.S, 11, Axis.Y),)), LevelMapping(),
...              LevelMapping(temporal=(Loop(Dim.R, 11),)), LevelMapping(temporal=(Loop(Dim.M, 8),))))
>>> load_timeloop_mapping(timeloop_map_yaml(m, arch), arch) == m
True
>>> print(timeloop_map_txt(m, arch).splitlines()[1:5])
['DRAM [ Weights Inputs Outputs ] ', '-------------------------------', '| for Q in [0:55)', '|   for C in [0:3)']
"""
from __future__ import annotations

import yaml

from stationary.arch.spec import Arch
from stationary.core import Dim, StationaryError, TENSORS, Tensor, prod
from stationary.mapping.legality import kept
from stationary.mapping.mapping import Axis, Loop, Mapping
from stationary.mapping.tiles import tile_bounds_at

TIMELOOP_NAME = {Dim.E: "P", Dim.F: "Q"}
_ORDER = (Dim.C, Dim.M, Dim.R, Dim.S, Dim.N, Dim.E, Dim.F)   # the order Timeloop's CNN-layer lists its factors
_DATASPACE = {Tensor.WEIGHT: "Weights", Tensor.IFMAP: "Inputs", Tensor.PSUM: "Outputs"}


def _name(dim: Dim) -> str:
    return TIMELOOP_NAME.get(dim, dim.name)


def timeloop_map_yaml(mapping: Mapping, arch: Arch) -> str:
    """The mapping as a Timeloop ``map.yaml`` (v0.3 directives: datatype, temporal, spatial per level)."""
    directives = []
    for index in range(len(arch.levels) - 1, -1, -1):   # innermost first, as Timeloop writes them
        level, lm = arch.levels[index], mapping.levels[index]
        keep = kept(arch, mapping, index)
        directives.append({"target": level.name, "type": "datatype",
                           "keep": [_DATASPACE[t] for t in TENSORS if t in keep],
                           "bypass": [_DATASPACE[t] for t in TENSORS if t not in keep]})
        directives.append(_directive(level.name, "temporal", lm.temporal))
        if lm.spatial:
            x = [loop for loop in lm.spatial if loop.axis is Axis.X]
            y = [loop for loop in lm.spatial if loop.axis is Axis.Y]
            directive = _directive(level.name, "spatial", tuple(y) + tuple(x))
            directive["split"] = len(x)
            directives.append(directive)
    return yaml.safe_dump({"mapping": directives}, sort_keys=False, default_flow_style=None, width=110)


def _directive(target: str, kind: str, loops: tuple[Loop, ...]) -> dict:
    """``loops`` outermost first; Timeloop's permutation lists them innermost first, then the factors of 1."""
    if any(loop.dim is Dim.G for loop in loops if loop.bound > 1):
        raise StationaryError("Timeloop's CNN-layer problem has no groups: a loop over G cannot be written",
                              where=f"level {target}", field=kind, value=[str(l) for l in loops])
    bounds: dict[Dim, str] = {}
    for loop in loops:
        if loop.dim in bounds:
            raise StationaryError(f"two {kind} loops over {_name(loop.dim)} at one level: a Timeloop directive "
                                  "takes one factor per dimension", where=f"level {target}", field=kind,
                                  value=[str(l) for l in loops])
        bounds[loop.dim] = loop.factor_text       # "7", or Ruby's "7,6" when the last pass runs 6
    placed = [loop.dim for loop in reversed(loops)]
    order = placed + [d for d in _ORDER if d not in bounds]
    return {"target": target, "type": kind,
            "factors": " ".join(f"{_name(d)}{bounds.get(d, 1)}" for d in _ORDER),
            "permutation": "".join(_name(d) for d in order)}


def timeloop_map_txt(mapping: Mapping, arch: Arch, layer=None) -> str:
    """The loop nest as Timeloop writes it to ``timeloop-model.map.txt``: per level its name and the tensors it
    keeps (with the layer given, each tile's words as Timeloop counts them, a box, twice: size and shape), then its
    loops indented as they nest; a level with no temporal loop shows Timeloop's placeholder ``for Q in [0:1)``."""
    from stationary.mapping.tiles import tensor_axes
    lines, depth = [""], 0
    nest = mapping.nest()
    for index, (level, lm) in enumerate(zip(arch.levels, mapping.levels)):
        keep = kept(arch, mapping, index)
        tile = tile_bounds_at(nest, index)
        names = []
        for t in TENSORS:
            if t in keep and layer is not None:
                words = prod(sum(c * (tile.get(d, 1) - 1) for d, c in axis.terms) + 1
                             for axis in tensor_axes(layer, t))
                names.append(f"{_DATASPACE[t]}:{words} ({words})")
            elif t in keep:
                names.append(_DATASPACE[t])
        header = f"{level.name} [ {' '.join(names + [''])}] "
        lines += [header, "-" * (len(header) - 1)]
        temporal = [loop for loop in lm.temporal if loop.bound > 1] or [Loop(Dim.F, 1)]
        for loop in temporal + [loop for loop in lm.spatial if loop.bound > 1]:
            kind = f" (Spatial-{loop.axis.value})" if loop.spatial else ""
            lines.append(f"|{' ' * (2 * depth + 1)}for {_name(loop.dim)} in [0:{loop.factor_text}){kind}")
            depth += 1
        lines.append("")
    return "\n".join(lines) + "\n"


__all__ = ["timeloop_map_yaml", "timeloop_map_txt"]
