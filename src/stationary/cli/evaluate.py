"""`stationary evaluate`: per-layer mapping, energy per MAC and its breakdown, DRAM accesses per MAC, utilization,
cycles. Either a network mapped by the mapper (``NETWORK --arch A --dataflow D``) or one given mapping
(``--problem layer.yaml --mapping map.yaml``, Timeloop's files included)."""
from __future__ import annotations

from stationary import api
from stationary.cli._common import jobs_int, positive_int, print_json
from stationary.core import StationaryError
from stationary.model.evaluate import LayerResult
from stationary.report.results import access_table, layer_json, layer_table, network_json, network_table


def register(sub) -> None:
    p = sub.add_parser("evaluate", help="evaluate a network (mapped by the mapper) or one given mapping",
                       description=__doc__)
    p.add_argument("network", nargs="?", help="zoo name or network YAML file")
    p.add_argument("--arch", required=True, help="preset name, arch YAML file, or a Timeloop arch.yaml (with --ert)")
    p.add_argument("--ert", help="Accelergy ERT.yaml or ERT_summary.yaml: the energies of a Timeloop arch")
    p.add_argument("--arch-constraints", help="Timeloop architecture constraints (which tensors a level bypasses)")
    p.add_argument("--dataflow", default=None, help="ws, osa, osb, osc, nlr, rs, or none (default rs)")
    p.add_argument("--objective", default=None,
                   help="energy, delay, edp or delay,energy (default delay,energy: fastest, then least energy)")
    p.add_argument("--batch", type=positive_int, default=None, help="batch size N")
    p.add_argument("--layer", action="append", help="only this layer (repeatable)")
    p.add_argument("--problem", help="one layer: a layer YAML or a Timeloop problem YAML")
    p.add_argument("--mapping", help="the mapping to evaluate: a stationary mapping YAML or a Timeloop map.yaml")
    p.add_argument("--conventions", default="physical", choices=("physical", "timeloop"),
                   help="count physically (default) or as Timeloop v3.0.3 does (docs/timeloop.md); one mapping only")
    p.add_argument("--no-link-transfers", action="store_true",
                   help="with --conventions timeloop: as Timeloop with TIMELOOP_DISABLE_LINK_TRANSFERS=1")
    p.add_argument("--map-txt", action="store_true", help="also print the loop nest as Timeloop's map.txt does")
    p.add_argument("--timeloop-map", metavar="FILE", help="write the mapping as a Timeloop map.yaml to FILE")
    p.add_argument("--jobs", type=jobs_int, default=1, help="worker processes for the mapper")
    p.add_argument("--algorithm", metavar="METHOD",
                   help="rewrite each layer first into the GEMMs of im2col, winograd:m,r, fft or strassen:depth "
                        "(layers it cannot run stay direct)")
    p.add_argument("--remainders", action="store_true",
                   help="the mapper also tries bounds that do not divide their dimension (last pass shorter)")
    p.add_argument("--json", action="store_true", help="print JSON, one object per layer")
    p.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report")
    p.set_defaults(run=run)


def run(args) -> int:
    if args.mapping or args.problem:
        return _run_one(args)
    if not args.network:
        raise StationaryError("give a NETWORK, or --problem and --mapping", field="network", value=None)
    if args.conventions != "physical" or args.map_txt or args.timeloop_map:
        raise StationaryError("applies to one given mapping (--problem and --mapping)", field="--conventions",
                              value=args.conventions)
    result = api.evaluate(args.network, _arch(args), dataflow=args.dataflow or "rs",
                          objective=args.objective or "delay,energy", batch=args.batch, layers=args.layer,
                          jobs=args.jobs, algorithm=args.algorithm,
                          remainders=args.remainders)
    if args.json:
        print_json(network_json(result))
    else:
        print(network_table(result))
    if args.html:
        from stationary.cli.report import write_html
        from stationary.report.html_eval import network_report
        from stationary.study.execute import provenance_now
        write_html(args.html, network_report(result, provenance_now(args.command_line)))
    return 0


def _arch(args):
    return api.load_arch(args.arch, ert=args.ert, constraints=args.arch_constraints)


def _run_one(args) -> int:
    for option, value in (("dataflow", args.dataflow), ("objective", args.objective),
                          ("algorithm", getattr(args, "algorithm", None))):
        if value is not None:   # the mapper does not run on a given mapping: the option would be ignored
            raise StationaryError("a given --mapping is evaluated as it is: the mapper's options do not apply",
                                  field=option, value=value)
    if args.problem and args.layer:
        raise StationaryError("--problem is one layer already: --layer does not apply", field="layer",
                              value=args.layer)
    if args.problem and args.network:
        raise StationaryError("give either a NETWORK (with --layer) or --problem, not both", field="network",
                              value=args.network)
    if not (args.mapping and (args.problem or args.network)):
        raise StationaryError("--mapping needs --problem (or a NETWORK with --layer)", field="mapping",
                              value=args.mapping)
    from stationary.mapping.io import load_problem_and_mapping
    arch = _arch(args)
    if args.problem:
        layer, mapping = load_problem_and_mapping(args.problem, args.mapping, arch)
    else:
        if not args.layer or len(args.layer) != 1:
            raise StationaryError("with a NETWORK, --mapping needs exactly one --layer", field="layer",
                                  value=args.layer)
        layer = api.load_network(args.network, args.batch)[args.layer[0]]
        layer, mapping = load_problem_and_mapping(layer, args.mapping, arch)
    from stationary.mapping.timeloop_write import timeloop_map_txt, timeloop_map_yaml
    from stationary.model.conventions import Conventions
    conventions = Conventions.parse(args.conventions, link_transfers=not args.no_link_transfers)
    result: LayerResult = api.evaluate_mapping(layer, arch, mapping, conventions=conventions)
    if args.timeloop_map:
        with open(args.timeloop_map, "w", encoding="utf-8") as handle:
            handle.write(timeloop_map_yaml(mapping, arch))
    if args.json:
        record = layer_json(result)
        record["conventions"] = str(conventions)
        print_json([record])
    else:
        print(layer_table(result))
        print()
        print(access_table(result))
        if args.map_txt:
            print()
            print(timeloop_map_txt(mapping, arch, layer), end="")
    return 0

