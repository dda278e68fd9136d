"""The results store: one SQLite file (Python's standard library) that loses nothing.

Why SQLite and not Parquet parts: a design point finishes as one record (totals plus a row per layer), and
SQLite commits it atomically in one transaction (``synchronous=FULL``: on disk before the next point starts), so
a run killed at any moment leaves every finished point whole and no point half-written, without the rename
dance and the directory of small files that Parquet parts need; WAL mode lets ``study show`` read while a run
writes; ``quick_check`` finds a truncated or damaged file; and it needs no extra package. Parquet stays an export
(``stationary study show --parquet``).

Layout: ``meta`` (key, value: format, schema, study name and digest, the study file, provenance), ``plan``
(every design point: index, id, axis values, description; written once, with the store), ``results`` (a row per
finished point: totals, and run facts kept apart because they vary between runs: seconds, worker, reuse),
``layers`` (a row per layer of a finished point). The store is created complete (written to a temporary file and
renamed), and one run at a time writes it (an exclusive ``flock`` held for the run; a second writer is refused).

>>> import os, tempfile
>>> from stationary.study import plan_points, study_from_yaml
>>> plan = plan_points(study_from_yaml("study: t\\nfixed: {network: lenet5, layers: [F6]}\\naxes: {batch: [1, 2]}"))
>>> path = os.path.join(tempfile.mkdtemp(), "r.sqlite")
>>> with Store.create(path, plan, {"command": "doctest"}) as s:
...     s.add(plan.points[0], {"totals": {"energy": 1.5}, "layers": [{"layer": "F6"}]}, {"seconds": 0.1})
...     sorted(s.done())
[0]
>>> Store.open(path).results()[0]["totals"]
{'energy': 1.5}
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import sqlite3
import tempfile

from stationary.core import StationaryError
from stationary.study.integrity import APPLICATION_ID, FORMAT, SCHEMA, check as _check, lock as _lock
from stationary.study.points import Plan, Point, canonical

_DDL = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE plan (idx INTEGER PRIMARY KEY, point_id TEXT NOT NULL UNIQUE, coords TEXT NOT NULL, "
    "description TEXT NOT NULL)",
    "CREATE TABLE results (idx INTEGER PRIMARY KEY REFERENCES plan(idx), point_id TEXT NOT NULL, totals TEXT NOT NULL, "
    "run TEXT NOT NULL, finished_at TEXT NOT NULL)",
    "CREATE TABLE layers (idx INTEGER NOT NULL REFERENCES results(idx), position INTEGER NOT NULL, "
    "record TEXT NOT NULL, PRIMARY KEY (idx, position))",
)


def _error(message: str, path: str) -> StationaryError:
    return StationaryError(message, source=str(path))


class Store:
    """A results store, open for reading (``Store.open``) or for one run's writing (``create`` / ``resume``)."""

    def __init__(self, path: str, conn: sqlite3.Connection, lock: int | None = None):
        self.path, self.conn, self._lock = str(path), conn, lock

    # ---- opening ------------------------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str, plan: Plan, provenance: dict) -> "Store":
        """A new store holding ``plan`` (refused if ``path`` exists: resume it or choose another)."""
        path = str(path)
        if os.path.exists(path):
            raise _error("already exists (add --resume to continue its study, or choose another --out)", path)
        folder = os.path.dirname(os.path.abspath(path))
        try:
            fd, tmp = tempfile.mkstemp(prefix=".study-", suffix=".tmp", dir=folder)
            os.close(fd)
        except OSError as err:
            raise _error(f"cannot write the results store here ({err.strerror or err})", path) from None
        try:
            conn = sqlite3.connect(tmp)
            with conn:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA}")
                for ddl in _DDL:
                    conn.execute(ddl)
                meta = {"format": FORMAT, "schema": str(SCHEMA), "study": plan.study.name, "kind": plan.study.kind,
                        "digest": plan.digest, "study_file": plan.study.source, "study_text": plan.study.text,
                        "points": str(len(plan.points)), "generated": str(plan.generated),
                        "created_at": _now(), "provenance": canonical(provenance)}
                conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
                conn.executemany("INSERT INTO plan VALUES (?, ?, ?, ?)",
                                 [(p.index, p.point_id, canonical(p.coords), canonical(p.description))
                                  for p in plan.points])
            conn.close()
            os.chmod(tmp, 0o666 & ~_umask())   # mkstemp makes 0600; a store is shared like any file
            _publish(tmp, path)
        except FileExistsError:
            _remove(tmp)
            raise _error("already exists: another run created it meanwhile (add --resume to join its study "
                         "once that run ends, or choose another --out)", path) from None
        except (sqlite3.Error, OSError) as err:
            _remove(tmp)
            raise _error(f"cannot write the results store ({err})", path) from None
        return cls._writer(path)

    @classmethod
    def resume(cls, path: str, plan: Plan) -> "Store":
        """The existing store of the same study, for writing its unfinished points."""
        store = cls._writer(path)
        store.check_plan(plan)
        return store

    @classmethod
    def open(cls, path: str) -> "Store":
        """An existing store, for reading (a run may be writing it meanwhile)."""
        path = str(path)
        if not os.path.isfile(path):
            raise _error("no such results store", path)
        conn = _connect(path, readonly=True)
        _check(conn, path)
        return cls(path, conn)

    @classmethod
    def _writer(cls, path: str) -> "Store":
        if not os.path.isfile(path):
            raise _error("no such results store to resume", path)
        lock = _lock(path)
        try:
            conn = _connect(path, readonly=False)
            _check(conn, path)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            with conn:
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('writer', ?)",
                             (f"{os.uname().nodename}:{os.getpid()} since {_now()}",))
        except BaseException:
            os.close(lock)
            raise
        return cls(path, conn, lock)

    def close(self) -> None:
        self.conn.close()
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---- writing --------------------------------------------------------------------------------------------------
    def check_plan(self, plan: Plan) -> None:
        meta = self.meta()
        if meta["digest"] != plan.digest:
            raise _error(f"holds another study ({meta['study']!r} from {meta['study_file']}, "
                         f"{meta['points']} points), not {plan.study.name!r} from {plan.study.source} as it is "
                         "now: choose another --out", self.path)

    def add(self, point: Point, record: dict, run: dict) -> None:
        """Commit one finished point, its totals and its layers, in one transaction."""
        try:
            with self.conn:
                self.conn.execute("INSERT INTO results VALUES (?, ?, ?, ?, ?)",
                                  (point.index, point.point_id, canonical(record["totals"]), canonical(run), _now()))
                self.conn.executemany("INSERT INTO layers VALUES (?, ?, ?)",
                                      [(point.index, i, canonical(row)) for i, row in enumerate(record["layers"])])
        except (sqlite3.Error, TypeError, ValueError) as err:
            raise _error(f"cannot record point {point.index} ({err}); the points finished before it are kept",
                         self.path) from None

    # ---- reading --------------------------------------------------------------------------------------------------
    def meta(self) -> dict:
        return dict(self._rows("SELECT key, value FROM meta"))

    def done(self) -> set[int]:
        return {row[0] for row in self._rows("SELECT idx FROM results")}

    def plan(self) -> list[dict]:
        return [{"index": i, "point_id": pid, "coords": json.loads(c), "description": json.loads(d)}
                for i, pid, c, d in self._rows("SELECT idx, point_id, coords, description FROM plan ORDER BY idx")]

    def results(self) -> list[dict]:
        """Finished points in study order: index, point id, axis values, totals, run facts."""
        rows = self._rows("SELECT r.idx, r.point_id, p.coords, r.totals, r.run, r.finished_at FROM results r "
                          "JOIN plan p ON p.idx = r.idx ORDER BY r.idx")
        return [{"index": i, "point_id": pid, "coords": json.loads(c), "totals": json.loads(t), "run": json.loads(r),
                 "finished_at": f} for i, pid, c, t, r, f in rows]

    def layers(self, index: int | None = None) -> list[dict]:
        """Per-layer records (with ``index``, the point's), in study and layer order."""
        where, args = ("WHERE idx = ?", (index,)) if index is not None else ("", ())
        rows = self._rows(f"SELECT idx, record FROM layers {where} ORDER BY idx, position", args)
        return [{"index": i, **json.loads(rec)} for i, rec in rows]

    def to_dataframe(self):
        """One row per finished design point (pandas; see :mod:`stationary.study.frames` for the columns)."""
        from stationary.study.frames import to_dataframe
        return to_dataframe(self)

    def layers_dataframe(self):
        """One row per layer of every finished design point (pandas)."""
        from stationary.study.frames import layers_dataframe
        return layers_dataframe(self)

    def fingerprint(self) -> str:
        """A digest of everything a run determines (the plan, totals, layers; not run facts or times): two runs
        of one study, killed and resumed or not, local or on Dask, give the same fingerprint."""
        h = hashlib.sha256()
        for query in ("SELECT idx, point_id, coords, description FROM plan ORDER BY idx",
                      "SELECT idx, point_id, totals FROM results ORDER BY idx",
                      "SELECT idx, position, record FROM layers ORDER BY idx, position"):
            for row in self._rows(query):
                h.update(canonical(list(row)).encode())
        return h.hexdigest()

    def _rows(self, query: str, args=()) -> list[tuple]:
        try:
            return self.conn.execute(query, args).fetchall()
        except sqlite3.Error as err:
            raise _error(f"cannot read the results store ({err})", self.path) from None


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def _publish(tmp: str, path: str) -> None:
    """Put the finished file at ``path`` unless something is there already: a hard link fails on an existing name
    (two runs started together never replace each other's store); where links are not supported, a rename."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        if os.path.exists(path):
            raise FileExistsError(path) from None
        os.replace(tmp, path)
        return
    os.remove(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def _connect(path: str, readonly: bool) -> sqlite3.Connection:
    try:
        if readonly:
            return sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True, timeout=10)
        return sqlite3.connect(path, timeout=10)
    except sqlite3.Error as err:
        raise _error(f"cannot open the results store ({err})", path) from None
