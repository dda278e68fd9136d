"""`stationary evaluate` on a given mapping (Timeloop's files for AlexNet CONV1) and its errors.

Figures: Timeloop v3.0.3 on the Eyeriss-like exercise design (shared reference file copied into tests/data/timeloop/
and test_timeloop_io.py): DRAM weight reads 1,916,640; shared_glb output updates 871,200; 105,415,200 MACs.
"""
import json
from pathlib import Path

from stationary.cli import main

DATA = Path(__file__).parent / "data" / "timeloop"
ARGS = ["evaluate", "--arch", "timeloop-eyeriss-like", "--problem", str(DATA / "conv1.problem.yaml"),
        "--mapping", str(DATA / "conv1.map.yaml")]


def test_evaluate_a_timeloop_mapping_as_json(capsys):
    assert main(ARGS + ["--json"]) == 0
    (layer,) = json.loads(capsys.readouterr().out)
    assert layer["macs"] == 105_415_200
    assert {"layer", "macs", "energy_pj", "energy_per_mac", "cycles", "utilization", "dram_accesses",
            "accesses"} <= set(layer)
    rows = {(a["level"], a["tensor"]): a for a in layer["accesses"]}
    assert rows[("DRAM", "weights")]["reads"] == 1_916_640
    assert rows[("shared_glb", "outputs")]["updates"] == 871_200
    assert layer["cycles"] == 798_600                       # Timeloop: 798,600 cycles, 132 of 168 PEs
    assert abs(layer["utilization"] - 132 / 168) < 1e-9
    assert abs(sum(a["energy_pj"] for a in layer["accesses"]) + 105_415_200 * 2.20 - layer["energy_pj"]) < 1e-3


def test_evaluate_prints_the_access_table(capsys):
    assert main(ARGS) == 0
    out = capsys.readouterr().out
    assert "weights_spad" in out and "1,916,640" in out


def test_a_mapping_that_does_not_cover_the_layer_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "map.yaml"
    bad.write_text("levels: {DRAM: {temporal: F55 C3}}\n")
    assert main(ARGS[:-1] + [str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "'M' = 1" in err and "Traceback" not in err


def test_a_missing_file_is_a_clear_error(tmp_path, capsys):
    assert main(ARGS[:-1] + [str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml" in capsys.readouterr().err
