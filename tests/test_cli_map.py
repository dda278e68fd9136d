"""`stationary map`: JSON fields, and the YAML it writes is what `evaluate --mapping` reads back to the same counts."""
import json

import pytest

from stationary.cli import main


def test_map_json_and_round_trip_through_evaluate(tmp_path, capsys):
    out = tmp_path / "maps.yaml"
    assert main(["map", "lenet5", "--arch", "eyeriss", "--dataflow", "rs", "--layer", "C3", "--json",
                 "-o", str(out), "--quiet"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert {"layer", "energy", "energy_unit", "cycles", "candidates", "seconds", "mapping"} <= set(row)
    assert row["layer"] == "C3" and row["candidates"] > 0
    assert row["energy_unit"] == "x MAC" and "energy_pj" not in row                    # eyeriss is normalized
    assert main(["evaluate", "lenet5", "--layer", "C3", "--arch", "eyeriss", "--mapping", str(out),
                 "--json"]) == 0
    (again,) = json.loads(capsys.readouterr().out)
    assert again["cycles"] == row["cycles"]
    assert abs(again["energy_per_mac"] - row["energy_per_mac"]) < 1e-9


def test_jobs_give_the_same_mappings_and_repeated_shapes_keep_their_names(capsys):
    args = ["map", "resnet50", "--arch", "eyeriss", "--layer", "res2b_branch2a", "--layer", "res2c_branch2a",
            "--json", "--quiet"]
    assert main(args) == 0
    one = json.loads(capsys.readouterr().out)
    assert main(args + ["--jobs", "2"]) == 0
    two = json.loads(capsys.readouterr().out)
    assert [r["layer"] for r in one] == ["res2b_branch2a", "res2c_branch2a"]
    assert [r["mapping"] for r in one] == [r["mapping"] for r in two]
    assert one[0]["mapping"] == one[1]["mapping"]       # the same shape: searched once


def test_bad_jobs_is_a_clear_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["map", "lenet5", "--arch", "eyeriss", "--jobs", "0", "--quiet"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "--jobs" in err and len(err.strip().splitlines()) == 1


def test_map_reports_a_proven_bound_and_gap(capsys):
    assert main(["map", "alexnet", "--arch", "eyeriss", "--layer", "CONV5", "--json", "--quiet"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["bound_of"] == "energy" and 0 < row["bound"] <= row["energy"]
    assert abs(row["gap"] - (row["energy"] / row["bound"] - 1)) < 1e-12
    assert row["bound"] > row["lower_bound_energy"]     # tighter than each word once at DRAM
    assert main(["map", "alexnet", "--arch", "eyeriss", "--layer", "CONV5", "--quiet"]) == 0
    assert "proven bound" in capsys.readouterr().out


def test_more_effort_never_gives_a_worse_answer(capsys):
    args = ["map", "alexnet", "--arch", "eyeriss", "--layer", "CONV4", "--json", "--quiet"]
    assert main(args) == 0
    (one,) = json.loads(capsys.readouterr().out)
    assert main(args + ["--effort", "2"]) == 0
    (two,) = json.loads(capsys.readouterr().out)
    assert two["energy"] <= one["energy"] and two["candidates"] > one["candidates"]
    with pytest.raises(SystemExit) as exit_:
        main(args + ["--effort", "0"])
    assert exit_.value.code == 2 and "--effort" in capsys.readouterr().err


def test_map_says_which_tensor_the_gap_lies_in(capsys):
    """Each tensor's energy above its term of the bound is never negative, and together they are at most the gap in
    energy (the bound is the least over bypass choices, the terms are those of the answer's own)."""
    assert main(["map", "alexnet", "--arch", "timeloop-eyeriss-like", "--layer", "CONV1", "--json", "--quiet"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    excess = row["energy_above_bound_by_tensor"]
    assert set(excess) == {"weights", "inputs", "outputs"} and min(excess.values()) >= 0
    assert sum(excess.values()) <= row["energy"] - row["bound"] + 1e-6 * row["energy"]
    assert main(["map", "alexnet", "--arch", "timeloop-eyeriss-like", "--layer", "CONV1", "--quiet"]) == 0
    assert "above the bound (energy per tensor, where the gap lies): weights" in capsys.readouterr().out
