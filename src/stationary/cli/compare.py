"""`stationary compare`: the ISCA 2016 dataflow comparison. Each dataflow runs on its own architecture of equal
storage area (the isca2016-* presets) with the mapper picking its lowest-energy mapping per layer."""
from __future__ import annotations

import sys

from stationary import api
from stationary.cli._common import jobs_int, positive_int, print_json
from stationary.validation import check_image_path
from stationary.mapping.dataflows import Dataflow
from stationary.report.compare import comparison_json, comparison_table
from stationary.workload.layer import LayerKind
from stationary.validation import MAX_PES, int_arg


def register(sub) -> None:
    p = sub.add_parser("compare", help="compare dataflows at equal storage area (ISCA 2016)", description=__doc__)
    p.add_argument("network", nargs="?", default="alexnet", help="zoo name or network YAML (default alexnet)")
    p.add_argument("--pes", type=int_arg(1, MAX_PES), default=256, help="processing elements (default 256)")
    p.add_argument("--batch", type=positive_int, default=16, help="batch size (default 16)")
    p.add_argument("--dataflow", action="append", help="only these dataflows (repeatable; default all six)")
    p.add_argument("--layer", action="append", help="only this layer (repeatable)")
    p.add_argument("--conv-only", action="store_true", help="CONV layers only")
    p.add_argument("--json", action="store_true", help="print JSON, one object per (layer, dataflow)")
    p.add_argument("--plot", metavar="FILE.png", help="draw the comparison as the paper does")
    p.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report")
    p.add_argument("--jobs", type=jobs_int, default=None, help="worker processes (default: one per core)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


def run(args) -> int:
    if args.plot:
        check_image_path(args.plot, "--plot")     # before the work, not after the table has printed
    flows = [Dataflow.parse(d) for d in args.dataflow] if args.dataflow else api.COMPARED
    kinds = (LayerKind.CONV,) if args.conv_only else (LayerKind.CONV, LayerKind.FC)
    rows = api.compare(args.network, pes=args.pes, batch=args.batch, dataflows=flows, kinds=kinds,
                       layers=args.layer, jobs=args.jobs, progress=not args.quiet and sys.stderr.isatty())
    if args.json:
        print_json(comparison_json(rows))
    else:
        print(comparison_table(rows, title=f"{args.network}, {args.pes} PEs, batch {args.batch}"))
    if args.plot:
        from stationary.report.plots import plot_comparison
        plot_comparison([(r.layer, r.dataflow.label, r.breakdown) for r in rows], args.plot,
                        title=f"{args.network}: energy per MAC by dataflow ({args.pes} PEs, batch {args.batch})")
        print(f"wrote {args.plot}", file=sys.stderr)
    if args.html:
        from stationary.cli.report import write_html
        from stationary.report.html_eval import comparison_report
        from stationary.study.execute import provenance_now
        write_html(args.html, comparison_report(rows, provenance_now(args.command_line),
                                                title=f"Dataflow comparison: {args.network}, {args.pes} PEs, "
                                                      f"batch {args.batch}"))
    return 0
