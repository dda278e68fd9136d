"""`stationary train` and `stationary quantize`: output, resume, JSON, plot, and exit status 2 on bad input."""
import json

import numpy as np
import pytest

from stationary.cli import main
from stationary.infer import build

pytest.importorskip("torch")
pytest.importorskip("sklearn")


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("w") / "digits.npz")
    assert main(["train", "digits-cnn", "--epochs", "6", "--out", out]) == 0
    return out


def test_train_writes_weights_and_resumes(weights, capsys):
    assert main(["train", "digits-cnn", "--epochs", "7", "--out", weights, "--resume"]) == 0
    text = capsys.readouterr().out
    assert "epoch   7/7" in text and "epoch   6/" not in text and "test accuracy" in text
    assert main(["train", "digits-cnn", "--epochs", "7", "--out", weights, "--resume"]) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_quantize_json_and_plot(weights, tmp_path, capsys):
    png = tmp_path / "q.png"
    assert main(["quantize", "digits-cnn", "--weights", weights, "--schemes", "float,fixed8,ternary",
                 "--qat-epochs", "1", "--json", "--plot", str(png)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["method"] for r in rows][:2] == ["float", "fixed8"]
    assert all(0 <= r["accuracy"] <= 1 and r["energy_pj"] > 0 and "Horowitz" in r["energy_model"] for r in rows)
    assert rows[1]["bits"] == 8 and rows[0]["weights_kept"] == build("digits-cnn").network.weights
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_quantize_table(weights, capsys):
    assert main(["quantize", "digits-cnn", "--weights", weights, "--schemes", "fixed16", "--qat-epochs", "0"]) == 0
    out = capsys.readouterr().out
    assert "fixed16" in out and "non-zero MACs" in out and "Horowitz" in out


@pytest.mark.parametrize("argv", [
    ["quantize", "lenet5", "--weights", "WEIGHTS", "--schemes", "fixed8"],      # digits weights for lenet5
    ["quantize", "digits-cnn", "--weights", "MISSING", "--schemes", "fixed8"],
    ["quantize", "digits-cnn", "--weights", "WEIGHTS", "--schemes", "fixed99"],
    ["quantize", "digits-cnn", "--weights", "SHAPE", "--schemes", "fixed8"],
    ["train", "digits-cnn", "--out", "MISSING", "--resume"],
])
def test_bad_input_exits_2(weights, tmp_path, argv, capsys):
    bad = build("digits-cnn")
    w = dict(bad.weights)
    w["FC2"] = (np.zeros((10, 65), np.float32), w["FC2"][1])
    shaped = tmp_path / "shape.npz"
    np.savez(shaped, **{f"{k}/{p}": a for k, (wt, b) in w.items() for p, a in (("weight", wt), ("bias", b))},
             __meta__=np.array(json.dumps({"format": "stationary-weights", "version": 1,
                                           "network": "digits-cnn"})))
    subst = {"WEIGHTS": weights, "MISSING": str(tmp_path / "none.npz"), "SHAPE": str(shaped)}
    assert main([subst.get(a, a) for a in argv]) == 2
    assert "error" in capsys.readouterr().err
