"""`stationary map`: the mapper on every layer of a network: the best mapping per layer as a loop nest, its energy
and cycles, how many candidates the search evaluated, how long it took, and a proven lower bound of the
objective's first term (energy; cycles for delay; their product for edp) over the whole space, with the gap
best / bound - 1 (no mapping can beat the answer by more than that). ``-o FILE`` writes the mappings as YAML that
``stationary evaluate --mapping`` reads (one document per layer)."""
from __future__ import annotations

import sys

from stationary import api
from stationary.cli._common import add_network_arguments, jobs_int, print_json, seed_int
from stationary.core import StationaryError
from stationary.report.units import energy_json, energy_unit, per_mac_text
from stationary.validation import int_arg


def register(sub) -> None:
    p = sub.add_parser("map", help="search the best mapping of each layer (the mapper)", description=__doc__)
    add_network_arguments(p)
    p.add_argument("--arch", required=True, help="preset name or arch YAML file")
    p.add_argument("--dataflow", default="rs", help="ws, osa, osb, osc, nlr, rs, or none (default rs)")
    p.add_argument("--objective", default="energy", help="energy, delay, edp or delay,energy (default energy)")
    p.add_argument("--layer", action="append", help="only this layer (repeatable)")
    p.add_argument("--jobs", type=jobs_int, default=1, help="worker processes, layers spread over them (default 1)")
    p.add_argument("--seed", type=seed_int, default=0, help="seed of the local search on large layers (default 0)")
    p.add_argument("--effort", type=int_arg(1, 10), default=1,
                   help="runs of the local search per layer (seeds SEED, SEED+1, ...), each from the best so far: "
                        "the answer never gets worse with more; cost grows about linearly (1-10, default 1)")
    p.add_argument("--top", type=int_arg(1, 100), default=1, help="the K best mappings per layer (default 1)")
    p.add_argument("--remainders", action="store_true",
                   help="also bounds that do not divide their dimension (the last pass runs the remainder)")
    p.add_argument("--json", action="store_true", help="print JSON, one object per layer")
    p.add_argument("-o", "--output", help="write the best mappings as YAML to this file")
    p.add_argument("--timeloop-dir", metavar="DIR",
                   help="also write each best mapping as a Timeloop map.yaml: DIR/<layer>.map.yaml")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


def run(args) -> int:
    from stationary.mapping.yaml_io import mapping_to_yaml
    from stationary.report.results import loop_nest
    from stationary.search import Objective
    net = api.load_network(args.network, args.batch)
    arch = api.load_arch(args.arch)
    flow = api._parse_dataflow(args.dataflow)
    goal = Objective.parse(args.objective)
    if args.top < 1:
        raise StationaryError("must be at least 1", field="--top", value=args.top)
    if args.jobs < 1:
        raise StationaryError("must be at least 1", field="--jobs", value=args.jobs)
    layers = [net[name] for name in args.layer] if args.layer else list(net.layers)
    bar = None
    if not args.quiet and sys.stderr.isatty():
        from tqdm import tqdm
        bar = tqdm(total=len(layers), unit="layer", file=sys.stderr)
    records, docs = [], []
    for layer, res in zip(layers, _search_all(layers, arch, flow, goal, args, bar)):
        text = mapping_to_yaml(res.best.mapping, arch)
        docs.append(f"# layer {layer.name}\n{text}")
        records.append((layer, res, text))
    if bar:
        bar.close()
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write("---\n".join(docs))
    if args.timeloop_dir:
        _write_timeloop_maps(args.timeloop_dir, records, arch)
    if args.json:
        print_json([_json(layer, res, text, arch) for layer, res, text in records])
        return 0
    for layer, res, _ in records:
        b = res.best
        print(f"{layer.name}: energy {b.energy.total:.6g} {energy_unit(arch)}, per MAC "
              f"{per_mac_text(b.energy.total, layer.macs, arch)}, "
              f"{b.latency.cycles} cycles, {res.candidates} candidates, {res.seconds:.2f} s, "
              f"{'optimal' if res.optimal else 'best found'} ({res.method}), proven bound {res.bound:.6g} "
              f"({_term(res)}), gap {100 * res.gap:.1f} %")
        if res.objective.value == "energy" and res.gap > 0.005:
            print("  above the bound (energy per tensor, where the gap lies): " + ", ".join(
                f"{t.value} {v:.4g} {energy_unit(arch)}" for t, v in _gap_by_tensor(layer, arch, b).items()))
        print(loop_nest(b.mapping, arch))
        print()
    return 0


def _gap_by_tensor(layer, arch, result) -> dict:
    from stationary.search.layerbound import gap_by_tensor
    return gap_by_tensor(layer, arch, result)


def _json(layer, res, text, arch) -> dict:
    b = res.best
    unit = energy_unit(arch)
    return {"layer": layer.name, **energy_json(b.energy.total, layer.macs, arch), "cycles": b.latency.cycles,
            "candidates": res.candidates, "tilings": res.tilings, "seconds": res.seconds, "optimal": res.optimal,
            "method": res.method,
            "lower_bound_energy": res.lower_bound, "bound": res.bound, "bound_of": _term(res), "gap": res.gap,
            "energy_above_bound_by_tensor": {t.value: v for t, v in _gap_by_tensor(layer, arch, b).items()},
            "mapping": text,
            "top": [{"energy": r.energy.total, "energy_unit": unit, "cycles": r.latency.cycles} for r in res.top]}


def _term(res) -> str:
    """What ``bound`` bounds: the objective's first term."""
    return {"energy": "energy", "edp": "energy x cycles"}.get(res.objective.value, "cycles")


def _search_all(layers, arch, flow, goal, args, bar) -> list:
    """One search per distinct layer shape (in ``args.jobs`` processes); a repeated shape takes the first one's
    mappings, evaluated by the model under its own name."""
    import dataclasses
    from stationary.model import evaluate
    if bar:
        bar.total = len({dataclasses.replace(layer, name="") for layer in layers})
        bar.refresh()

    def reuse(res, task):
        return dataclasses.replace(res, top=tuple(evaluate(task[0], arch, r.mapping) for r in res.top))
    tasks = [(layer, arch, flow, goal, args.top, args.seed, args.remainders, args.effort) for layer in layers]
    return api.run_distinct(_search_one, tasks, args.jobs, False, reuse=reuse, tick=bar.update if bar else None)


def _search_one(layer, arch, flow, goal, top, seed, remainders=False, effort=1, progress=False):
    from stationary.search.guarantee import search_contained
    return search_contained(layer, arch, flow, goal, top_k=top, seed=seed, progress=progress, remainders=remainders,
                            effort=effort)


def _write_timeloop_maps(folder: str, records, arch) -> None:
    import os
    import re
    from stationary.mapping.timeloop_write import timeloop_map_yaml
    os.makedirs(folder, exist_ok=True)
    for layer, res, _ in records:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", layer.name)
        try:
            text = timeloop_map_yaml(res.best.mapping, arch)
        except StationaryError as err:
            raise StationaryError(err.message, where=f"layer {layer.name}: {err.where}", field=err.field,
                                  value=err.value, has_value=err.has_value) from None
        with open(os.path.join(folder, f"{name}.map.yaml"), "w", encoding="utf-8") as fh:
            fh.write(f"# layer {layer.name}, written by stationary map\n{text}")
