"""Architecture spec files: ``load_arch`` (a preset name or a YAML file) and ``arch_to_yaml``, with validation.

The format (docs/architecture.md has the long form; examples/arch/ a whole file)::

    name: tiny                 # required
    source: "where the figures come from"
    unit: MAC                  # MAC (normalized to one MAC) or pJ; required
    word_bits: 16              # required
    clock_mhz: 200             # required
    levels:                    # outermost first; required
      - {name: DRAM, kind: dram, keeps: [weights, inputs, outputs], read_energy: 200, write_energy: 200}
      - name: RF
        kind: rf               # dram, buffer, rf or dummy
        keeps: [weights, inputs, outputs]
        size_words: 256        # or size_kb (1 kB = 1024 bytes); required for buffer and rf
        fanout: [16, 16]       # [x, y] from the level above into this one; default [1, 1]
        read_energy: 1         # a number, or per tensor {weights: 1, inputs: 1, outputs: 1}
        write_energy: 1
        network_energy: 2      # per word crossing the fan-out above; default 0
        technology: sram_65nm  # optional: a memory technology (data/technology), for its area density and sources
    mac: {energy: 1}           # also fanout [x, y] and network_energy; energy required
    nodes: {count: 16, network_energy: 10.6}   # optional: an array of engines (vaults, chips); per word between nodes
    resident_weights: WStore   # optional: a level whose weights stay across inferences when the network's fit

Every error names the file, the level, the field and the value, as a :class:`StationaryError`.

>>> text = arch_to_yaml(load_arch("eyeriss"))
>>> arch_from_yaml(text, source="eyeriss.yaml") == load_arch("eyeriss")
True
>>> arch_from_yaml(text.replace("size_words: 55296", "size_wrds: 55296"), source="e.yaml")
Traceback (most recent call last):
...
stationary.core.StationaryError: e.yaml: level GLB: field 'size_wrds' = 55296: unknown key (expected one of ...)
"""
from __future__ import annotations

import os
import re
from importlib import resources

import yaml

from stationary.arch.spec import Arch, ComputeUnit, MemoryLevel, StorageKind, Unit
from stationary.core import StationaryError, TENSORS, Tensor
from stationary.validation import MAX_FIGURE, load_yaml, read_text_file

_TOP = ("name", "source", "unit", "word_bits", "clock_mhz", "levels", "mac", "nodes", "resident_weights")
_TOP_REQUIRED = ("name", "unit", "word_bits", "clock_mhz", "levels", "mac")
_LEVEL = ("name", "kind", "keeps", "size_words", "size_kb", "partitions", "fanout", "read_energy",
          "write_energy", "network_energy", "bandwidth", "read_bandwidth", "write_bandwidth",
          "block_words", "technology")
_NODES = ("count", "network_energy")
_MAC = ("energy", "fanout", "network_energy")
_PARTITION = ("tensors", "size_words", "size_kb")


# ---- helpers shared by every spec reader (arch, mapping, Timeloop files) ---------------------------------------
def read_yaml(text_or_path: str, kind: str) -> tuple[object, str]:
    """Parse YAML given as text or as a file path; returns (data, source name). Errors are StationaryError."""
    text, source = read_text(text_or_path, kind)
    return parse_yaml(text, source), source


def parse_yaml(text: str, source: str):
    """:func:`stationary.validation.load_yaml`: duplicate keys, deep nesting and errors named with the file."""
    return load_yaml(text, source)


def read_text(text_or_path: str, kind: str) -> tuple[str, str]:
    """A spec given inline (it has a newline or a colon) or as a path to a file."""
    if not isinstance(text_or_path, (str, os.PathLike)):
        raise StationaryError(f"a {kind} must be YAML text or a file path", field=kind, value=text_or_path)
    spec = os.fspath(text_or_path)
    if isinstance(text_or_path, str) and ("\n" in spec or ":" in spec and not os.path.exists(spec)):
        return spec, f"<{kind} text>"
    return read_text_file(spec, kind), spec


