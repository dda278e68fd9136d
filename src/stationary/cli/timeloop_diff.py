"""`stationary timeloop-diff`: a Timeloop run's figures beside ours, each difference explained by a named convention
with its size in counts and in energy (docs/timeloop.md). Give the arch, ERT, problem and mapping of the run and its
``timeloop-model.stats.txt``; what our Timeloop mode does not reproduce is flagged UNEXPLAINED (exit status 1)."""
from __future__ import annotations

from stationary import api
from stationary.cli._common import print_json
from stationary.model.timeloop_diff import UNEXPLAINED


def register(sub) -> None:
    p = sub.add_parser("timeloop-diff", help="explain every difference between a Timeloop run and our counts",
                       description=__doc__)
    p.add_argument("--arch", required=True, help="Timeloop arch.yaml (or a preset / our arch YAML)")
    p.add_argument("--ert", help="Accelergy ERT.yaml or ERT_summary.yaml (needed with a Timeloop arch.yaml)")
    p.add_argument("--arch-constraints", help="Timeloop architecture constraints (which tensors a level bypasses)")
    p.add_argument("--problem", required=True, help="Timeloop problem YAML")
    p.add_argument("--mapping", required=True, help="Timeloop map.yaml")
    p.add_argument("--stats", required=True, help="timeloop-model.stats.txt of that run")
    p.add_argument("--no-link-transfers", action="store_true",
                   help="the run was made with TIMELOOP_DISABLE_LINK_TRANSFERS=1")
    p.add_argument("--all", action="store_true", help="list the figures that agree too")
    p.add_argument("--json", action="store_true", help="print JSON: the rows and the energy totals")
    p.set_defaults(run=run)


def run(args) -> int:
    diff = api.timeloop_diff(args.arch, args.problem, args.mapping, args.stats, ert=args.ert,
                             constraints=args.arch_constraints, link_transfers=not args.no_link_transfers)
    if args.json:
        print_json(api.timeloop_diff_json(diff))
    else:
        print(_table(diff, args.all))
    return 1 if diff.unexplained or diff.energy_unexplained_uj else 0


def _table(diff, show_all: bool) -> str:
    from stationary.report.table import format_table
    rows = [r for r in diff.rows if show_all or r.convention]
    body = [[r.level, r.tensor.value if r.tensor else "", r.action, f"{r.timeloop:,}", f"{r.ours_timeloop_mode:,}", f"{r.ours:,}",
             r.convention or "(same)", f"{r.count_delta:+,}", f"{r.energy_pj_delta:+,.1f}"] for r in rows]
    out = [format_table(["level", "tensor", "action", "Timeloop", "ours, Timeloop mode", "ours", "convention",
                         "ours - Timeloop", "energy delta (pJ)"], body)]
    out.append("")
    out.append(f"energy (uJ): Timeloop {diff.energy_uj_timeloop:.2f}, ours in Timeloop mode "
               f"{diff.energy_uj_ours_timeloop_mode:.4f}, ours {diff.energy_uj_ours:.4f}; cycles: Timeloop "
               f"{diff.cycles_timeloop:,}, ours in Timeloop mode {diff.cycles_ours_timeloop_mode:,}, ours "
               f"{diff.cycles_ours:,}")
    for name, pj in diff.by_convention().items():
        out.append(f"  {name}: {pj / 1e6:+.4f} uJ")
    if diff.unexplained or diff.energy_unexplained_uj:
        out.append(f"!!! {UNEXPLAINED}: {len(diff.unexplained)} figure(s) and "
                   f"{diff.energy_unexplained_uj:+.4f} uJ that our Timeloop mode does not reproduce !!!")
    else:
        out.append("every difference is explained by a named convention; Timeloop mode reproduces every figure")
    return "\n".join(out)
