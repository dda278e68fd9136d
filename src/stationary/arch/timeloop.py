"""Timeloop/Accelergy design files read as they are: an architecture (v0.3 tree or the v0.4 list timeloopfe writes)
and an energy-reference table (Accelergy's ``ERT.yaml`` or ``ERT_summary.yaml``), into an :class:`Arch`.

Architecture, v0.3: ``architecture: {version, subtree: [{name, local: [...], subtree: [...]}]}``. Components are
read depth first, outermost first (Timeloop's order: a ``local`` list goes from the level nearest DRAM inwards).
``name[0..N]`` on a subtree or a component means N+1 instances in all; ``meshX`` splits them into X x Y (the rest go
along Y; without ``meshX`` all go along X, as Timeloop defaults it). The fan-out into a level is its instances
over those of the level above, per axis. Attributes read: ``depth``/``memory_depth`` (in blocks),
``width``/``memory_width``, ``block-size``/``block_size``, ``word-bits``/``word_bits``/``datawidth``,
``read_bandwidth``/``write_bandwidth`` (words per cycle: the two ports Timeloop mode throttles separately; the
physical latency takes their sum as one port). Classes: ``DRAM``;
``SRAM``/``smartbuffer_SRAM`` (a buffer); ``regfile``/``smartbuffer_RF`` (a register file); ``intmac``/``mac``
(the MAC). Anything else is an error naming the file and the key.

v0.4 (timeloopfe): ``architecture: {version: 0.4, nodes: [...]}`` with ``!Container``/``!Component`` tags; a
container's ``spatial: {meshX, meshY}`` multiplies the instances of every node after it, a component's multiplies
its own.

Tensors kept: Timeloop's arch file does not say, its mapping does (``datatype``/``bypass`` directives), so every
level may keep every tensor unless Timeloop's ``architecture_constraints`` (given beside the arch) bypass some; a
level that then keeps nothing is a ``dummy`` level (Timeloop's DummyBuffer).

Energies, per word, in pJ: for each level, the ERT entry whose component name (the last dotted part, ``[..]``
dropped) is the level's name; for each action the most expensive of its entries (what Timeloop takes). Reads cost
``read``, fills and updates ``write`` (Timeloop's ``random_read``/``random_fill``/``random_update``), each divided
by the level's block size (the ERT prices one block). The MAC costs its ``mac_random`` (else ``mac``, ``compute``).
A level that keeps a tensor, or a MAC, with no such entry is an error: never Accelergy's silent 1 pJ default.

Timeloop has no clock: ``clock_mhz`` is 1000 (its GFLOPs are quoted at 1 GHz).

>>> arch_text = '''architecture:
...   version: 0.3
...   subtree:
...   - name: system
...     local:
...     - {name: DRAM, class: DRAM, attributes: {width: 64, block-size: 4, word-bits: 16}}
...     subtree:
...     - name: PE[0..15]
...       local:
...       - {name: rf, class: regfile, attributes: {depth: 64, width: 16, word-bits: 16, meshX: 4}}
...       - {name: mac, class: intmac, attributes: {datawidth: 16, meshX: 4}}'''
>>> ert_text = '''ERT:
...   tables:
...   - {name: system.DRAM, actions: [{name: read, energy: 512.0}, {name: write, energy: 512.0}]}
...   - {name: "system.PE[0..15].rf", actions: [{name: read, energy: 0.2}, {name: write, energy: 0.3}]}
...   - {name: "system.PE[0..15].mac", actions: [{name: mac_random, energy: 2.2}, {name: mac_gated, energy: 0.1}]}'''
>>> arch = load_timeloop_arch(arch_text, ert_text)
>>> [(l.name, l.fanout_x, l.fanout_y, l.read_cost(Tensor.WEIGHT)) for l in arch.levels], arch.mac.mac_energy
([('DRAM', 1, 1, 128.0), ('rf', 4, 4, 0.2)], 2.2)
"""
from __future__ import annotations

from stationary.arch.spec import Arch, ComputeUnit, MemoryLevel, StorageKind, Unit
from stationary.arch.yaml_io import number, parse_yaml, positive_int, read_text, tensor_name
from stationary.arch.accelergy import read_ert as _read_ert
from stationary.arch.timeloop_tree import components_of, load_tagged
from stationary.core import StationaryError, TENSORS, Tensor