def check_keys(data, allowed, required, source, where, field=None) -> dict:
    """``data`` must be a mapping with string keys from ``allowed`` and every key of ``required``."""
    if not isinstance(data, dict):
        raise StationaryError("must be a mapping of key: value", source=source, where=where, field=field,
                              value=data, has_value=field is not None)
    for key, value in data.items():
        if key not in allowed:
            raise StationaryError(f"unknown key (expected one of {', '.join(allowed)})", source=source,
                                  where=where, field=str(key), value=value, has_value=True)
    for key in required:
        if key not in data:
            raise StationaryError("missing field", source=source, where=where, field=key)
    return data


def positive_int(value, source, where, field) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise StationaryError("must be a positive integer", source=source, where=where, field=field, value=value,
                              has_value=True)
    return value


def number(value, source, where, field, *, positive=False) -> float:
    ok = not isinstance(value, bool) and isinstance(value, (int, float)) and value == value and value != float("inf")
    if not ok or value < 0 or (positive and value == 0) or value > MAX_FIGURE:
        need = "a positive number" if positive else "a non-negative number"
        need += f" of at most {MAX_FIGURE:g}" if ok and value > MAX_FIGURE else ""
        raise StationaryError(f"must be {need}", source=source, where=where, field=field, value=value,
                              has_value=True)
    return float(value)


def text_field(value, source, where, field) -> str:
    if not isinstance(value, str) or not value.strip():
        raise StationaryError("must be a non-empty string", source=source, where=where, field=field, value=value,
                              has_value=True)
    return value.strip()


def tensor_name(value, source, where, field) -> Tensor:
    if not isinstance(value, str):
        raise StationaryError("must be a tensor name (weights, inputs or outputs)", source=source, where=where,
                              field=field, value=value, has_value=True)
    try:
        return Tensor.parse(value)
    except StationaryError as err:
        raise StationaryError(err.message, source=source, where=where, field=field, value=value) from None


def tensor_list(value, source, where, field) -> frozenset[Tensor]:
    if not isinstance(value, list):
        raise StationaryError("must be a list of tensor names", source=source, where=where, field=field,
                              value=value, has_value=True)
    out = [tensor_name(v, source, where, field) for v in value]
    if len(set(out)) != len(out):
        raise StationaryError("names a tensor twice", source=source, where=where, field=field, value=value)
    return frozenset(out)


# ---- arch files ------------------------------------------------------------------------------------------------
def load_arch(spec: str) -> Arch:
    """An architecture from a preset name (``stationary.arch.PRESETS``) or a YAML spec file path.

    >>> load_arch("timeloop-eyeriss-like").pes
    168
    >>> load_arch("no-such-arch")
    Traceback (most recent call last):
    ...
    stationary.core.StationaryError: field 'arch' = 'no-such-arch': neither a preset (...) nor a readable file
    """
    from stationary.arch.presets import PRESETS, preset  # presets build on this module's readers

    if isinstance(spec, str) and spec.strip().lower() in PRESETS:
        return preset(spec)
    if isinstance(spec, (str, os.PathLike)) and os.path.isfile(spec):
        text, source = read_text(spec, "arch")
        if re.search(r"^architecture\s*:", text, re.M):  # Timeloop's: it needs its ERT for energies
            from stationary.arch.timeloop import load_timeloop_arch
            return load_timeloop_arch(spec)
        return arch_from_dict(parse_yaml(text, source), source)
    raise StationaryError(f"neither a preset ({', '.join(sorted(PRESETS))}) nor a readable file", field="arch",
                          value=spec)


def arch_from_yaml(text: str, source: str = "<arch text>") -> Arch:
    """Parse and validate an arch spec given as YAML text."""
    return arch_from_dict(parse_yaml(text, source), source)


