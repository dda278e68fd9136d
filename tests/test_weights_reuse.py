"""`quantize` and `prune` reuse ./NETWORK.npz when no --weights is given (no silent retraining), say so, and
show progress bars on a terminal (issue #12)."""
import contextlib
import io
import json
import sys

import pytest

from stationary.cli import main
from stationary.infer.nets import lenet5
from stationary.infer.train import progress_bar
from stationary.infer.weights import save_weights


def _run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exit_:
            status = exit_.code
    return status, out.getvalue(), err.getvalue()


def test_quantize_reuses_a_present_weight_file(tmp_path, monkeypatch):
    pytest.importorskip("torch")
    monkeypatch.chdir(tmp_path)
    save_weights("lenet5.npz", lenet5(seed=0))
    status, out, err = _run(["quantize", "lenet5", "--qat-epochs", "0", "--schemes", "fixed8", "--json"])
    assert status == 0 and "using the trained weights in ./lenet5.npz" in err and "training" not in err, err
    assert [row["scheme"] for row in json.loads(out)] == ["fixed8"]


def test_prune_reuses_a_present_weight_file(tmp_path, monkeypatch):
    from stationary.pruning.run import trained_model
    monkeypatch.chdir(tmp_path)
    save_weights("lenet5.npz", lenet5(seed=3))
    said = []
    model, path = trained_model("lenet5", None, str(tmp_path / "cache"), log=said.append)
    assert path == "lenet5.npz" and said == ["using the trained weights in ./lenet5.npz (--weights FILE to choose others)"]
    assert (model.weights["C1"][0] == lenet5(seed=3).weights["C1"][0]).all()
    assert not (tmp_path / "cache").exists()          # nothing trained


def test_progress_bars_show_on_a_terminal_only(monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert not progress_bar(True, 3, "x", "step").disable
    assert progress_bar(False, 3, "x", "step").disable
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert progress_bar(True, 3, "x", "step").disable
