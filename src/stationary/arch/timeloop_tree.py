"""The component tree of a Timeloop architecture file flattened into a list, outermost first, with each
component's instances in all and along X (the rules are in :mod:`stationary.arch.timeloop`)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from stationary.arch.yaml_io import check_keys, positive_int, tensor_name
from stationary.core import StationaryError, TENSORS, Tensor
from stationary.validation import load_yaml

_RANGE = re.compile(r"^(.*?)\[(\d+)\.\.(\d+)\]$")


@dataclass(frozen=True, slots=True)
class _Component:
    """One component of the flattened tree: its name, class, attributes, instances in all and along X."""
    name: str
    klass: str
    attributes: dict
    instances: int
    mesh_x: int
    where: str


def load_tagged(text: str, source: str):
    """The YAML, with timeloopfe's ``!Component``-style tags read as plain mappings."""
    return load_yaml(text, source, local_tags=True)


def _split_name(name, source, where) -> tuple[str, int]:
    if not isinstance(name, str) or not name.strip():
        raise StationaryError("must be a non-empty string", source=source, where=where, field="name", value=name,
                              has_value=True)
    match = _RANGE.match(name.strip())
    if not match:
        return name.strip(), 1
    first, last = int(match.group(2)), int(match.group(3))
    if first != 0 or last < first:
        raise StationaryError("an instance range must be [0..N]", source=source, where=where, field="name",
                              value=name)
    return match.group(1), last + 1


def components_of(data, source) -> list[_Component]:
    """Every component of the architecture, outermost first."""
    check_keys(data, tuple(data) if isinstance(data, dict) else (), ("architecture",), source, None)
    top = data["architecture"]
    if not isinstance(top, dict):
        raise StationaryError("must be a mapping", source=source, field="architecture", value=top)
    version = str(top.get("version", "0.3"))
    if version.startswith("0.4") or "nodes" in top:
        check_keys(top, ("version", "nodes"), ("nodes",), source, "architecture")
        out = _nodes_v04(top["nodes"], source)
    elif version in ("0.2", "0.3"):
        check_keys(top, ("version", "subtree", "local"), (), source, "architecture")
        out = []
        _walk_v03(top, 1, source, "architecture", out)
    else:
        raise StationaryError("unsupported version (expected 0.3 or 0.4)", source=source, where="architecture",
                              field="version", value=top.get("version"))
    if not out:
        raise StationaryError("no components found", source=source, where="architecture", field="subtree")
    return out


def _mesh(attributes: dict, instances: int, source, where) -> int:
    """X extent of a component's instances: ``meshX``, or instances over ``meshY``, or all of them (Timeloop's
    default)."""
    if "meshX" in attributes:
        mesh_x = positive_int(attributes["meshX"], source, where, "meshX")
    elif "meshY" in attributes:
        mesh_x = instances // positive_int(attributes["meshY"], source, where, "meshY")
    else:
        mesh_x = instances
    if not mesh_x or instances % mesh_x:
        raise StationaryError(f"does not divide the {instances} instances", source=source, where=where,
                              field="meshX", value=attributes.get("meshX", attributes.get("meshY")))
    return mesh_x


def _walk_v03(node, instances, source, where, out):
    """``name[0..N]`` counts instances in the whole system (Timeloop v0.3): PE[0..167] is 168 PEs in all."""
    for i, comp in enumerate(node.get("local", []) or []):
        cwhere = f"{where}.local[{i}]"
        check_keys(comp, ("name", "class", "attributes", "subclass", "required_actions"), ("name", "class"),
                   source, cwhere)
        name, count = _split_name(comp["name"], source, cwhere)
        attrs = comp.get("attributes", {}) or {}
        if not isinstance(attrs, dict):
            raise StationaryError("must be a mapping", source=source, where=cwhere, field="attributes",
                                  value=attrs)
        total = count if count > 1 else instances
        cwhere = f"{where}.{name}"
        out.append(_Component(name, str(comp["class"]), attrs, total, _mesh(attrs, total, source, cwhere), cwhere))
    for i, sub in enumerate(node.get("subtree", []) or []):
        swhere = f"{where}.subtree[{i}]"
        check_keys(sub, ("name", "local", "subtree", "attributes"), ("name",), source, swhere)
        name, count = _split_name(sub["name"], source, swhere)
        _walk_v03(sub, count if count > 1 else instances, source, f"{where}.{name}", out)


def _nodes_v04(nodes, source) -> list[_Component]:
    """A node's ``spatial: {meshX, meshY}`` replicates it and everything after it (timeloopfe's flattened list)."""
    if not isinstance(nodes, list):
        raise StationaryError("must be a list of nodes", source=source, where="architecture", field="nodes",
                              value=nodes, has_value=True)
    out, instances, mesh_x = [], 1, 1
    for i, node in enumerate(nodes):
        where = f"architecture.nodes[{i}]"
        if not isinstance(node, dict):
            raise StationaryError("must be a mapping", source=source, where=where, field="node", value=node)
        spatial = node.get("spatial", {}) or {}
        sx = positive_int(spatial.get("meshX", 1), source, where, "spatial.meshX")
        sy = positive_int(spatial.get("meshY", 1), source, where, "spatial.meshY")
        instances, mesh_x = instances * sx * sy, mesh_x * sx
        if "class" not in node:  # a container
            continue
        name, _ = _split_name(node.get("name"), source, where)
        attrs = dict(node.get("attributes", {}) or {})
        klass = str(node["class"])
        if klass.strip().lower() in ("storage", "compute") and node.get("subclass"):
            klass = str(node["subclass"])
        keeps = _v04_keeps(node.get("constraints"), source, f"{where} ({name})")
        if keeps is not None:
            attrs["_keeps"] = keeps
        out.append(_Component(name, klass, attrs, instances, mesh_x, f"{where} ({name})"))
    return out


def _v04_keeps(constraints, source, where) -> frozenset[Tensor] | None:
    dataspace = (constraints or {}).get("dataspace") if isinstance(constraints, dict) else None
    if not isinstance(dataspace, dict) or not ("keep" in dataspace or "bypass" in dataspace):
        return None
    if "keep" in dataspace:
        return frozenset(tensor_name(v, source, where, "constraints.dataspace.keep") for v in dataspace["keep"] or [])
    return frozenset(TENSORS) - {tensor_name(v, source, where, "constraints.dataspace.bypass")
                                 for v in dataspace["bypass"] or []}
