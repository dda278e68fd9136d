"""Accelergy's energy-reference tables (``ERT.yaml`` and ``ERT_summary.yaml``) read into per-component, per-action
energies in pJ, taking for each action its most expensive entry (what Timeloop takes: an action with arguments has
one entry per argument set). Used by :mod:`stationary.arch.timeloop`.
"""
from __future__ import annotations

import re

from stationary.arch.yaml_io import check_keys, number, parse_yaml, read_text
from stationary.core import StationaryError


def load_ert(ert: str) -> dict[str, dict[str, float]]:
    """Per component (last dotted name part, ``[..]`` dropped), per action, the most expensive energy in pJ.

    Reads Accelergy's ``ERT: {tables: [{name, actions: [{name, arguments, energy}]}]}`` and its
    ``ERT_summary: {table_summary: [{name, actions: [{name, energy | max_energy ...}]}]}``.

    >>> ert = load_ert('''ERT: {version: 0.4, tables: [{name: "system.PE[0..3].mac", actions: [
    ...   {name: mac_random, arguments: null, energy: 2.2}, {name: mac_gated, arguments: null, energy: 0.1}]}]}''')
    >>> ert["mac"]["mac_random"]
    2.2
    """
    return read_ert(ert)[0]


def read_ert(ert: str) -> tuple[dict[str, dict[str, float]], str]:
    text, source = read_text(ert, "ert")
    data = parse_yaml(text, source)
    if isinstance(data, dict) and "ERT" in data:
        body, key, where = data["ERT"], "tables", "ERT"
    elif isinstance(data, dict) and "ERT_summary" in data:
        body, key, where = data["ERT_summary"], "table_summary", "ERT_summary"
    else:
        raise StationaryError("not an Accelergy ERT (expected a top key ERT or ERT_summary)", source=source,
                              field="ERT", value=sorted(data) if isinstance(data, dict) else data)
    check_keys(body, tuple(body) if isinstance(body, dict) else (), (key,), source, where)
    tables = body[key]
    if not isinstance(tables, list):
        raise StationaryError("must be a list of tables", source=source, where=where, field=key, value=tables,
                              has_value=True)
    out: dict[str, dict[str, float]] = {}
    for i, table in enumerate(tables):
        twhere = f"{where}.{key}[{i}]"
        check_keys(table, tuple(table) if isinstance(table, dict) else (), ("name", "actions"), source, twhere)
        component = re.sub(r"\[\d+\.\.\d+\]", "", str(table["name"])).split(".")[-1]
        actions: dict[str, float] = {}
        for j, action in enumerate(table["actions"] or []):
            awhere = f"{twhere} ({table['name']}).actions[{j}]"
            check_keys(action, tuple(action) if isinstance(action, dict) else (), ("name",), source, awhere)
            values = [action[k] for k in ("energy", "max_energy") if k in action]
            if not values:
                raise StationaryError("missing field (energy or max_energy)", source=source, where=awhere,
                                      field="energy")
            energy = max(number(v, source, awhere, "energy") for v in values)
            name = str(action["name"])
            actions[name] = max(actions.get(name, 0.0), energy)
        out[component] = actions
    return out, source
