"""`stationary report`: one self-contained HTML file (figures embedded, no network needed to view it) from a
study's results store or from the JSON `stationary evaluate --json` printed: the summary, sortable tables, the
plots, the best designs' mappings as loop nests, the energy breakdowns and the provenance."""
from __future__ import annotations

import sys

from stationary import api


def register(sub) -> None:
    p = sub.add_parser("report", help="a self-contained HTML report of a study or an evaluation",
                       description=__doc__)
    p.add_argument("source", metavar="RESULTS|evaluation.json", help="a results store or evaluate --json output")
    p.add_argument("-o", "--output", required=True, metavar="report.html")
    p.set_defaults(run=run)


def run(args) -> int:
    html = api.report_html(args.source, command=args.command_line)
    write_html(args.output, html)
    return 0


def write_html(path: str, html: str) -> None:
    """Write the page whole or not at all (a temporary file renamed into place)."""
    import os
    import tempfile
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".html", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(html)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)   # mkstemp makes 0600; a report is shared like any file
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    print(f"wrote {path} ({len(html.encode()) / 1024:.0f} kB)", file=sys.stderr)