def arch_from_dict(data, source: str = "<arch>") -> Arch:
    """Validate a parsed arch spec (a dict as YAML gives it) and build the :class:`Arch`."""
    check_keys(data, _TOP, _TOP_REQUIRED, source, None)
    name = text_field(data["name"], source, None, "name")
    where = f"arch {name}"
    unit = data["unit"]
    try:
        unit = Unit.parse(unit) if isinstance(unit, str) else Unit.parse(repr(unit))
    except StationaryError as err:
        raise err.located(source, where) from None
    word_bits = positive_int(data["word_bits"], source, where, "word_bits")
    clock = number(data["clock_mhz"], source, where, "clock_mhz", positive=True)
    src = data.get("source", "")
    if not isinstance(src, str):
        raise StationaryError("must be a string", source=source, where=where, field="source", value=src)
    levels = data["levels"]
    if not isinstance(levels, list) or not levels:
        raise StationaryError("must be a non-empty list of levels, outermost first", source=source, where=where,
                              field="levels", value=levels, has_value=True)
    built = tuple(_level(raw, i, len(levels), word_bits, source) for i, raw in enumerate(levels))
    mac = _mac(data["mac"], source)
    nodes, node_energy = 1, 0.0
    if "nodes" in data:
        raw = check_keys(data["nodes"], _NODES, ("count", "network_energy"), source, "nodes", "nodes")
        nodes = positive_int(raw["count"], source, "nodes", "count")
        node_energy = number(raw["network_energy"], source, "nodes", "network_energy")
    resident = text_field(data["resident_weights"], source, where, "resident_weights") \
        if "resident_weights" in data else ""
    try:
        return Arch(name=name, levels=built, mac=mac, unit=unit, word_bits=word_bits, clock_mhz=clock, source=src,
                    nodes=nodes, node_network_energy=node_energy, resident_weights=resident)
    except StationaryError as err:
        raise err.located(source) from None


def _words(raw: dict, word_bits: int, source, where, prefix="") -> int | None:
    if "size_words" in raw and "size_kb" in raw:
        raise StationaryError("give size_words or size_kb, not both", source=source, where=where,
                              field=f"{prefix}size_kb", value=raw["size_kb"])
    if "size_words" in raw:
        return positive_int(raw["size_words"], source, where, f"{prefix}size_words")
    if "size_kb" in raw:
        kb = number(raw["size_kb"], source, where, f"{prefix}size_kb", positive=True)
        bits = kb * 1024 * 8
        if bits != int(bits) or int(bits) % word_bits:
            raise StationaryError(f"is not a whole number of {word_bits}-bit words", source=source, where=where,
                                  field=f"{prefix}size_kb", value=raw["size_kb"])
        return int(bits) // word_bits
    return None


def _energy(value, keeps, source, where, field):
    if isinstance(value, dict):
        out = {}
        for key, v in value.items():
            tensor = tensor_name(key, source, where, f"{field}.{key}")
            out[tensor] = number(v, source, where, f"{field}.{key}")
        missing = [t.value for t in TENSORS if t in keeps and t not in out]
        if missing:
            raise StationaryError("missing the energy of a tensor the level keeps", source=source, where=where,
                                  field=f"{field}.{missing[0]}")
        return tuple(out.get(t, 0.0) for t in TENSORS)
    return (number(value, source, where, field),) * 3


def _fanout(value, source, where, field="fanout") -> tuple[int, int]:
    if not isinstance(value, list) or len(value) != 2:
        raise StationaryError("must be a list [x, y] of two positive integers", source=source, where=where,
                              field=field, value=value, has_value=True)
    return positive_int(value[0], source, where, f"{field}[0]"), positive_int(value[1], source, where, f"{field}[1]")


