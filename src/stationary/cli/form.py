"""`stationary form FILE`: print (or write) a benchmark form from a JSON/YAML file as Markdown or JSON; `--check`
recomputes energy and DRAM accesses per non-zero MAC from the form's own figures and exits 1 when a printed figure
is off by more than the tolerance (default 2%, or half a unit of its last printed digit when that is wider).
FILE `eyeriss` (when no such file exists) is the talk's form for the Eyeriss chip."""
from __future__ import annotations

import json
import os

from stationary.cli._common import fraction, print_json
from stationary.core import StationaryError
from stationary.report.form import BenchmarkForm, check, inconsistent, load_form


def register(sub) -> None:
    p = sub.add_parser("form", help="the talk's benchmark form: print, convert, check for consistency",
                       description=__doc__)
    p.add_argument("file", metavar="FILE", help="a form in .yaml or .json, or `eyeriss` for the talk's form")
    p.add_argument("--check", action="store_true", help="check the figures against each other; exit 1 on a gap")
    p.add_argument("--json", action="store_true",
                   help="JSON instead of Markdown (with --check: {\"form\": ..., \"findings\": [...]})")
    p.add_argument("-o", "--output", metavar="OUT", help="write the form here (.json: JSON, else Markdown)")
    p.add_argument("--tolerance", type=fraction, default=0.02, metavar="REL",
                   help="relative tolerance of --check (default 0.02)")
    p.set_defaults(run=run)


def run(args) -> int:
    if args.tolerance < 0:
        raise StationaryError("must be >= 0", field="--tolerance", value=args.tolerance)
    form = BenchmarkForm.eyeriss() if args.file == "eyeriss" and not os.path.exists(args.file) \
        else load_form(args.file)
    findings = check(form, args.tolerance) if args.check else []
    if args.output:
        with open(args.output, "w") as fh:
            if args.output.endswith(".json"):
                fh.write(json.dumps(form.json(), indent=2) + "\n")
            else:
                fh.write(form.markdown())
        print(f"wrote {args.output}")
    elif args.json:
        print_json({"form": form.json(), "findings": [f.json() for f in findings]} if args.check else form.json())
    else:
        print(form.markdown(), end="")
    if args.check and not (args.json and not args.output):
        print(f"\nChecks (tolerance {args.tolerance:.0%}, or half a unit of the last printed digit):")
        for f in findings:
            print(f"  {f}")
    return 1 if inconsistent(findings) else 0