_STORAGE = {"dram": StorageKind.DRAM, "sram": StorageKind.BUFFER, "smartbuffer_sram": StorageKind.BUFFER,
            "regfile": StorageKind.RF, "smartbuffer_rf": StorageKind.RF, "storage": StorageKind.BUFFER}
_COMPUTE = ("intmac", "mac", "fpmac", "compute")
_MAC_ACTIONS = ("mac_random", "mult_random", "compute_random", "mac", "mult", "compute")


def load_timeloop_arch(arch: str, ert: str | None = None, constraints: str | None = None) -> Arch:
    """An :class:`Arch` from a Timeloop architecture file, an Accelergy ERT and, optionally, Timeloop's
    architecture constraints (which tensors each level bypasses). Each argument is a path or YAML text."""
    text, source = read_text(arch, "arch")
    components = components_of(load_tagged(text, source), source)
    energies, ert_source = _read_ert(ert) if ert is not None else (None, None)
    keeps = _constraint_keeps(constraints, [c.name for c in components]) if constraints is not None else {}
    return _build(components, energies, keeps, source, ert_source)


def _attr(attrs: dict, names: tuple[str, ...], source, where, *, required=False):
    for key in names:
        if key in attrs and str(attrs[key]).strip().lower() in ("inf", "infinity"):
            return None  # unbounded (timeloopfe's DRAM)
        if key in attrs:
            return positive_int(attrs[key], source, where, key)
    if required:
        raise StationaryError("missing attribute", source=source, where=where, field="/".join(names))
    return None