def _level(raw, index: int, count: int, word_bits: int, source: str) -> MemoryLevel:
    where = f"levels[{index}]"
    if isinstance(raw, dict) and isinstance(raw.get("name"), str) and raw["name"].strip():
        where = f"level {raw['name'].strip()}"
    check_keys(raw, _LEVEL, ("name", "kind", "keeps"), source, where)
    name = text_field(raw["name"], source, where, "name")
    kinds = {k.value: k for k in StorageKind}
    kind = kinds.get(raw["kind"].strip().lower()) if isinstance(raw["kind"], str) else None
    if kind is None:
        raise StationaryError(f"unknown kind (expected {', '.join(kinds)})", source=source, where=where,
                              field="kind", value=raw["kind"])
    if kind is StorageKind.DRAM and index:
        raise StationaryError("only the outermost level can be dram", source=source, where=where, field="kind",
                              value=raw["kind"])
    keeps = tensor_list(raw["keeps"], source, where, "keeps")
    if (kind is StorageKind.DUMMY) != (not keeps):
        msg = "a dummy level keeps nothing" if keeps else "a level that keeps nothing must be of kind dummy"
        raise StationaryError(msg, source=source, where=where, field="keeps", value=raw["keeps"])
    size = _words(raw, word_bits, source, where)
    if size is None and kind in (StorageKind.BUFFER, StorageKind.RF):
        raise StationaryError("missing field (a buffer or rf needs size_words or size_kb)", source=source,
                              where=where, field="size_words")
    if size is not None and kind is StorageKind.DUMMY:
        raise StationaryError("a dummy level has no size", source=source, where=where, field="size_words",
                              value=size)
    partitions = _partitions(raw.get("partitions"), keeps, size, word_bits, source, where)
    if partitions and size is None:
        size = sum(words for _, words in partitions)
    fanout = _fanout(raw["fanout"], source, where) if "fanout" in raw else (1, 1)
    if index == 0 and fanout != (1, 1):
        raise StationaryError("the outermost level has nothing above it to fan out from", source=source,
                              where=where, field="fanout", value=list(fanout))
    energies = {}
    for field in ("read_energy", "write_energy"):
        if field not in raw and keeps:
            raise StationaryError("missing field", source=source, where=where, field=field)
        energies[field] = _energy(raw.get(field, 0), keeps, source, where, field)
    network = number(raw.get("network_energy", 0), source, where, "network_energy")
    bandwidth = number(raw["bandwidth"], source, where, "bandwidth", positive=True) if "bandwidth" in raw else None
    ports = {f"{k}_words_per_cycle": number(raw[k], source, where, k, positive=True)
             for k in ("read_bandwidth", "write_bandwidth") if k in raw}
    if "block_words" in raw:
        ports["block_words"] = positive_int(raw["block_words"], source, where, "block_words")
    tech = ""
    if "technology" in raw:
        from stationary.arch.technology import technology  # it reads its files with this module's helpers
        tech = text_field(raw["technology"], source, where, "technology")
        try:
            technology(tech)
        except StationaryError as err:
            raise err.located(source, where) from None
    try:
        return MemoryLevel(name, kind, keeps, size_words=size, partitions=partitions, fanout_x=fanout[0],
                           fanout_y=fanout[1], network_energy=network, bandwidth_words_per_cycle=bandwidth, **ports,
                           technology=tech, **energies)
    except StationaryError as err:
        raise err.located(source, where) from None


def _partitions(raw, keeps, size, word_bits, source, where):
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise StationaryError("must be a non-empty list of {tensors, size_words}", source=source, where=where,
                              field="partitions", value=raw, has_value=True)
    out = []
    for i, part in enumerate(raw):
        field = f"partitions[{i}]"
        check_keys(part, _PARTITION, ("tensors",), source, where, field)
        tensors = tensor_list(part["tensors"], source, where, f"{field}.tensors")
        words = _words(part, word_bits, source, where, f"{field}.")
        if words is None:
            raise StationaryError("missing field", source=source, where=where, field=f"{field}.size_words")
        out.append((tensors, words))
    total = sum(words for _, words in out)
    if size is not None and total != size:
        raise StationaryError(f"partitions add up to {total} words but the level holds {size}", source=source,
                              where=where, field="partitions", value=total)
    return tuple(out)


