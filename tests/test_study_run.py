"""Running studies: the same store in one process, in two, on a Dask LocalCluster, and killed then resumed."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import SMALL
from stationary.cli import main
from stationary.core import StationaryError
from stationary.study.execute import run_study
from stationary.study.store import Store

SRC = os.path.join(os.path.dirname(__file__), os.pardir, "src")


def test_two_processes_and_a_dask_local_cluster_give_the_store_of_one_process(small_store, tmp_path):
    pytest.importorskip("dask.distributed")
    reference = Store.open(small_store)
    two = run_study(SMALL, str(tmp_path / "two.sqlite"), jobs=2, progress=False)
    on_dask = run_study(SMALL, str(tmp_path / "dask.sqlite"), jobs=2, dask="local", progress=False)
    assert two.executor == "2 processes" and on_dask.executor.startswith("Dask (LocalCluster, 2 workers")
    for path in (two.store, on_dask.store):
        other = Store.open(path)
        assert other.fingerprint() == reference.fingerprint()
        assert [r["totals"] for r in other.results()] == [r["totals"] for r in reference.results()]


def test_killed_midway_and_resumed_gives_the_uninterrupted_store(small_store, tmp_path):
    out = str(tmp_path / "killed.sqlite")
    env = {**os.environ, "PYTHONPATH": os.path.abspath(SRC)}
    proc = subprocess.Popen([sys.executable, "-m", "stationary.cli", "study", "run", SMALL, "--out", out,
                             "--jobs", "1", "--quiet"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done, deadline = 0, time.monotonic() + 120
    while done < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
        if os.path.exists(out):
            try:
                conn = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
                done = conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
                conn.close()
            except sqlite3.Error:
                pass
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    before = Store.open(out).done()
    assert 2 <= len(before) < 8, "the run was to be killed midway"
    summary = run_study(SMALL, out, jobs=1, resume=True, progress=False)
    assert summary.skipped == len(before) and summary.evaluated == 8 - len(before)
    assert Store.open(out).fingerprint() == Store.open(small_store).fingerprint()


def test_an_unreachable_dask_scheduler_is_an_error_within_seconds(tmp_path):
    pytest.importorskip("dask.distributed")
    start = time.monotonic()
    with pytest.raises(StationaryError, match="field '--dask' = 'tcp://127.0.0.1:9': cannot reach the Dask "
                                              "scheduler within 5 s"):
        run_study(SMALL, str(tmp_path / "r.sqlite"), dask="tcp://127.0.0.1:9", progress=False)
    assert time.monotonic() - start < 20


def test_layers_met_again_in_a_later_point_are_not_searched_again(tmp_path):
    from stationary import api
    from stationary.study.accelerator import forget_searches
    forget_searches()    # earlier tests in this process may have searched these layers already
    study = tmp_path / "reuse.yaml"
    study.write_text("study: reuse\nfixed: {network: lenet5, arch: eyeriss}\naxes: {layers: [[OUTPUT], [F6, "
                     "OUTPUT]]}\n")
    run_study(str(study), str(tmp_path / "r.sqlite"), jobs=1, progress=False)
    store = Store.open(str(tmp_path / "r.sqlite"))
    assert [r["run"]["layers_reused"] for r in store.results()] == [0, 1]
    fresh = api.evaluate("lenet5", "eyeriss", layers=["F6", "OUTPUT"], objective="energy")
    assert [l["energy"] for l in store.layers(1)] == [r.energy.total for r in fresh.layers]


def test_show_prints_exports_and_plots(small_store, tmp_path, capsys):
    assert main(["study", "show", small_store, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["study"] == "small" and shown["finished"] == 8 and len(shown["rows"]) == 8
    assert {"energy", "energy_unit", "area", "cycles", "dataflow", "pe_array"} <= set(shown["rows"][0])
    assert main(["study", "show", small_store, "--layers", "--json"]) == 0
    layer_rows = json.loads(capsys.readouterr().out)["rows"]
    assert len(layer_rows) == 16 and {r["layer"] for r in layer_rows} == {"conv", "fc"}
    csv_path, parquet_path = tmp_path / "p.csv", tmp_path / "p.parquet"
    assert main(["study", "show", small_store, "--csv", str(csv_path), "--parquet", str(parquet_path)]) == 0
    assert csv_path.read_text().splitlines()[0].startswith("point,point_id,")
    assert len(csv_path.read_text().splitlines()) == 9
    pd = pytest.importorskip("pandas")
    assert len(pd.read_parquet(parquet_path)) == 8
    png = tmp_path / "p.png"
    assert main(["study", "plot", small_store, "--x", "area", "--y", "energy", "--color", "dataflow", "--pareto",
                 "-o", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["study", "plot", small_store, "--x", "aera"]) == 2
    assert "field 'column' = 'aera': no such column" in capsys.readouterr().err


def test_dataframes_have_one_row_per_point_and_per_layer_with_typed_columns(small_store):
    pd = pytest.importorskip("pandas")
    store = Store.open(small_store)
    points, layers = store.to_dataframe(), store.layers_dataframe()
    assert len(points) == 8 and len(layers) == 16
    for column, kind in [("point", "i"), ("cycles", "i"), ("pes", "i"), ("levels.GLB.size_kb", "i"),
                         ("energy", "f"), ("area", "f"), ("latency_ms", "f"), ("energy_DRAM", "f")]:
        assert points[column].dtype.kind == kind, column
    for column in ("dataflow", "pe_array", "energy_unit", "point_id"):
        assert pd.api.types.is_string_dtype(points[column]), column
    assert set(points["pe_array"]) == {"8x8", "16x16"}
    assert layers["search_optimal"].dtype == bool and layers["macs"].dtype.kind == "i"
    # the columns hold the records: a point's energy is its layers' sum
    assert points["energy"].tolist() == pytest.approx(layers.groupby("point")["energy"].sum().tolist())


def test_network_result_to_dataframe():
    pd = pytest.importorskip("pandas")
    from stationary import api
    result = api.evaluate("lenet5", "eyeriss", layers=["F6", "OUTPUT"], objective="energy")
    frame = result.to_dataframe()
    assert list(frame["layer"]) == ["F6", "OUTPUT"] and list(frame["macs"]) == [84 * 120, 10 * 84]
    assert frame["energy"].sum() == pytest.approx(result.energy_total)
    assert pd.api.types.is_float_dtype(frame["energy_DRAM"]) and set(frame["energy_unit"]) == {"MAC"}


def test_run_prints_a_summary_and_a_bad_store_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"\0" * 100)
    assert main(["study", "show", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a results store" in err


def test_another_point_kind_runs_through_the_same_store_frames_and_report(tmp_path, capsys):
    study = tmp_path / "device.yaml"
    study.write_text("study: device\nkind: study_kind_example:KIND\nfixed: {macs: 1000000, pj_per_mac: 2.5}\n"
                     "axes: {gmacs_per_s: [1, 4]}\n")
    out = str(tmp_path / "device.sqlite")
    run_study(str(study), out, jobs=1, progress=False)
    totals = [r["totals"] for r in Store.open(out).results()]
    assert totals == [{"energy": 2.5e6, "energy_unit": "pJ", "latency_ms": 1.0},
                      {"energy": 2.5e6, "energy_unit": "pJ", "latency_ms": 0.25}]
    assert main(["report", out, "-o", str(tmp_path / "device.html")]) == 0
    assert "Study device" in (tmp_path / "device.html").read_text()
