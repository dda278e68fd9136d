"""`stationary chip NETWORK --batch N`: the Eyeriss chip end to end (CONV layers, 200 MHz, 65 nm pJ table):
per-layer RS configuration, zero gating, latency, power, DRAM (with and without RLC) and buffer traffic, beside
the chip's measured figures with the relative error."""
from __future__ import annotations

from stationary.chip.configuration import describe
from stationary.chip.run import compare_with_mapper, measured, run_chip
from stationary.chip.sparsity import constant, from_yaml, stated
from stationary.cli._common import add_network_arguments, fraction, load_network_arg, print_json
from stationary.report.table import format_table


def register(sub) -> None:
    p = sub.add_parser("chip", help="the Eyeriss chip end to end: configuration, power, latency, DRAM",
                       description=__doc__)
    add_network_arguments(p)
    p.add_argument("--density", type=fraction, help="non-zero fraction of every layer's ifmap (default: stated figures)")
    p.add_argument("--densities", help="YAML file {layer: non-zero fraction}")
    p.add_argument("--json", action="store_true", help="print JSON: per layer and total")
    p.add_argument("--form", help="write the benchmark form (Markdown and JSON) to this path stem")
    p.add_argument("--no-mapper", action="store_true",
                   help="skip the mapper's mappings on the same arch (evaluate --arch eyeriss --dataflow rs)")
    p.set_defaults(run=run)


def _cmp(model: float | None, chip) -> str:
    if model is None or chip is None:
        return ""
    return f"{chip:g} ({(model - chip) / chip:+.0%})"


def run(args) -> int:
    net = load_network_arg(args.network, args.batch)
    dens = constant(args.density) if args.density is not None else (
        from_yaml(args.densities) if args.densities else stated(net.name))
    result = run_chip(net, dens)
    tot = result.total.json()
    tot["fps"] = result.batch / tot["latency_ms"] * 1e3
    chip = measured(net.name) or {}
    versus = [] if args.no_mapper else compare_with_mapper(net, result)
    if args.json:
        layers = [v.json() for v in versus] if versus else [f.json() for f in result.layers]
        for row in layers:      # the chip's own per-layer figures, where published
            row["measured"] = (chip.get("layers") or {}).get(row["layer"])
        print_json({"network": net.name, "batch": result.batch, "densities": dens.source,
                    "layers": layers, "total": tot, "measured": chip or None})
    else:
        keys = ("latency_ms", "processing_latency_ms", "power_mw", "dram_mb", "dram_mb_uncompressed", "glb_mb",
                "active_pes", "nonzero_macs", "gmacs", "gmacs_per_w")
        rows = [[f["layer"], *(_fmt(f[k]) for k in keys)] for f in [x.json() for x in result.layers] + [tot]]
        print(f"{net.name} CONV layers on the Eyeriss chip, batch {result.batch} (densities: {dens.source})")
        print(format_table(["layer", "latency ms", "proc ms", "mW", "DRAM MB", "DRAM MB raw", "GLB MB",
                            "PEs", "non-zero MACs", "GMAC/s", "GMAC/s/W"], rows))
        print()
        cmp_rows = [[name, _fmt(tot.get(k)), _cmp(tot.get(k), chip.get(c))]
                    for name, k, c in (("latency ms", "latency_ms", "latency_ms"), ("fps", "fps", "fps"),
                                       ("power mW", "power_mw", "power_mw"), ("DRAM MB", "dram_mb", "dram_mb"),
                                       ("GLB MB", "glb_mb", "glb_mb"), ("GMAC/s", "gmacs", "gmacs"),
                                       ("GMAC/s/W", "gmacs_per_w", "gmacs_per_w"))]
        print(format_table(["total", "model", "chip (model's error)"], cmp_rows))
        if chip:
            print(f"chip: {chip['source']}")
        print()
        for c in result.configs:
            print(describe(c))
        if versus:
            print()
            print("the chip's mapping beside the mapper's (evaluate --arch eyeriss --dataflow rs), same model:")
            rows = [[v.chip.layer, _fmt(v.chip.energy_pj * 1e-6), _fmt(v.mapper.energy_pj * 1e-6),
                     _fmt(v.chip.latency_ms), _fmt(v.mapper.latency_ms), _fmt(v.chip.power_mw),
                     _fmt(v.mapper.power_mw), _fmt(v.chip.dram_bytes * 1e-6), _fmt(v.mapper.dram_bytes * 1e-6),
                     str(v.chip.active_pes), str(v.mapper.active_pes)] for v in versus]
            print(format_table(["layer", "chip uJ", "mapper uJ", "chip ms", "mapper ms", "chip mW", "mapper mW",
                                "chip DRAM MB raw", "mapper DRAM MB raw", "chip PEs", "mapper PEs"], rows))
            for v in versus:
                print(v.verdict())
        per_layer = chip.get("layers") or {}
        if per_layer:
            print()
            rows = [[f.layer, *(f"{getattr(f, k) if k != 'dram' else f.dram_bytes_rlc * 1e-6:,.1f} / "
                                f"{per_layer[f.layer][m]:g}" for k, m in (("latency_ms", "latency_ms"),
                                                                         ("processing_latency_ms",
                                                                          "processing_latency_ms"),
                                                                         ("power_mw", "power_mw"),
                                                                         ("active_pes", "active_pes"),
                                                                         ("dram", "dram_mb")))]
                    for f in result.layers if f.layer in per_layer]
            print(format_table(["layer (model / chip)", "latency ms", "proc ms", "mW", "PEs", "DRAM MB"], rows))
    if args.form:
        _form(args.form, net.name, result, tot)
    return 0


def _fmt(v) -> str:
    if v is None:
        return "n/a"
    return f"{v:,}" if isinstance(v, int) else f"{v:,.2f}"


def _form(stem: str, name: str, result, tot) -> None:
    from stationary.core import StationaryError
    try:
        from stationary.report.form import BenchmarkForm
    except ImportError:
        raise StationaryError("the benchmark form (stationary.report.form) is not available yet", field="--form",
                              value=stem) from None
    form = BenchmarkForm.from_metrics(network=name, batch=result.batch, bits=16, nonzero_macs=tot["nonzero_macs"],
                                      runtime_ms=tot["latency_ms"], power_mw=tot["power_mw"],
                                      dram_accesses=(tot["dram_mb"] or tot["dram_mb_uncompressed"]) * 1e6 / 2,
                                      measured=False)
    with open(f"{stem}.md", "w") as fh:
        fh.write(form.markdown())
    with open(f"{stem}.json", "w") as fh:
        import json
        json.dump(form.json(), fh, indent=2)
