"""What a results store must be before it is trusted (``check``), and the one-writer lock (``lock``).

>>> import sqlite3
>>> check(sqlite3.connect(":memory:"), "x.sqlite")
Traceback (most recent call last):
...
stationary.core.StationaryError: x.sqlite: not a results store: a SQLite file of another application (application_id 0x0, expected 0x53544459)
"""
from __future__ import annotations

import os
import sqlite3

from stationary.core import StationaryError

FORMAT = "stationary-study-results"
SCHEMA = 1
APPLICATION_ID = 0x53544459  # "STDY": marks the file as ours for `file` and for the checks below
COLUMNS = {
    "meta": ("key", "value"),
    "plan": ("idx", "point_id", "coords", "description"),
    "results": ("idx", "point_id", "totals", "run", "finished_at"),
    "layers": ("idx", "position", "record"),
}


def _error(message: str, path: str) -> StationaryError:
    return StationaryError(message, source=str(path))


def check(conn: sqlite3.Connection, path: str) -> None:
    """Refuse what is not a whole store of this format: not SQLite, damaged, foreign, or missing columns."""
    try:
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as err:
        raise _error(f"not a results store: not a readable SQLite file, or a damaged one ({err})", path) from None
    if check != "ok":
        raise _error(f"the results store is damaged (SQLite quick_check: {check})", path)
    if app != APPLICATION_ID:
        raise _error("not a results store: a SQLite file of another application "
                     f"(application_id {app:#x}, expected {APPLICATION_ID:#x})", path)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA:
        raise _error(f"a results store of schema {version}, this version reads schema {SCHEMA}", path)
    for table, columns in COLUMNS.items():
        have = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        if not have:
            raise _error(f"not a whole results store: table {table!r} is missing", path)
        missing = [c for c in columns if c not in have]
        if missing:
            raise _error(f"not a whole results store: table {table!r} lacks column(s) {', '.join(missing)}", path)
    fmt = dict(conn.execute("SELECT key, value FROM meta").fetchall()).get("format")
    if fmt != FORMAT:
        raise _error(f"not a results store (format {fmt!r}, expected {FORMAT!r})", path)


def lock(path: str) -> int:
    """An exclusive lock on the store for one run; a second run is refused, saying who holds it."""
    fd = os.open(path, os.O_RDONLY)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock (Windows): SQLite's own locking still keeps it whole
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        holder = ""
        try:
            conn = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True, timeout=2)
            holder = dict(conn.execute("SELECT key, value FROM meta").fetchall()).get("writer", "")
            conn.close()
        except sqlite3.Error:
            pass
        raise _error(f"another run is writing this results store ({holder or 'unknown'}); wait for it to "
                     "finish, or write to another --out", path) from None
    return fd
