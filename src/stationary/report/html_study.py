"""The HTML report of a study's results store: summary, Pareto plots, the sortable table of points, the best
designs (per-layer energy breakdowns and mappings as loop nests) and the provenance.

>>> import os, tempfile
>>> from stationary.study import study_from_yaml
>>> from stationary.study.execute import run_study
>>> from stationary.study.store import Store
>>> out = os.path.join(tempfile.mkdtemp(), "r.sqlite")
>>> _ = run_study(study_from_yaml("study: t\\nfixed: {network: lenet5, layers: [F6]}\\naxes: {batch: [1, 2]}"), out, jobs=1)
>>> html = study_report(Store.open(out))
>>> "Pareto" in html and "for M in" in html and html.count("data:image/png") >= 2
True
"""
from __future__ import annotations

import os
import tempfile

from stationary.report.html import details, esc, image, page, para, pre, table
from stationary.report.pareto import plot_points

POINT_COLUMNS = ("energy", "energy_unit", "energy_per_mac", "cycles", "latency_ms", "area", "pes", "utilization",
                 "error")
BEST = 3


def breakdown_png(rows, title: str) -> bytes:
    """Stacked bars of energy per MAC by category (rows: layer, label, {category: energy per MAC})."""
    from stationary.report.plots import plot_comparison
    with tempfile.TemporaryDirectory() as folder:
        path = plot_comparison(rows, os.path.join(folder, "b.png"), title=title)
        with open(path, "rb") as fh:
            return fh.read()


def loop_nest_of(mapping_yaml: str, arch_spec: dict | None) -> str:
    """A layer's mapping as a loop nest (its YAML as stored when the arch is unknown)."""
    if arch_spec is None:
        return mapping_yaml
    from stationary.arch.yaml_io import arch_from_dict
    from stationary.mapping.yaml_io import load_mapping_yaml
    from stationary.report.results import loop_nest
    arch = arch_from_dict(arch_spec)
    return loop_nest(load_mapping_yaml(mapping_yaml, arch), arch)


def study_report(store) -> str:
    from stationary.study.frames import point_rows
    meta = store.meta()
    plan = {p["index"]: p for p in store.plan()}
    rows = point_rows(store)
    axes = list(next(iter(plan.values()))["coords"]) if plan else []
    ok = [r for r in rows if not r.get("error")]
    sections = [("Summary", _summary(meta, plan, rows, ok, axes))]
    figures = _figures(ok, axes, meta["study"])
    if figures:
        sections.append(("Pareto fronts", figures))
    columns = ["point", *axes, *(c for c in POINT_COLUMNS if any(c in r for r in rows))]
    sections.append((f"Design points ({len(rows)})", para("Click a column head to sort.", muted=True)
                     + table(columns, [[r.get(c) for c in columns] for r in rows])))
    sections.append(("Best designs", _best(store, plan, ok, axes)))
    prov = _provenance(meta, ok)
    sections.append(("Study file", pre(meta.get("study_text", ""))))
    return page(f"Study {meta['study']}", sections, prov)


def _summary(meta, plan, rows, ok, axes) -> str:
    lines = [f"kind {meta['kind']}; {len(plan)} design points planned ({meta.get('generated')} generated before "
             f"the constraints), {len(rows)} finished, {len(rows) - len(ok)} with an error (no legal mapping)."]
    values = {a: list(dict.fromkeys(str(p['coords'].get(a)) for p in plan.values())) for a in axes}
    body = para(lines[0]) + table(["axis", "values"], [[a, ", ".join(v)] for a, v in values.items()], sortable=False)
    if ok and "energy" in ok[0]:
        best = min(ok, key=lambda r: r["energy"])
        body += para(f"Least energy: point {best['point']} "
                     f"({', '.join(f'{a}={best.get(a)}' for a in axes)}): {best['energy']:,.6g} "
                     f"{best.get('energy_unit', '')}.")
    return body


def _figures(ok, axes, name) -> str:
    if not ok:
        return ""
    color = next((a for a in axes if isinstance(ok[0].get(a), str)), None)
    out = []
    for x in ("area", "latency_ms"):
        if x in ok[0] and "energy" in ok[0]:
            png = plot_points(ok, x, "energy", color=color, pareto=True, title=f"{name}: energy against {x}")
            out.append(image(png, f"energy against {x}, Pareto front marked"))
    return "".join(out)


def _best(store, plan, ok, axes) -> str:
    if not ok or "energy" not in ok[0]:
        return para("No finished point to show.")
    chosen = sorted(ok, key=lambda r: r["energy"])[:BEST]
    if "latency_ms" in ok[0]:
        fastest = min(ok, key=lambda r: (r["latency_ms"], r["energy"]))
        if fastest not in chosen:
            chosen.append(fastest)
    out = []
    for r in chosen:
        desc = plan[r["point"]]["description"]
        layers = store.layers(r["point"])
        title = f"Point {r['point']}: " + ", ".join(f"{a}={r.get(a)}" for a in axes)
        body = para(f"energy {r['energy']:,.6g} {r.get('energy_unit', '')}; cycles {r.get('cycles', 0):,}; "
                    f"area {r.get('area', float('nan')):,.0f}")
        if layers and "breakdown" in layers[0]:
            cats = list(layers[0]["breakdown"])
            body += table(["layer", "energy", *(f"{c} per MAC" for c in cats), "cycles", "utilization"],
                          [[l["layer"], l["energy"], *(l["breakdown"][c] / l["macs"] for c in cats), l["cycles"],
                            l["utilization"]] for l in layers])
            scale = desc.get("arch", {}).get("mac", {}).get("energy", 1.0) or 1.0
            body += image(breakdown_png([(l["layer"], "", {c: v / (l["macs"] * scale) for c, v in
                                                           l["breakdown"].items()}) for l in layers],
                                        f"point {r['point']}: energy per MAC by category"),
                          f"energy breakdown of point {r['point']}")
        nests = "".join(details(f"{l['layer']}: {l.get('shape', '')}", pre(loop_nest_of(l["mapping"],
                                                                                         desc.get("arch"))))
                        for l in layers if "mapping" in l)
        out.append(f"<h3>{esc(title)}</h3>{body}{nests}")
    return "".join(out)


def _provenance(meta, ok) -> dict:
    import json
    prov = json.loads(meta.get("provenance", "{}"))
    sources = sorted({f"{r.get('arch')}: {r.get('arch_source')}" for r in ok if r.get("arch_source")})
    return {"study": meta["study"], "study file": meta.get("study_file"), "store created": meta.get("created_at"),
            **prov, "arch sources": sources or "not recorded", "report made": _now()}


def _now() -> str:
    import datetime
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
