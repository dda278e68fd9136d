"""Tables and JSON for algorithm and roofline results (``stationary algo``, ``stationary roofline``).

>>> from stationary.algo import run_network
>>> from stationary.workload import zoo
>>> rows = algo_json(run_network(zoo.get("lenet5"), "winograd:2,5", error=False))
>>> rows[0]["layer"], rows[0]["multiplications"], rows[0]["direct_multiplications"], rows[2]["applicable"]
... # F(2x2, 5x5) on 28 x 28: 14 x 14 tiles x 6 filters x 6^2; direct 6 x 28^2 x 25
('C1', 42336, 117600, False)
"""
from __future__ import annotations

from stationary.report.table import format_count, format_table


def _error_json(r) -> dict:
    return {e.precision.value: {"max_abs": e.max_abs, "mean_abs": e.mean_abs, "max_rel": e.max_rel}
            for e in r.errors}


def algo_json(result) -> list[dict]:
    """One object per layer (see docs/algorithms.md for the fields)."""
    out = []
    for r in result.layers:
        p = r.plan
        c = p.counts
        row = {"layer": p.layer.name, "method": p.algorithm.spec, "applicable": p.applicable,
               "direct_multiplications": p.direct.multiplications, "direct_additions": p.direct.additions}
        if not p.applicable:
            row["reason"] = p.reason
            row["direct_energy_pj"] = r.direct_energy.total_pj
            out.append(row)
            continue
        row.update({
            "multiplications": c.multiplications, "additions": c.additions,
            "transform_multiplications": c.transform_multiplications,
            "transform_additions": c.transform_additions, "transform_ops": c.transform_ops,
            "total_operations": c.total_operations,
            "multiplication_saving": p.multiplication_saving, "operation_saving": p.operation_saving,
            "extra_words": c.extra_words, "expansion": p.expansion,
            "gemms": [str(g) for g in p.gemms], "detail": p.detail,
            "error": _error_json(r), "error_data": r.error_data,
            "energy_precision": result.energy_precision.value, "energy_buffer": result.buffer.value,
            "energy_pj": r.energy.total_pj, "multiply_energy_pj": r.energy.multiply_pj,
            "add_energy_pj": r.energy.add_pj, "memory_energy_pj": r.energy.memory_pj,
            "direct_energy_pj": r.direct_energy.total_pj})
        out.append(row)
    return out


def _err(r, precision: str) -> str:
    e = r.error(precision) if r.errors else None
    return f"{e.max_abs:.1e}" if e else "-"


def algo_table(result) -> str:
    """Per layer and in total: counts, savings, storage, error (max abs) and energy."""
    head = ["layer", "mults", "saving", "adds", "transform ops", "extra words", "expansion",
            "err f32", "err f16", "err fx16", "energy uJ", "direct uJ"]
    rows = []
    for r in result.layers:
        p = r.plan
        if not p.applicable:
            rows.append([p.layer.name, format_count(p.direct.multiplications), "skipped", "", "", "", "", "", "", "",
                         "", f"{r.direct_energy.total_pj / 1e6:.1f}"])
            continue
        c = p.counts
        rows.append([p.layer.name, format_count(c.multiplications), f"{p.multiplication_saving:.2f}x",
                     format_count(c.additions), format_count(c.transform_ops), format_count(c.extra_words),
                     f"{p.expansion:.2f}x" if p.expansion else "", _err(r, "float32"), _err(r, "float16"),
                     _err(r, "fixed16"), f"{r.energy.total_pj / 1e6:.1f}", f"{r.direct_energy.total_pj / 1e6:.1f}"])
    c, d = result.counts, result.direct
    rows.append(["total", format_count(c.multiplications), f"{result.multiplication_saving:.2f}x",
                 format_count(c.additions), format_count(c.transform_ops), format_count(c.extra_words), "", "", "",
                 "", f"{result.energy_pj / 1e6:.1f}", f"{result.direct_energy_pj / 1e6:.1f}"])
    lines = [f"{result.network} under {result.algorithm.label} (direct: {format_count(d.multiplications)} "
             f"multiplications, {format_count(d.additions)} additions)", format_table(head, rows)]
    for r in result.skipped:
        lines.append(f"skipped {r.layer}: {r.plan.reason} (counted as direct)")
    data = sorted({r.error_data for r in result.layers if r.error_data})
    if data:
        lines.append("error: max |algorithm - float64 direct| per precision, measured on " +
                     ("; ".join(data) if len(data) <= 2 else f"{data[0]} ... ({len(data)} shapes, see --json)"))
    lines.append(f"energy: {result.energy_precision.value} operations and extra words (written and read once in "
                 f"{result.buffer.value}), Horowitz 45 nm (ISSCC 2014), in uJ")
    return "\n".join(lines)


def roofline_json(result) -> dict:
    dev = result.device
    layers = []
    for pt in result.points:
        row = {"layer": pt.layer, "flops": pt.flops, "bytes": pt.bytes, "intensity": pt.intensity,
               "attainable_gflops": pt.attainable_gflops, "predicted_ms": pt.predicted_ms, "bound": pt.bound}
        if result.host is not None:
            row.update({"measured_gflops": pt.measured_gflops, "measured_ms": pt.measured_ms,
                        "measured_on": pt.measured_on, "torch_gflops": pt.torch_gflops})
        layers.append(row)
    return {"network": result.network, "method": result.algorithm.spec, "precision": result.precision.value,
            "device": {"name": dev.key, "description": dev.name, "kind": dev.kind,
                       "peak_gflops": dev.peak(result.precision),
                       "peak_gflops_by_precision": {p.value: v for p, v in dev.peak_gflops},
                       "bandwidth_gbs": dev.bandwidth_gbs, "ridge_flops_per_byte": dev.ridge(result.precision),
                       "status": dev.status, "source": dev.source},
            "layers": layers, "predicted_ms": result.predicted_ms, "measured_ms": result.measured_ms}


def roofline_table(result) -> str:
    dev, host = result.device, result.host is not None
    head = ["layer", "FLOP", "bytes", "FLOP/B", "bound", "attainable GFLOP/s", "predicted ms"]
    head += ["measured GFLOP/s", "measured ms", "torch GFLOP/s"] if host else []
    rows = []
    for pt in result.points:
        row = [pt.layer, format_count(pt.flops), format_count(pt.bytes), f"{pt.intensity:.1f}", pt.bound,
               f"{pt.attainable_gflops:.1f}", f"{pt.predicted_ms:.3f}"]
        if host:
            row += [f"{pt.measured_gflops:.1f}" if pt.measured_gflops else "-",
                    f"{pt.measured_ms:.3f}" if pt.measured_ms else "-",
                    f"{pt.torch_gflops:.1f}" if pt.torch_gflops else "-"]
        rows.append(row)
    total = ["total", format_count(result.flops), format_count(result.bytes),
             f"{result.flops / result.bytes:.1f}", "", "", f"{result.predicted_ms:.3f}"]
    if host:
        total += ["", f"{result.measured_ms:.3f}" if result.measured_ms else "-", ""]
    rows.append(total)
    peak = dev.peak(result.precision)
    return "\n".join([f"{result.network} under {result.algorithm.label} on {dev.name} ({dev.status}): "
                      f"{result.precision.value} peak {peak:,.1f} GFLOP/s, {dev.bandwidth_gbs:,.1f} GB/s, ridge "
                      f"{dev.ridge(result.precision):.1f} FLOP/byte", format_table(head, rows),
                      f"source: {dev.source}"])
