"""`stationary zoo [NETWORK ...]`: the talk's "Summary of Popular DNNs", computed from the model zoo (batch 1).

Rows are metrics, columns networks (all of the zoo unless named). CONV layers counts every CONV layer,
CONV depth the most on one path through the branches (the talk's "21 (depth)" for GoogLeNet, 49 for
ResNet-50). Channels are per group. ``--json`` prints one object per network; docs/workload.md lists the fields.
"""
from __future__ import annotations

import sys

from stationary.cli._common import print_json
from stationary.report.table import format_count, format_table, to_csv
from stationary.workload import zoo
from stationary.workload.summary import NetworkSummary, summarize


def register(sub) -> None:
    p = sub.add_parser("zoo", help="summarize the model zoo (the talk's table of popular DNNs)", description=__doc__)
    p.add_argument("networks", nargs="*", metavar="NETWORK", help=f"zoo names (default: all: {', '.join(zoo.NAMES)})")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON, one object per network")
    out.add_argument("--csv", action="store_true", help="print the table as CSV")
    p.set_defaults(run=run)


def run(args) -> int:
    summaries = [summarize(zoo.get(name)) for name in (args.networks or zoo.NAMES)]
    if args.json:
        print_json([s.as_dict() for s in summaries])
        return 0
    headers, rows = summary_table(summaries)
    if args.csv:
        sys.stdout.write(to_csv(headers, rows))
        return 0
    print("Summary of popular DNNs (batch 1; k, M, G = 10^3, 10^6, 10^9)")
    print(format_table(headers, rows, align="l" + "r" * len(summaries)))
    return 0


def summary_table(summaries: list[NetworkSummary]) -> tuple[list[str], list[list[str]]]:
    """The talk's table: a header of network names, one row per metric."""
    metrics = [
        ("Input size", lambda s: _input(s.input_shape)),
        ("# of CONV layers", lambda s: str(s.conv_layers)),
        ("CONV depth", lambda s: str(s.conv_depth)),
        ("Filter sizes", lambda s: _listed(s.filter_sizes)),
        ("# of channels", lambda s: _span(s.channels)),
        ("# of filters", lambda s: _span(s.filters)),
        ("Stride", lambda s: _listed(s.strides)),
        ("CONV weights", lambda s: format_count(s.conv_weights)),
        ("CONV MACs", lambda s: format_count(s.conv_macs)),
        ("# of FC layers", lambda s: str(s.fc_layers)),
        ("FC weights", lambda s: format_count(s.fc_weights)),
        ("FC MACs", lambda s: format_count(s.fc_macs)),
    ]
    if any(s.matmul_layers for s in summaries):
        metrics += [("# of matmul layers", lambda s: str(s.matmul_layers)),
                    ("Matmul operands", lambda s: format_count(s.matmul_weights)),
                    ("Matmul MACs", lambda s: format_count(s.matmul_macs))]
    metrics += [("Total weights", lambda s: format_count(s.total_weights)),
                ("Total MACs", lambda s: format_count(s.total_macs))]
    headers = ["Metrics", *(s.network for s in summaries)]
    return headers, [[label, *(cell(s) for s in summaries)] for label, cell in metrics]


def _input(shape) -> str:
    if shape is None:
        return "-"
    _, h, w = shape
    return f"{h}x{w}" if w > 1 else f"{h} tokens"


def _listed(values) -> str:
    return ", ".join(str(v) for v in values) or "-"


def _span(values) -> str:
    if len(values) > 2:
        return f"{values[0]} - {values[-1]}"
    return _listed(values)
