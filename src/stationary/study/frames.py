"""A results store as flat rows and DataFrames: one row per finished design point, and one per layer of each.

Columns: ``point`` (the index in the study), ``point_id``, one column per axis (a list value such as a
``pe_array`` reads ``12x14``), ``error`` (empty unless the point could not be mapped), the totals (``energy``
with ``energy_unit``, ``energy_per_mac``, ``cycles``, ``latency_ms``, ``utilization``, ``area`` in SRAM-byte
units, ``pes``, ...), the energy breakdowns as ``energy_<category>`` and ``energy_<tensor>`` (in
``energy_unit``), and the run facts ``seconds`` and ``layers_reused``. pandas is the optional extra ``frames``.

>>> flat({"pe_array": [12, 14], "dataflow": "rs", "x": {"a": 1}})
{'pe_array': '12x14', 'dataflow': 'rs', 'x': '{"a":1}'}
"""
from __future__ import annotations

import json

from stationary.core import optional_module

POINT_FIRST = ("point", "point_id")
NESTED = {"breakdown": "energy_{}", "by_tensor": "energy_{}"}
RUN = ("seconds", "layers_reused")
LAYER_SKIP = ("accesses", "mapping", "by_level", "shape")


def flat(values: dict) -> dict:
    """Axis values as table cells: numbers and strings stay, a list of numbers joins with x, the rest is JSON."""
    out = {}
    for key, v in values.items():
        if isinstance(v, list) and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
            out[key] = "x".join(str(x) for x in v)
        elif isinstance(v, (list, dict)):
            out[key] = json.dumps(v, separators=(",", ":"), sort_keys=True)
        else:
            out[key] = v
    return out


def _scalars(record: dict, skip=()) -> dict:
    out = {}
    for key, v in record.items():
        if key in skip:
            continue
        if key in NESTED and isinstance(v, dict):
            out.update({NESTED[key].format(k): x for k, x in v.items()})
        elif isinstance(v, dict):
            out.update({f"{key}_{k}": x for k, x in v.items() if not isinstance(x, (dict, list))})
        elif not isinstance(v, list):
            out[key] = v
    return out


def point_rows(store) -> list[dict]:
    """One flat dict per finished point, in study order (what ``study show`` prints and exports)."""
    axes = _axis_names(store)
    rows = []
    for r in store.results():
        totals = r["totals"]
        row = {"point": r["index"], "point_id": r["point_id"], **{a: None for a in axes}, **flat(r["coords"]),
               "error": totals.get("error", "")}
        row.update(_scalars(totals, ("error",)))
        row.update({k: r["run"].get(k) for k in RUN})
        rows.append(row)
    return rows


def layer_rows(store) -> list[dict]:
    """One flat dict per layer of every finished point (the point's axis values repeated)."""
    coords = {r["index"]: flat(r["coords"]) for r in store.results()}
    return [{"point": rec["index"], **coords[rec["index"]], **_scalars(rec, LAYER_SKIP + ("index",))}
            for rec in store.layers()]


def to_dataframe(store):
    """The points as a pandas DataFrame (``pip install 'stationary[frames]'``), typed columns."""
    return _frame(point_rows(store))


def layers_dataframe(store):
    return _frame(layer_rows(store))


def _frame(rows: list[dict]):
    pd = optional_module("pandas", "frames", "a DataFrame")
    frame = pd.DataFrame.from_records(rows)
    for column in frame.columns:
        if frame[column].dtype == object and frame[column].map(lambda v: isinstance(v, str) or v is None).all():
            frame[column] = frame[column].astype("string")
    return frame


def _axis_names(store) -> list[str]:
    names: dict[str, None] = {}
    for p in store.plan()[:1]:
        names.update(dict.fromkeys(p["coords"]))
    return list(names)
