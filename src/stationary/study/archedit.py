"""Editing an architecture by the path of a field in its spec file (the form ``stationary.arch.yaml_io`` reads).

``levels.GLB.size_kb`` is the ``size_kb`` of the level named GLB; ``mac.energy``, ``word_bits`` and
``clock_mhz`` are what they say; ``pe_array: [x, y]`` sets the PE array's shape (the fan-out into the innermost
level that fans out, or the MAC's fan-out where no level does, as in the ISCA 2016 NLR setup). The edited spec is
validated like a file, so a value the arch cannot take is an error naming the field and the value.

Setting the size of a level with partitions (Eyeriss's GLB: 8 kB weights, 100 kB inputs and outputs) keeps each
partition's share of the whole, in whole words, the remainder going to the last partition.

>>> from stationary.arch.presets import preset
>>> from stationary.arch.yaml_io import arch_to_dict, arch_from_dict
>>> spec = edit(arch_to_dict(preset("eyeriss")), {"levels.GLB.size_kb": 216, "pe_array": [16, 16]}, "s.yaml")
>>> arch = arch_from_dict(spec)
>>> arch.levels[1].size_words, [words for _, words in arch.levels[1].partitions], arch.pes
(110592, [8192, 102400], 256)
>>> edit(arch_to_dict(preset("eyeriss")), {"levels.L2.size_kb": 64}, "s.yaml")
Traceback (most recent call last):
...
stationary.core.StationaryError: s.yaml: field 'levels.L2.size_kb' = 64: no level L2 (levels: DRAM, GLB, RF)
"""
from __future__ import annotations

import copy

from stationary.core import StationaryError

TOP_FIELDS = ("word_bits", "clock_mhz", "unit")
LEVEL_FIELDS = ("kind", "keeps", "size_words", "size_kb", "fanout", "read_energy", "write_energy",
                "network_energy", "bandwidth")
MAC_FIELDS = ("energy", "fanout", "network_energy")
PE_ARRAY = "pe_array"


def is_arch_path(name: str) -> bool:
    """Whether a setting's name addresses an arch field (so an accelerator point kind routes it here)."""
    return name == PE_ARRAY or name in TOP_FIELDS or name.startswith(("levels.", "mac."))


def edit(spec: dict, changes: dict, source: str) -> dict:
    """A copy of ``spec`` (an arch as plain data) with every ``path: value`` of ``changes`` applied, in order."""
    out = copy.deepcopy(spec)
    for path, value in changes.items():
        _apply(out, path, value, source)
    return out


def _fail(message: str, source: str, path: str, value) -> StationaryError:
    return StationaryError(message, source=source, field=path, value=value, has_value=True)


def _apply(spec: dict, path: str, value, source: str) -> None:
    parts = path.split(".")
    if path == PE_ARRAY:
        _pe_array(spec, value, source)
    elif len(parts) == 1 and path in TOP_FIELDS:
        spec[path] = value
    elif parts[0] == "mac" and len(parts) == 2 and parts[1] in MAC_FIELDS:
        spec["mac"][parts[1]] = value
    elif parts[0] == "levels" and len(parts) == 3:
        level = _level(spec, parts[1], source, path, value)
        if parts[2] not in LEVEL_FIELDS:
            raise _fail(f"not a level field (fields: {', '.join(LEVEL_FIELDS)})", source, path, value)
        if parts[2] in ("size_kb", "size_words"):
            _resize(spec, level, parts[2], value, source, path)
        else:
            level[parts[2]] = value
    else:
        raise _fail(f"not an arch field (paths: levels.<name>.<field>, mac.<field>, {', '.join(TOP_FIELDS)}, "
                    f"{PE_ARRAY})", source, path, value)


def _level(spec: dict, name: str, source: str, path: str, value) -> dict:
    for level in spec["levels"]:
        if str(level["name"]).lower() == name.lower():
            return level
    names = ", ".join(level["name"] for level in spec["levels"])
    raise _fail(f"no level {name} (levels: {names})", source, path, value)


def _resize(spec: dict, level: dict, key: str, value, source: str, path: str) -> None:
    bits = spec["word_bits"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise _fail("must be a positive number", source, path, value)
    words = value if key == "size_words" else value * 1024 * 8 / bits
    if words != int(words):
        raise _fail(f"is not a whole number of {bits}-bit words", source, path, value)
    words = int(words)
    old = level.get("size_words")
    level.pop("size_kb", None)
    level["size_words"] = words
    parts = level.get("partitions")
    if parts and old:
        given = 0
        for part in parts[:-1]:
            part["size_words"] = max(1, part["size_words"] * words // old)
            given += part["size_words"]
        if words - given < 1:
            raise _fail("too small to keep every partition a word", source, path, value)
        parts[-1]["size_words"] = words - given


def _pe_array(spec: dict, value, source: str) -> None:
    if (not isinstance(value, list) or len(value) != 2
            or any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in value)):
        raise _fail("must be [x, y], two positive integers", source, PE_ARRAY, value)
    fanned = [level for level in spec["levels"] if level.get("fanout", [1, 1]) != [1, 1]]
    target = fanned[-1] if fanned else spec["mac"]
    target["fanout"] = list(value)