def _mac(raw, source) -> ComputeUnit:
    where = "mac"
    check_keys(raw, _MAC, ("energy",), source, where, "mac")
    fanout = _fanout(raw["fanout"], source, where) if "fanout" in raw else (1, 1)
    return ComputeUnit(mac_energy=number(raw["energy"], source, where, "energy", positive=True), fanout_x=fanout[0],
                       fanout_y=fanout[1], network_energy=number(raw.get("network_energy", 0), source, where,
                                                                 "network_energy"))


def arch_to_dict(arch: Arch) -> dict:
    """The spec as plain data (the inverse of :func:`arch_from_dict`); defaults are left out."""
    def energy(values):
        return values[0] if len(set(values)) == 1 else {t.value: v for t, v in zip(TENSORS, values) if v}

    def tensors(ts):
        return [t.value for t in TENSORS if t in ts]

    levels = []
    for level in arch.levels:
        entry = {"name": level.name, "kind": level.kind.value, "keeps": tensors(level.keeps)}
        if level.size_words is not None:
            entry["size_words"] = level.size_words
        if level.partitions:
            entry["partitions"] = [{"tensors": tensors(ts), "size_words": n} for ts, n in level.partitions]
        if level.fanout > 1:
            entry["fanout"] = [level.fanout_x, level.fanout_y]
        if level.keeps or any(level.read_energy) or any(level.write_energy):
            entry["read_energy"] = energy(level.read_energy)
            entry["write_energy"] = energy(level.write_energy)
        if level.network_energy:
            entry["network_energy"] = level.network_energy
        if level.bandwidth_words_per_cycle is not None:
            entry["bandwidth"] = level.bandwidth_words_per_cycle
        if level.block_words != 1:
            entry["block_words"] = level.block_words
        for port in ("read_bandwidth", "write_bandwidth"):
            if getattr(level, f"{port}_words_per_cycle") is not None:
                entry[port] = getattr(level, f"{port}_words_per_cycle")
        if level.technology:
            entry["technology"] = level.technology
        levels.append(entry)
    mac = {"energy": arch.mac.mac_energy}
    if arch.mac.fanout_x * arch.mac.fanout_y > 1:
        mac["fanout"] = [arch.mac.fanout_x, arch.mac.fanout_y]
    if arch.mac.network_energy:
        mac["network_energy"] = arch.mac.network_energy
    out = {"name": arch.name, "source": arch.source, "unit": arch.unit.value, "word_bits": arch.word_bits,
           "clock_mhz": arch.clock_mhz, "levels": levels, "mac": mac}
    if arch.nodes > 1 or arch.node_network_energy:
        out["nodes"] = {"count": arch.nodes, "network_energy": arch.node_network_energy}
    if arch.resident_weights:
        out["resident_weights"] = arch.resident_weights
    return out


def arch_to_yaml(arch: Arch) -> str:
    """The spec file of an architecture; ``arch_from_yaml(arch_to_yaml(a)) == a``."""
    return yaml.safe_dump(arch_to_dict(arch), sort_keys=False, default_flow_style=None, width=110)


# ---- energy tables shipped as data files -----------------------------------------------------------------------
def energy_table(name: str) -> tuple[dict[str, float], str]:
    """A per-access energy table from ``stationary/data/energy/NAME.yaml``: (costs by component, source).

    >>> costs, source = energy_table("isca2016_normalized")
    >>> costs["DRAM"], source.startswith("Chen, Emer, Sze")
    (200.0, True)
    """
    path = resources.files("stationary") / "data" / "energy" / f"{name}.yaml"
    if not path.is_file():
        raise StationaryError("no such energy table", field="energy_table", value=name)
    data, source = read_yaml(str(path), "energy table")
    check_keys(data, ("source", "unit", "energy"), ("source", "unit", "energy"), source, None)
    costs = check_keys(data["energy"], tuple(data["energy"]) if isinstance(data["energy"], dict) else (), (),
                       source, None, "energy")
    return {str(k): number(v, source, None, f"energy.{k}") for k, v in costs.items()}, data["source"]
