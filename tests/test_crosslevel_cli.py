"""`stationary crosslevel` from the command line and as a study: the JSON rows, the reasons, the errors, and a
study of cross-level points through the runner into the results store."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from stationary.cli import main

NET = os.path.join(os.path.dirname(__file__), "..", "examples", "networks", "small-cnn.yaml")


def test_json_rows_carry_units_savings_and_reasons(capsys):
    code = main(["crosslevel", NET, "--platforms", "eyeriss,gpu:gp100,cim:isaac", "--techniques",
                 "none,int8,winograd", "--json"])
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 9
    keys = {"platform", "techniques", "energy_pj", "latency_ms", "accuracy", "saving_vs_baseline", "valid", "reason"}
    assert all(keys <= set(r) for r in rows)
    base = rows[0]
    assert base["platform"] == "eyeriss" and base["techniques"] == [] and base["saving_vs_baseline"] == 1.0
    int8 = rows[1]
    assert int8["saving_vs_baseline"] == pytest.approx(base["energy_pj"] / int8["energy_pj"])
    crossbar = [r for r in rows if r["platform"] == "cim:isaac"]
    assert all(not r["valid"] and r["reason"] and r["energy_pj"] is None for r in crossbar)
    assert rows[3]["platform"] == "gpu:gp100" and rows[3]["valid"]
    assert all(r["accuracy"] is None for r in rows)       # no trained weights for this network


def test_text_table_and_plot(tmp_path, capsys):
    png = tmp_path / "cl.png"
    assert main(["crosslevel", NET, "--platforms", "eyeriss,gpu:gp100", "--techniques", "none,int8,prune,int8+prune",
                 "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert "Interactions" in out and "int8 + prune" in out and png.stat().st_size > 10_000


@pytest.mark.parametrize("argv, words", [
    (["--platforms", "tpu"], "unknown platform"),
    (["--techniques", "none,magic"], "unknown technique"),
    (["--techniques", "winograd+fft"], "one algorithm"),
    (["--platforms", "eyeriss,,gpu:gp100"], "no empty entries"),
])
def test_bad_input_is_one_line_exit_2(argv, words):
    done = subprocess.run([sys.executable, "-m", "stationary.cli", "crosslevel", NET, *argv], capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_crosslevel_study_lands_in_the_store(tmp_path):
    study = tmp_path / "cl.yaml"
    study.write_text(f"study: cl\nkind: crosslevel\nfixed:\n  network: {os.path.abspath(NET)}\n"
                     "axes:\n  platform: [eyeriss, cim:isaac]\n  techniques: [none, int8]\n")
    out = tmp_path / "cl.sqlite"
    assert main(["study", "run", str(study), "--out", str(out)]) == 0
    from stationary.study.store import Store
    records = Store.open(str(out)).results()
    assert len(records) == 4
    totals = {(r["totals"]["platform"], r["totals"]["techniques"]): r["totals"] for r in records}
    from stationary.platform import Platform, parse_techniques
    from stationary.platform.run import evaluate
    direct = evaluate(os.path.abspath(NET), Platform.parse("eyeriss"), parse_techniques("int8"))
    assert totals[("eyeriss", "int8")]["energy_pj"] == pytest.approx(direct.energy_pj)
    assert not totals[("cim:isaac", "none")]["valid"]
