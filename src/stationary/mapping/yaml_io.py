"""Mapping files: ``mapping_to_yaml`` and ``load_mapping_yaml``, per level by name, with validation.

The format (docs/architecture.md)::

    arch: timeloop-eyeriss-like      # optional: checked against the arch given
    levels:                          # by level name; a level left out has no loops and bypasses nothing
      DRAM: {temporal: F55 C3}       # temporal loops outermost first: "F55 C3", "F=55 C=3" or [F55, C3]
      shared_glb:
        temporal: E55
        spatial: {X: M12}            # spatial loops per array axis (X, Y), outermost first
      DummyBuffer: {spatial: {Y: S11}}
      weights_spad: {temporal: R11}
      psum_spad: {temporal: M8}
      GLB: {bypass: [weights]}       # tensors the level could keep but does not

Loop names are the talk's (N M C E F R S G) or Timeloop's (K P Q). A Timeloop ``map.yaml`` (a ``mapping:`` list)
given here is read by :mod:`stationary.mapping.timeloop`. With a layer, the mapping is also checked for legality
(``stationary.mapping.check``) and its error is located at the file.

>>> from stationary.arch import preset
>>> arch = preset("timeloop-eyeriss-like")
>>> m = load_mapping_yaml("levels: {DRAM: {temporal: F55 C3}, psum_spad: {temporal: [M8]}}", arch)
>>> [str(l) for l in m.levels[0].temporal], load_mapping_yaml(mapping_to_yaml(m, arch), arch) == m
(['for F in [0:55)', 'for C in [0:3)'], True)
>>> load_mapping_yaml("levels: {DRAM: {temporal: F0}}", arch)
Traceback (most recent call last):
...
stationary.core.StationaryError: <mapping text>: level DRAM: field 'temporal' = 'F0': loop bound must be a positive integer
"""
from __future__ import annotations

import re

import yaml

from stationary.arch.spec import Arch
from stationary.arch.yaml_io import check_keys, read_yaml, tensor_list
from stationary.core import Dim, StationaryError, TENSORS
from stationary.mapping.legality import check
from stationary.mapping.mapping import Axis, LevelMapping, Loop, Mapping
from stationary.workload.layer import Layer

_TOP = ("arch", "levels")
_LEVEL = ("temporal", "spatial", "bypass")
_LOOP = re.compile(r"^([A-Za-z])=?([+-]?\d+)$")


def loop_tokens(text: str) -> list[tuple[str, str | None]]:
    """Split "C3 M2", "C=3,M=2" or Ruby's "P=7,6" (bound 7, residual 6) into (token, residual) pairs: a number
    alone after a comma is the residual of the loop before it.

    >>> loop_tokens("E=8 E7,6 C3,M2")
    [('E=8', None), ('E7', '6'), ('C3', None), ('M2', None)]
    """
    out: list[tuple[str, str | None]] = []
    for chunk in text.split():
        for k, piece in enumerate(p for p in chunk.split(",") if p):
            if k and piece.isdigit() and out and out[-1][1] is None:
                out[-1] = (out[-1][0], piece)
            else:
                out.append((piece, None))
    return out


def load_mapping_yaml(text_or_path: str, arch: Arch, layer: Layer | None = None) -> Mapping:
    """A mapping from YAML text or a file (this package's format, or Timeloop's ``map.yaml``)."""
    data, source = read_yaml(text_or_path, "mapping")
    return mapping_from_data(data, arch, source, layer)


def mapping_from_data(data, arch: Arch, source: str, layer: Layer | None = None) -> Mapping:
    """Build a mapping from parsed YAML (either format) and, with a layer, check it."""
    if isinstance(data, list) or (isinstance(data, dict) and "mapping" in data):
        from stationary.mapping.timeloop import mapping_from_timeloop  # Timeloop's map.yaml
        return mapping_from_timeloop(data, arch, source, layer)
    check_keys(data, _TOP, ("levels",), source, None)
    if "arch" in data and (not isinstance(data["arch"], str) or data["arch"].strip().lower() != arch.name.lower()):
        raise StationaryError(f"the mapping is for another architecture than {arch.name}", source=source,
                              field="arch", value=data["arch"])
    levels = data["levels"]
    if not isinstance(levels, dict):
        raise StationaryError("must be a mapping of level name: loops", source=source, field="levels",
                              value=levels, has_value=True)
    built = [LevelMapping() for _ in arch.levels]
    seen: set[int] = set()
    for name, spec in levels.items():
        try:
            index = arch.level_index(str(name))
        except StationaryError as err:
            raise err.located(source) from None
        if index in seen:
            raise StationaryError("the level is given twice", source=source, field="levels", value=name)
        seen.add(index)
        built[index] = _level(spec, arch, index, source)
    try:
        mapping = Mapping(tuple(built))
    except StationaryError as err:
        raise err.located(source) from None
    return _checked(mapping, arch, layer, source)


