"""BENCHMARKS.md is shared by several benchmarks: each owns one "## Title" section and replaces only that."""
from __future__ import annotations

from pathlib import Path


def replace_section(path: Path, title: str, text: str) -> None:
    """Put ``text`` (starting with ``title``) where the section ``title`` is, or at the end; keep the rest."""
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    head, sep, tail = old.partition(title)
    rest = ""
    if sep:
        nxt = tail.find("\n## ")
        rest = tail[nxt + 1:] if nxt >= 0 else ""
    path.write_text(head.rstrip() + "\n\n" + text.rstrip() + "\n" + ("\n" + rest if rest else ""))
