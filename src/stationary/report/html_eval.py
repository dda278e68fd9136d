"""HTML reports of single evaluations (``stationary evaluate --html``, or the JSON ``evaluate --json`` printed)
and of the dataflow comparison (``stationary compare --html``).

>>> from stationary import api
>>> r = api.evaluate("lenet5", "eyeriss", layers=["F6"], objective="energy")
>>> html = network_report(r, {"command": "doctest"})
>>> "for M in" in html, "F6" in html, "data:image/png" in html, "ISSCC 2016" in html
(True, True, True, True)
"""
from __future__ import annotations

import json

from stationary.core import StationaryError
from stationary.report.html import details, image, page, para, pre, table
from stationary.report.html_study import breakdown_png, loop_nest_of
from stationary.report.plots import CATEGORIES

LAYER_COLUMNS = ("layer", "macs", "energy", "energy_per_mac", *CATEGORIES, "cycles", "utilization",
                 "dram_accesses_per_mac")


def load_evaluation_json(path: str) -> list[dict]:
    """What ``stationary evaluate --json`` printed: one object per layer, then the total (checked)."""
    try:
        with open(path, encoding="utf-8") as fh:
            rows = json.load(fh)
    except json.JSONDecodeError as err:
        raise StationaryError(f"not JSON ({err.msg}, line {err.lineno})", source=path) from None
    if (not isinstance(rows, list) or not rows or not all(isinstance(r, dict) and "layer" in r for r in rows)
            or rows[-1].get("layer") != "total"):
        raise StationaryError("not the output of `stationary evaluate --json` (a list of layer objects ending with "
                              "the total)", source=path)
    for r in rows[:-1]:
        missing = [k for k in ("energy", "energy_per_mac", "breakdown", "cycles", "mapping", "unit") if k not in r]
        if missing:
            raise StationaryError("a layer object lacks a field", source=path, where=f"layer {r['layer']}",
                                  field=missing[0])
    return rows


def evaluation_report(rows: list[dict], provenance: dict, *, title: str = "Evaluation", arch=None) -> str:
    """The report of one evaluation from its JSON rows (``report.results.network_json``), loop nests drawn on
    ``arch`` when given (else each mapping as its YAML)."""
    layers, total = rows[:-1], rows[-1]
    unit = total.get("unit", "")
    summary = para(f"{len(layers)} layers, {total['macs']:,} MACs: energy {total['energy']:,.6g} {unit} "
                   f"({total['energy_per_mac']:.3f} per MAC), {total['cycles']:,} cycles, utilization "
                   f"{total['utilization']:.3f}.")
    body = []
    for r in layers:
        body.append([r.get("layer"), r.get("macs"), r.get("energy"), r.get("energy_per_mac"),
                     *(r["breakdown"].get(c) for c in CATEGORIES), r.get("cycles"), r.get("utilization"),
                     r.get("dram_accesses_per_mac")])
    heads = ["layer", "MACs", f"energy ({unit})", "energy per MAC", *(f"{c} per MAC" for c in CATEGORIES),
             "cycles", "utilization", "DRAM accesses per MAC"]
    figure = image(breakdown_png([(r["layer"], "", r["breakdown"]) for r in layers], f"{title}: energy per MAC"),
                   "energy per MAC by category and layer")
    spec = None
    if arch is not None:
        from stationary.arch.yaml_io import arch_to_dict
        spec = arch_to_dict(arch)
    nests = "".join(details(str(r["layer"]), pre(loop_nest_of(r["mapping"], spec))) for r in layers)
    sections = [("Summary", summary), ("Layers", table(heads, body)), ("Energy breakdown", figure),
                ("Mappings" if spec is None else "Mappings as loop nests", nests)]
    return page(title, sections, provenance)


def network_report(result, provenance: dict) -> str:
    """The report of a :class:`~stationary.model.evaluate.NetworkResult` (``stationary evaluate --html``)."""
    from stationary.report.results import network_json
    prov = {**provenance, "arch": result.arch.name, "arch source": result.arch.source or "not recorded"}
    return evaluation_report(network_json(result), prov, title=f"{result.network} on {result.arch.name}",
                             arch=result.arch)


def comparison_report(rows, provenance: dict, *, title: str) -> str:
    """The report of ``api.compare``: the table, the figure, RS's advantage, each mapping as a loop nest."""
    from stationary.arch.yaml_io import arch_to_dict
    from stationary.mapping.yaml_io import mapping_to_yaml
    from stationary.report.compare import rs_advantage
    heads = ["layer", "dataflow", "energy per MAC", *(f"{c} per MAC" for c in CATEGORIES), "DRAM accesses per MAC",
             "active PEs"]
    body = [[r.layer, r.dataflow.label, r.energy_per_mac, *(r.breakdown[c] for c in CATEGORIES),
             r.result.dram_accesses_per_mac, r.result.counts.units_used] for r in rows]
    sections = [("Energy per MAC by dataflow", table(heads, body)),
                ("Figure", image(breakdown_png([(r.layer, r.dataflow.name, r.breakdown) for r in rows], title),
                                 "energy per MAC by layer and dataflow"))]
    adv = rs_advantage(rows)
    if adv:
        flows = list(dict.fromkeys(k for v in adv.values() for k in v))
        sections.append(("Energy relative to RS", table(["layer", *flows],
                                                        [[layer, *(v.get(f) for f in flows)] for layer, v in
                                                         adv.items()])))
    nests = "".join(details(f"{r.layer}, {r.dataflow.label}",
                            pre(loop_nest_of(mapping_to_yaml(r.result.mapping, r.result.arch),
                                             arch_to_dict(r.result.arch)))) for r in rows)
    sections.append(("Mappings as loop nests", nests))
    sources = sorted({f"{r.result.arch.name}: {r.result.arch.source}" for r in rows})
    return page(title, sections, {**provenance, "arch sources": sources})
