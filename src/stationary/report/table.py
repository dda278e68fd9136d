"""Plain tables: headers + rows -> aligned text for a terminal, or CSV; and the talk's way of writing counts.

Cells may be any values (``str()`` is applied). A column whose cells all look like numbers ("1,024", "0.45",
"2.5x", "15.3G", "nan"; blanks ignored) is right-aligned, any other column left-aligned; ``align`` overrides
that with one letter per column ("l" or "r").

>>> print(format_table(["layer", "MACs"], [["CONV1", "105M"], ["FC8", 4096000]]))
layer       MACs
-----  -------
CONV1     105M
FC8    4096000
>>> to_csv(["layer", "MACs"], [["CONV1", 105415200]])
'layer,MACs\\r\\nCONV1,105415200\\r\\n'
>>> [format_count(n) for n in (2550, 357600, 2332704, 15346630656, 999)]
['2.55k', '358k', '2.33M', '15.3G', '999']
"""
from __future__ import annotations

import csv
import io
import re
from typing import Iterable, Sequence

_NUMBER = re.compile(r"^[-+]?(\d[\d,]*(\.\d*)?|\.\d+|nan|inf)(e[-+]?\d+)?\s*[kMGTP]?[x%]?$", re.IGNORECASE)


def format_table(headers: Sequence[object], rows: Iterable[Sequence[object]], align: str | None = None,
                 gap: int = 2) -> str:
    """Aligned plain text: a header line, a rule of dashes, one line per row (no trailing spaces)."""
    head = [str(h) for h in headers]
    body = [[_cell(c) for c in row] for row in rows]
    width = len(head)
    for i, row in enumerate(body):
        if len(row) != width:
            raise ValueError(f"row {i} has {len(row)} cells, the header {width}")
    sides = align or "".join("r" if _numeric([r[j] for r in body]) else "l" for j in range(width))
    if len(sides) != width or set(sides) - {"l", "r"}:
        raise ValueError(f"align must be one 'l' or 'r' per column, got {align!r}")
    widths = [max([len(head[j])] + [len(r[j]) for r in body]) for j in range(width)]
    sep = " " * gap

    def line(cells: Sequence[str]) -> str:
        return sep.join(c.rjust(w) if s == "r" else c.ljust(w) for c, w, s in zip(cells, widths, sides)).rstrip()

    return "\n".join([line(head), line(["-" * w for w in widths]), *(line(r) for r in body)])


def to_csv(headers: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """The same table as CSV text (RFC 4180 quoting, CRLF line ends)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def format_count(n: int | float, digits: int = 3) -> str:
    """A count with ``digits`` significant digits and a k/M/G/T suffix, as the talk writes them (2.3M, 666M)."""
    value = float(n)
    for suffix, scale in (("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(value) >= scale * (1 - 0.5 * 10 ** -digits):
            scaled = value / scale
            decimals = max(digits - len(str(int(round(abs(scaled))))), 0)
            return f"{scaled:.{decimals}f}{suffix}"
    return f"{value:.0f}" if value == int(value) else f"{value:.{digits}g}"


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _numeric(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and all(_NUMBER.match(c) for c in filled)
