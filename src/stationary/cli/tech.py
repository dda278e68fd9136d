"""`stationary tech`: memory technologies compared on a network. Each design (a preset built from
data/technology, or an arch YAML file) is evaluated by the mapper and the model, a multi-node design (HMC vaults,
chips) with each layer split over its nodes; the first design is the baseline. The papers' claims are printed
beside the model's ratios."""
from __future__ import annotations

import sys

from stationary import api
from stationary.cli._common import jobs_int, positive_int, print_json
from stationary.core import StationaryError
from stationary.report.tech import plot_tech, tech_json, tech_table, technology_table


def register(sub) -> None:
    p = sub.add_parser("tech", help="compare memory technologies (LPDDR, HMC/Tetris, eDRAM, ReRAM) on a network",
                       description=__doc__)
    p.add_argument("network", nargs="?", help="zoo name or network YAML file")
    p.add_argument("--technologies", action="store_true",
                   help="print the memory-technology table (every figure with its basis and source) and stop")
    p.add_argument("--designs", default=",".join(api.TECH_DESIGNS),
                   help="comma-separated designs, baseline first (presets: eyeriss-lpddr (or eyeriss), eyeriss-hmc, "
                        "tetris, dadiannao-edram, dadiannao-sram, eyeriss-reram; or arch YAML files); "
                        f"default {','.join(api.TECH_DESIGNS)}")
    p.add_argument("--batch", type=positive_int, default=None, help="batch size N (default: the network's, 1 for the zoo)")
    p.add_argument("--dataflow", default="rs", help="dataflow of every engine (default rs)")
    p.add_argument("--objective", default="delay,energy", help="mapper objective (default delay,energy)")
    p.add_argument("--jobs", type=jobs_int, default=1, help="worker processes for the mapper")
    p.add_argument("--json", action="store_true", help="print JSON, one object per design")
    p.add_argument("--plot", metavar="FILE.png", help="energy per MAC by level for each design")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


def run(args) -> int:
    if args.technologies:
        print(technology_table())
        return 0
    if not args.network:
        raise StationaryError("give a NETWORK (or --technologies)", field="network", value=None)
    designs = [d.strip() for d in args.designs.split(",") if d.strip()]
    rows = api.tech(args.network, designs, batch=args.batch, dataflow=args.dataflow, objective=args.objective,
                    jobs=args.jobs, progress=not args.quiet and sys.stderr.isatty())
    name = api.load_network(args.network).name
    if args.json:
        print_json(tech_json(rows, name))
    else:
        print(tech_table(rows, name))
    if args.plot:
        plot_tech({name: rows}, args.plot)
        print(f"wrote {args.plot}", file=sys.stderr)
    return 0