def _checked(mapping: Mapping, arch: Arch, layer: Layer | None, source: str) -> Mapping:
    if layer is not None:
        try:
            check(layer, arch, mapping)
        except StationaryError as err:
            raise err.located(source) from None
    return mapping


def parse_loops(value, source: str, where: str, field: str, axis: Axis | None = None) -> tuple[Loop, ...]:
    """Loops written "C3 M2" (or "C=3", or a list of such tokens), outermost first."""
    if value is None:
        return ()
    if isinstance(value, str):
        tokens = loop_tokens(value)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        tokens = [t for v in value for t in loop_tokens(v)]
    else:
        raise StationaryError('must be loops like "C3 M2" or a list of them', source=source, where=where,
                              field=field, value=value, has_value=True)
    loops = []
    for token, residual in tokens:
        match = _LOOP.match(token)
        text = token if residual is None else f"{token},{residual}"
        if not match:
            raise StationaryError('is not a loop (a dimension and a bound, like "C3", "C=3", or "E7,6" for a bound '
                                  'of 7 whose last pass runs 6)', source=source, where=where, field=field,
                                  value=text)
        try:
            loops.append(Loop(Dim.parse(match.group(1)), int(match.group(2)), axis,
                              None if residual is None else int(residual)))
        except StationaryError as err:
            raise StationaryError(err.message, source=source, where=where, field=field, value=text) from None
    return tuple(loops)


def _level(spec, arch: Arch, index: int, source: str) -> LevelMapping:
    level = arch.levels[index]
    where = f"level {level.name}"
    if spec is None:
        return LevelMapping()
    check_keys(spec, _LEVEL, (), source, where)
    temporal = parse_loops(spec.get("temporal"), source, where, "temporal")
    spatial: list[Loop] = []
    raw = spec.get("spatial")
    if raw is not None:
        if not isinstance(raw, dict):
            raise StationaryError("must map an array axis (X, Y) to loops", source=source, where=where,
                                  field="spatial", value=raw, has_value=True)
        for key, loops in raw.items():
            axis = {"x": Axis.X, "y": Axis.Y}.get(str(key).strip().lower())
            if axis is None:
                raise StationaryError("unknown array axis (expected X or Y)", source=source, where=where,
                                      field="spatial", value=key)
            spatial.extend(parse_loops(loops, source, where, f"spatial.{axis.value}", axis))
    bypass = tensor_list(spec["bypass"], source, where, "bypass") if "bypass" in spec else frozenset()
    if bypass - level.keeps:
        raise StationaryError("bypasses a tensor the level cannot keep", source=source, where=where,
                              field="bypass", value=sorted(t.value for t in bypass - level.keeps))
    if index == 0 and bypass:
        raise StationaryError("the outermost level keeps every tensor", source=source, where=where,
                              field="bypass", value=sorted(t.value for t in bypass))
    return LevelMapping(temporal=temporal, spatial=tuple(spatial), bypass=bypass)


def mapping_to_dict(mapping: Mapping, arch: Arch) -> dict:
    """The mapping as plain data, every level of the arch listed in order."""
    if len(mapping.levels) != len(arch.levels):
        raise StationaryError(f"the mapping has {len(mapping.levels)} levels but arch {arch.name} has "
                              f"{len(arch.levels)}", field="levels", value=len(mapping.levels))
    levels = {}
    for level, lm in zip(arch.levels, mapping.levels):
        entry: dict = {}
        if lm.temporal:
            entry["temporal"] = " ".join(f"{l.dim.name}{l.factor_text}" for l in lm.temporal)
        spatial = {axis.value: " ".join(f"{l.dim.name}{l.factor_text}" for l in lm.spatial if l.axis is axis)
                   for axis in Axis if any(l.axis is axis for l in lm.spatial)}
        if spatial:
            entry["spatial"] = spatial
        if lm.bypass:
            entry["bypass"] = [t.value for t in TENSORS if t in lm.bypass]
        levels[level.name] = entry
    return {"arch": arch.name, "levels": levels}


def mapping_to_yaml(mapping: Mapping, arch: Arch) -> str:
    """The mapping file; ``load_mapping_yaml(mapping_to_yaml(m, arch), arch) == m``."""
    return yaml.safe_dump(mapping_to_dict(mapping, arch), sort_keys=False, default_flow_style=None, width=110)
