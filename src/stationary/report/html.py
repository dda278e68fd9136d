"""Self-contained HTML pages: one file, figures as ``data:`` URIs, inline style and a short script that sorts
tables by a click on a column head; a Content-Security-Policy forbids every network fetch, so the page looks the
same offline and cannot phone home.

>>> html = page("T", [("Numbers", table(["name", "energy (MAC)"], [["a", 2.5], ["b<", 10]]))], {"date": "today"})
>>> html.startswith("<!DOCTYPE html>"), "b&lt;" in html, 'data-sort="num"' in html, "http" in html.split("<body")[0]
(True, True, True, False)
"""
from __future__ import annotations

import base64
import html as _html
import io
import math

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px auto;max-width:1200px;color:#222;
padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top;max-width:32em;overflow-wrap:anywhere}
td.num{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f3f3f3}th.sortable{cursor:pointer}th.sortable:after{content:' \\2195';color:#999}
pre{background:#f7f7f7;padding:8px;overflow:auto;font-size:12px}
img{max-width:100%;border:1px solid #eee}
.muted{color:#666}
"""
SCRIPT = """
document.querySelectorAll('table.sortable').forEach(function (tbl) {
  tbl.querySelectorAll('th').forEach(function (th, col) {
    th.classList.add('sortable');
    th.addEventListener('click', function () {
      var body = tbl.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var numeric = th.getAttribute('data-sort') === 'num', down = th.getAttribute('data-dir') !== 'up';
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute('data-v'), y = b.cells[col].getAttribute('data-v');
        var c = numeric ? (parseFloat(x) - parseFloat(y)) : x.localeCompare(y);
        return down ? c : -c;
      });
      th.setAttribute('data-dir', down ? 'up' : 'down');
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""
CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "base-uri 'none'; form-action 'none'")


def esc(value) -> str:
    return _html.escape(str(value), quote=True)


def cell(value) -> str:
    """A table cell: numbers right-aligned and shown to 4 significant digits (the full value sorts)."""
    if isinstance(value, bool) or value is None:
        return f'<td data-v="{esc(value if value is not None else "")}">{esc("" if value is None else value)}</td>'
    if isinstance(value, int):
        return f'<td class="num" data-v="{value}">{value:,}</td>'
    if isinstance(value, float):
        shown = "nan" if math.isnan(value) else f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
        return f'<td class="num" data-v="{value!r}">{esc(shown)}</td>'
    return f'<td data-v="{esc(value)}">{esc(value)}</td>'


def table(headers, rows, *, sortable: bool = True) -> str:
    """An HTML table; a column whose values are all numbers sorts numerically."""
    rows = [list(r) for r in rows]
    kinds = []
    for j in range(len(headers)):
        values = [r[j] for r in rows if j < len(r) and r[j] not in (None, "")]
        kinds.append("num" if values and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                             for v in values) else "text")
    head = "".join(f'<th data-sort="{k}">{esc(h)}</th>' for h, k in zip(headers, kinds))
    body = "".join("<tr>" + "".join(cell(v) for v in r) + "</tr>" for r in rows)
    cls = ' class="sortable"' if sortable else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def image(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<p><img alt="{esc(alt)}" src="data:image/png;base64,{data}"></p>'


def figure_png(fig) -> bytes:
    """A matplotlib figure as PNG bytes (the figure is closed)."""
    import matplotlib.pyplot as plt
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()


def pre(text: str) -> str:
    return f"<pre>{esc(text)}</pre>"


def details(summary: str, inner: str, *, open_: bool = False) -> str:
    return f"<details{' open' if open_ else ''}><summary>{esc(summary)}</summary>{inner}</details>"


def para(text: str, *, muted: bool = False) -> str:
    cls = ' class="muted"' if muted else ""
    return f"<p{cls}>{esc(text)}</p>"


def provenance_table(prov: dict) -> str:
    rows = []
    for key, value in prov.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        elif isinstance(value, (list, tuple)):
            value = "; ".join(str(v) for v in value)
        rows.append([key, value])
    return table(["what", "value"], rows, sortable=False)


def page(title: str, sections, provenance: dict) -> str:
    """The whole page: ``sections`` are (heading, HTML body) pairs; provenance closes it."""
    parts = [f"<h2>{esc(h)}</h2>{body}" for h, body in sections]
    parts.append(f"<h2>Provenance</h2>{provenance_table(provenance)}")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(title)}</title><style>{STYLE}</style></head>\n<body><h1>{esc(title)}</h1>\n"
            + "\n".join(parts) + f"\n<script>{SCRIPT}</script></body></html>\n")
