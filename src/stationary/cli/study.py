"""`stationary study`: design-space studies. ``run FILE.yaml --out RESULTS`` evaluates every design point of a
study file into a results store (local worker processes by default, ``--dask local`` or ``--dask ADDRESS`` on a
Dask cluster; ``--resume`` continues a killed run); ``show RESULTS`` prints the points (``--json``, ``--csv F``,
``--parquet F``); ``plot RESULTS --x area --y energy --pareto`` draws them. docs/studies.md has the file format."""
from __future__ import annotations

import sys

from stationary import api
from stationary.cli._common import positive_int, print_json
from stationary.core import StationaryError

SHOWN = ("energy", "energy_unit", "energy_per_mac", "cycles", "latency_ms", "area", "pes", "utilization")


def register(sub) -> None:
    p = sub.add_parser("study", help="design-space studies: run, show, plot", description=__doc__)
    cmds = p.add_subparsers(dest="study_command", metavar="ACTION")
    cmds.required = True
    r = cmds.add_parser("run", help="evaluate a study file's design points into a results store")
    r.add_argument("file", metavar="FILE.yaml", help="the study file")
    r.add_argument("--out", required=True, metavar="RESULTS", help="the results store (an SQLite file)")
    r.add_argument("--jobs", type=positive_int, default=None, metavar="K",
                   help="worker processes (default: one per core; with --dask local, its workers)")
    r.add_argument("--dask", metavar="ADDRESS", help="run on Dask: 'local' (a LocalCluster) or tcp://host:8786")
    r.add_argument("--resume", action="store_true", help="continue the store of the same study (redo only "
                   "unfinished points)")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.add_argument("--json", action="store_true", help="print the run's summary as JSON")
    r.set_defaults(run=run_study)
    s = cmds.add_parser("show", help="print a results store's points (or export them)")
    s.add_argument("store", metavar="RESULTS")
    s.add_argument("--json", action="store_true", help="print JSON: the study, then one object per point")
    s.add_argument("--csv", metavar="FILE", help="write one row per point as CSV")
    s.add_argument("--parquet", metavar="FILE", help="write one row per point as Parquet (needs the frames extra)")
    s.add_argument("--layers", action="store_true", help="one row per layer of each point instead")
    s.set_defaults(run=show)
    g = cmds.add_parser("plot", help="scatter two columns of a results store, the Pareto front marked")
    g.add_argument("store", metavar="RESULTS")
    g.add_argument("--x", default="area", help="column on x (default area)")
    g.add_argument("--y", default="energy", help="column on y (default energy)")
    g.add_argument("--color", help="colour the points by this column (an axis such as dataflow)")
    g.add_argument("--pareto", action="store_true", help="mark the Pareto front (both minimized)")
    g.add_argument("-o", "--output", default="study.png", metavar="FILE.png", help="default study.png")
    g.set_defaults(run=plot)


def run_study(args) -> int:
    from stationary.study.execute import provenance_now
    summary = api.run_study(args.file, args.out, jobs=args.jobs, dask=args.dask, resume=args.resume,
                            progress=False if args.quiet else None, provenance=provenance_now(args.command_line))
    facts = {"store": summary.store, "points": summary.points, "finished_before": summary.skipped,
             "evaluated": summary.evaluated, "errors": summary.failed, "seconds": summary.seconds,
             "points_per_s": summary.points_per_s, "executor": summary.executor}
    if args.json:
        print_json(facts)
    else:
        print(f"{summary.store}: {summary.evaluated} points evaluated ({summary.skipped} finished before, "
              f"{summary.failed} with no legal mapping) of {summary.points} in {summary.seconds:.1f} s "
              f"({summary.points_per_s:.2f} points/s, {summary.executor})")
    return 0


def show(args) -> int:
    from stationary.report.table import format_table, to_csv
    from stationary.study.frames import layer_rows, point_rows
    store = api.open_study(args.store)
    rows = layer_rows(store) if args.layers else point_rows(store)
    if args.csv:
        headers = list(dict.fromkeys(k for r in rows for k in r))
        with open(args.csv, "w", encoding="utf-8", newline="") as fh:
            fh.write(to_csv(headers, [[r.get(h, "") for h in headers] for r in rows]))
    if args.parquet:
        frame = store.layers_dataframe() if args.layers else store.to_dataframe()
        try:
            frame.to_parquet(args.parquet)
        except ImportError:
            raise StationaryError("writing Parquet needs pyarrow (pip install 'stationary[frames]')",
                                  field="--parquet", value=args.parquet) from None
    meta = store.meta()
    if args.json:
        print_json({"study": meta["study"], "kind": meta["kind"], "points": int(meta["points"]),
                    "finished": len(store.done()), "rows": rows})
        return 0
    if args.csv or args.parquet:
        print(f"wrote {len(rows)} rows to {' and '.join(f for f in (args.csv, args.parquet) if f)}", file=sys.stderr)
        return 0
    axes = list(store.plan()[0]["coords"]) if int(meta["points"]) else []
    first = ["point", *axes] + (["layer"] if args.layers else [])
    cols = first + [c for c in SHOWN if any(c in r for r in rows)] + (["error"] if any(r.get("error") for r in rows)
                                                                      else [])
    print(f"study {meta['study']} ({meta['kind']}): {len(store.done())} of {meta['points']} points finished")
    print(format_table(cols, [[_cell(r.get(c)) for c in cols] for r in rows]))
    return 0


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:,.6g}"
    return f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else str(v)


def plot(args) -> int:
    from stationary.report.pareto import plot_points
    from stationary.study.frames import point_rows
    store = api.open_study(args.store)
    rows = point_rows(store)
    plot_points(rows, args.x, args.y, args.output, color=args.color, pareto=args.pareto,
                title=f"study {store.meta()['study']}")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0
