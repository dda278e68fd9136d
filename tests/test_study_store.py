"""The results store refuses what it cannot trust, and never lets two runs write it at once."""
import os
import sqlite3

import pytest

from conftest import SMALL
from stationary.core import StationaryError
from stationary.study import load_study, plan_points
from stationary.study.execute import run_study
from stationary.study.store import Store


def test_store_holds_every_point_with_its_layers_and_provenance(small_store):
    store = Store.open(small_store)
    results, plan = store.results(), store.plan()
    assert [r["index"] for r in results] == list(range(8)) == [p["index"] for p in plan]
    assert len(store.layers()) == 16                  # two layers per point
    conv = store.layers(0)[0]
    assert conv["layer"] == "conv" and conv["macs"] == 4 * 2 * 5 * 5 * 3 * 3   # M C E F R S (7 - 3 + 1 = 5)
    assert sum(a["energy"] for a in conv["accesses"]) + conv["macs"] == pytest.approx(conv["energy"])
    meta = store.meta()
    assert meta["study"] == "small" and meta["format"] == "stationary-study-results"
    assert "numpy" in meta["provenance"] and "levels.GLB.size_kb" in meta["study_text"]


def test_a_truncated_store_is_refused(store_copy):
    size = os.path.getsize(store_copy)
    with open(store_copy, "r+b") as fh:
        fh.truncate(size // 2)
    with pytest.raises(StationaryError, match="damaged|not a readable SQLite"):
        Store.open(store_copy)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "results.sqlite"
    path.write_text("point,energy\n0,1.5\n")
    with pytest.raises(StationaryError, match="not a results store: not a readable SQLite file"):
        Store.open(str(path))


def test_a_foreign_sqlite_file_is_refused(tmp_path):
    path = str(tmp_path / "other.sqlite")
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE results (idx INTEGER, totals TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StationaryError, match="a SQLite file of another application"):
        Store.open(path)


def test_a_store_missing_a_column_is_refused(store_copy):
    conn = sqlite3.connect(store_copy)
    conn.execute("ALTER TABLE results DROP COLUMN totals")
    conn.commit()
    conn.close()
    with pytest.raises(StationaryError, match="table 'results' lacks column\\(s\\) totals"):
        Store.open(store_copy)


def test_a_store_of_another_study_is_refused_on_resume(store_copy, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(open(SMALL).read().replace("[54, 108]", "[54, 216]"))
    (tmp_path / "tiny-net.yaml").write_text(open(os.path.join(os.path.dirname(SMALL), "tiny-net.yaml")).read())
    with pytest.raises(StationaryError, match="holds another study \\('small'.*8 points\\).*choose another --out"):
        run_study(str(other), store_copy, jobs=1, resume=True, progress=False)


def test_an_existing_store_without_resume_is_refused(store_copy):
    with pytest.raises(StationaryError, match="already exists \\(add --resume"):
        run_study(SMALL, store_copy, jobs=1, progress=False)


def test_two_writers_refused_the_second_clearly(store_copy):
    plan = plan_points(load_study(SMALL))
    with Store.resume(store_copy, plan):
        with pytest.raises(StationaryError, match="another run is writing this results store \\(.*:\\d+ since"):
            Store.resume(store_copy, plan)
        assert len(Store.open(store_copy).results()) == 8      # readers are welcome meanwhile
    Store.resume(store_copy, plan).close()                     # the lock goes with the first writer


def test_an_unwritable_folder_is_a_clear_error_and_leaves_nothing(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        with pytest.raises(StationaryError, match="cannot write the results store here"):
            run_study(SMALL, str(folder / "r.sqlite"), jobs=1, progress=False)
    finally:
        folder.chmod(0o700)
    assert list(folder.iterdir()) == []


def test_a_full_disk_fails_one_point_whole_and_keeps_the_rest(store_copy):
    # SQLite's page limit stands in for a full disk: the same "database or disk is full" error, the same rollback
    plan = plan_points(load_study(SMALL))
    conn = sqlite3.connect(store_copy)
    conn.execute("DELETE FROM layers WHERE idx = 7")
    conn.execute("DELETE FROM results WHERE idx = 7")
    conn.commit()
    conn.close()
    with Store.resume(store_copy, plan) as store:
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        record = {"totals": {"energy": 1.0}, "layers": [{"layer": "conv", "mapping": "x" * 100_000}]}
        with pytest.raises(StationaryError, match=r"cannot record point 7 \(database or disk is full\); the "
                                                  "points finished before it are kept"):
            store.add(plan.points[7], record, {})
        assert store.done() == set(range(7)) and len(store.layers()) == 14
    assert Store.open(store_copy).fingerprint()   # still a whole, readable store


def test_an_output_folder_that_does_not_exist_is_a_clear_error(tmp_path):
    with pytest.raises(StationaryError, match="r.sqlite: cannot write the results store here \\(No such file"):
        run_study(SMALL, str(tmp_path / "missing" / "r.sqlite"), jobs=1, progress=False)


def test_a_store_created_meanwhile_by_another_run_is_never_replaced(store_copy, monkeypatch):
    # two runs started together both find no store; the second to finish planning must not replace the first's
    before = Store.open(store_copy).fingerprint()
    monkeypatch.setattr(os.path, "exists", lambda path: False)
    with pytest.raises(StationaryError, match="already exists: another run created it meanwhile"):
        Store.create(store_copy, plan_points(load_study(SMALL)), {})
    monkeypatch.undo()
    assert Store.open(store_copy).fingerprint() == before
    assert not [f for f in os.listdir(os.path.dirname(store_copy)) if f.startswith(".study-")]
