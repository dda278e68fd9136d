"""Magnitude and energy-aware pruning end to end on the 8x8-digits CNN (tiny training; fixed simple mappings so
no mapper time), and the `stationary prune` command's errors."""
import json

import pytest

from stationary.arch import preset
from stationary.cli import main
from stationary.core import Dim, StationaryError
from stationary.infer import accuracy, build, load_digits, save_weights
from stationary.infer.train import TrainConfig, train
from stationary.mapping import LevelMapping, Loop, Mapping
from stationary.pruning.energy_aware import energy_aware_pruning
from stationary.pruning.magnitude import magnitude_pruning
from stationary.pruning.run import setting_for
from stationary.pruning.steps import Method


def dram_only(layer):
    """Every loop at DRAM: legal on any arch, and quick to evaluate."""
    loops = tuple(Loop(d, n) for d, n in layer.with_batch(1).dims.items() if n > 1 and d is not Dim.G)
    return Mapping((LevelMapping(temporal=loops), LevelMapping(), LevelMapping()))


@pytest.fixture(scope="module")
def setting():
    data = load_digits()
    model = train(build("digits-cnn"), data, TrainConfig(epochs=10, lr=3e-3)).model
    s = setting_for(model, data, preset("eyeriss"), 0.03, energy_samples=50, calib_samples=400, finetune_epochs=1)
    maps = {layer.name: dram_only(layer) for layer in model.network.layers}
    from dataclasses import replace
    return model, replace(s, mappings=maps)


def _check(steps, setting, method):
    assert steps[0].method is method and steps[0].step == 0 and steps[0].weights_kept == steps[0].weights_total
    kept = [s.weights_kept for s in steps]
    assert kept == sorted(kept, reverse=True) and kept[-1] < kept[0]
    for s in steps:
        assert s.nonzero_macs <= s.macs and s.energy > 0
        if s.within_target:
            assert setting.base_accuracy - s.accuracy <= setting.max_accuracy_loss + 1e-9
            assert s.accuracy > 0.5                           # still runs and classifies, chance is 0.1
            assert accuracy(s.model, setting.data.x_test, setting.data.y_test) == pytest.approx(s.accuracy)
    d = steps[-1].as_dict()
    assert {"method", "accuracy", "weights_kept", "nonzero_macs", "energy_normalized"} <= set(d)
    json.dumps(d)


def test_magnitude_pruning_steps(setting):
    model, s = setting
    steps = magnitude_pruning(model, s, ladder=(0.5, 0.2, 0.05, 0.01))
    _check(steps, s, Method.MAGNITUDE)
    assert all(x.within_target for x in steps[:-1])
    assert steps[1].weights_kept == round(0.5 * steps[0].weights_total)


def test_energy_aware_pruning_steps_prune_the_hungriest_layer_first(setting):
    model, s = setting
    steps = energy_aware_pruning(model, s, ladder=(0.5, 0.2, 0.05), passes=1)
    _check(steps, s, Method.ENERGY_AWARE)
    assert all(x.within_target for x in steps)
    first = steps[1].action.split(": ")[1].split()[0]
    energies = {r.layer: r.total for r in steps[0].layers}
    assert first == max(energies, key=energies.get)
    assert steps[-1].energy < steps[0].energy


def test_impossible_targets(setting):
    model, s = setting
    data = s.data
    for bad in (-0.01, 1.0, s.base_accuracy):
        with pytest.raises(StationaryError, match="impossible accuracy target"):
            setting_for(model, data, preset("eyeriss"), bad)


def test_cli_errors_exit_2(tmp_path, capsys):
    bad = tmp_path / "digits.npz"
    save_weights(str(bad), build("digits-cnn"))
    assert main(["prune", "lenet5", "--weights", str(bad)]) == 2
    assert "another network" in capsys.readouterr().err
    assert main(["prune", "digits-cnn", "--weights", str(bad), "--max-accuracy-loss", "0.95"]) == 2
    assert "impossible accuracy target" in capsys.readouterr().err
    assert main(["prune", "digits-cnn", "--weights", str(tmp_path / "none.npz")]) == 2
    with pytest.raises(SystemExit) as err:
        main(["prune", "digits-cnn", "--method", "random"])
    assert err.value.code == 2