def _build(components, energies, keeps_by_level, source, ert_source) -> Arch:
    storage = [c for c in components if c.klass.strip().lower() in _STORAGE]
    macs = [c for c in components if c.klass.strip().lower() in _COMPUTE]
    for c in components:
        if c not in storage and c not in macs:
            raise StationaryError("unknown class (expected DRAM, SRAM, smartbuffer_SRAM, regfile, smartbuffer_RF, "
                                  "intmac or mac)", source=source, where=c.where, field="class", value=c.klass)
    if len(macs) != 1 or components[-1] is not macs[0]:
        raise StationaryError("the architecture needs exactly one MAC component, innermost", source=source,
                              where="architecture", field="class", value=[c.klass for c in macs])
    if not storage:
        raise StationaryError("no storage level", source=source, where="architecture", field="class")
    word_bits = {}
    levels = []
    above_instances, above_x = 1, 1
    for index, comp in enumerate(storage):
        kind = _STORAGE[comp.klass.strip().lower()]
        if kind is StorageKind.DRAM and index:
            raise StationaryError("only the outermost level can be DRAM", source=source, where=comp.where,
                                  field="class", value=comp.klass)
        bits = _attr(comp.attributes, ("word-bits", "word_bits", "datawidth"), source, comp.where, required=True)
        word_bits[comp.name] = bits
        block = _attr(comp.attributes, ("block-size", "block_size", "n_words"), source, comp.where)
        width = _attr(comp.attributes, ("width", "memory_width", "data_storage_width"), source, comp.where)
        if block is None:  # Timeloop: a block is the whole width when neither block nor cluster size is given
            cluster = _attr(comp.attributes, ("cluster-size",), source, comp.where) or 1
            block = max(1, width // bits // cluster) if width else 1
        depth = _attr(comp.attributes, ("depth", "memory_depth", "data_storage_depth"), source, comp.where)
        entries = _attr(comp.attributes, ("entries",), source, comp.where)
        size = entries if entries is not None else (depth * block if depth is not None else None)
        if size is None and kind is not StorageKind.DRAM:
            raise StationaryError("missing attribute (a buffer needs depth or memory_depth)", source=source,
                                  where=comp.where, field="depth")
        keeps = keeps_by_level.get(comp.name, comp.attributes.get("_keeps", frozenset(TENSORS)))
        if index == 0:
            keeps = frozenset(TENSORS)
        if kind is not StorageKind.DRAM and not keeps:
            kind, size = StorageKind.DUMMY, None
        fx, fy = _fanout(comp, above_instances, above_x, source)
        above_instances, above_x = comp.instances, comp.mesh_x
        read, write = _storage_energy(comp, keeps, energies, block, source, ert_source)
        ports = {k: number(comp.attributes[k], source, comp.where, k, positive=True)
                 for k in ("read_bandwidth", "write_bandwidth") if k in comp.attributes}
        levels.append(MemoryLevel(comp.name, kind, keeps, size_words=size, fanout_x=fx, fanout_y=fy,
                                  read_energy=read, write_energy=write,
                                  bandwidth_words_per_cycle=sum(ports.values()) if ports else None,
                                  read_bandwidth_words_per_cycle=ports.get("read_bandwidth"),
                                  write_bandwidth_words_per_cycle=ports.get("write_bandwidth"), block_words=block))
    if len(set(word_bits.values())) > 1:
        raise StationaryError("levels with different word-bits are not supported (one word size per arch)",
                              source=source, where="architecture", field="word-bits", value=word_bits)
    mac = macs[0]
    mx, my = _fanout(mac, above_instances, above_x, source)
    mac_energy = _mac_energy(mac, energies, source, ert_source)
    name = storage[0].where.split(".")[1] if "." in storage[0].where else "timeloop-arch"
    return Arch(name=f"timeloop:{name}", levels=tuple(levels),
                mac=ComputeUnit(mac_energy=mac_energy, fanout_x=mx, fanout_y=my), unit=Unit.PJ,
                word_bits=next(iter(word_bits.values())), clock_mhz=1000.0,
                source=f"Timeloop architecture {source}" + (f", energies from Accelergy ERT {ert_source}"
                                                            if ert_source else ""))


def _fanout(comp: _Component, above_instances: int, above_x: int, source) -> tuple[int, int]:
    above_y, y = above_instances // above_x, comp.instances // comp.mesh_x
    if comp.instances % above_instances or comp.mesh_x % above_x or y % above_y:
        raise StationaryError(f"{comp.instances} instances ({comp.mesh_x} along X) do not fan out evenly from the "
                              f"{above_instances} ({above_x} along X) of the level above", source=source,
                              where=comp.where, field="meshX", value=comp.mesh_x)
    return comp.mesh_x // above_x, y // above_y


def _storage_energy(comp, keeps, energies, block, source, ert_source):
    if not keeps:
        return 0.0, 0.0
    if energies is None:
        raise StationaryError("no energy for this level: give the Accelergy ERT (--ert ERT.yaml)", source=source,
                              where=comp.where, field="ert")
    actions = energies.get(comp.name)
    if actions is None:
        raise StationaryError(f"no ERT entry for level {comp.name} (entries: {', '.join(sorted(energies))})",
                              source=ert_source, field="name", value=comp.name)
    out = []
    for action in ("read", "write"):
        if action not in actions:
            raise StationaryError(f"level {comp.name} keeps data but its ERT entry has no '{action}' action",
                                  source=ert_source, where=comp.name, field="actions", value=sorted(actions))
        out.append(actions[action] / block)
    return out[0], out[1]


def _mac_energy(mac, energies, source, ert_source) -> float:
    if energies is None:
        raise StationaryError("no energy for the MAC: give the Accelergy ERT (--ert ERT.yaml)", source=source,
                              where=mac.where, field="ert")
    actions = energies.get(mac.name)
    if actions is None:
        raise StationaryError(f"no ERT entry for the MAC {mac.name}", source=ert_source, field="name",
                              value=mac.name)
    for action in _MAC_ACTIONS:
        if action in actions:
            return actions[action]
    raise StationaryError(f"the MAC's ERT entry has none of the actions {', '.join(_MAC_ACTIONS)}",
                          source=ert_source, where=mac.name, field="actions", value=sorted(actions))


def _constraint_keeps(constraints: str, level_names: list[str]) -> dict[str, frozenset[Tensor]]:
    """Per level, the tensors Timeloop's architecture constraints let it keep (bypass directives only)."""
    text, source = read_text(constraints, "constraints")
    data = parse_yaml(text, source)
    body = data.get("architecture_constraints", data) if isinstance(data, dict) else data
    targets = body.get("targets") if isinstance(body, dict) else None
    if not isinstance(targets, list):
        raise StationaryError("expected architecture_constraints: {targets: [...]}", source=source,
                              field="targets", value=targets, has_value=True)
    out: dict[str, frozenset[Tensor]] = {}
    for i, target in enumerate(targets):
        where = f"architecture_constraints.targets[{i}]"
        if not isinstance(target, dict) or str(target.get("type", "")).lower() not in ("bypass", "datatype"):
            continue
        name = str(target.get("target"))
        if name not in level_names:
            raise StationaryError(f"no such level (levels: {', '.join(level_names)})", source=source, where=where,
                                  field="target", value=name)
        dropped = {tensor_name(v, source, where, "bypass") for v in target.get("bypass", []) or []}
        out[name] = out.get(name, frozenset(TENSORS)) - dropped
    return out
