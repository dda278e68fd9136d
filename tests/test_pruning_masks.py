"""Pruning masks, least-squares restoration and fine-tuning with masks held."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from stationary.core import StationaryError
from stationary.infer import accuracy, build, forward, load_digits
from stationary.infer.train import TrainConfig, train
from stationary.pruning.finetune import finetune
from stationary.pruning.masks import apply_masks, magnitude_masks, masks_of, top_mask, weights_kept
from stationary.pruning.restore import restore_layer


def _weights(seed, sizes=(30, 200, 7)):
    rng = np.random.default_rng(seed)
    return {f"l{i}": rng.normal(size=n) for i, n in enumerate(sizes)}


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.02, 1.0))
def test_layer_masks_keep_the_target_fraction_of_the_largest(seed, keep):
    w = _weights(seed)
    masks = magnitude_masks(w, keep, scope="layer")
    for name, m in masks.items():
        assert m.sum() == max(1, round(keep * w[name].size))
        if (~m).any():
            assert np.abs(w[name][m]).min() >= np.abs(w[name][~m]).max()


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.02, 1.0))
def test_global_masks_keep_the_target_fraction_over_all_layers(seed, keep):
    w = _weights(seed)
    masks = magnitude_masks(w, keep)
    every = np.sort(np.concatenate([np.abs(v) for v in w.values()]))[::-1]
    target = round(keep * every.size)
    threshold = every[target - 1] if target else np.inf
    emptied = sum(1 for v in w.values() if np.abs(v).max() < threshold)   # such a layer keeps its largest
    assert sum(int(m.sum()) for m in masks.values()) == target + emptied
    for name, m in masks.items():
        assert m.any()


def test_a_pruned_weight_stays_pruned_and_errors():
    w = {"a": np.array([0.0, 0.0, 3.0, -1.0, 2.0])}
    assert magnitude_masks(w, 1.0)["a"].tolist() == [False, False, True, True, True]
    assert top_mask(w["a"], 2).tolist() == [False, False, True, False, True]
    for bad in (0.0, 1.5, -0.1, True):
        with pytest.raises(StationaryError, match="keep"):
            magnitude_masks(w, bad)
    with pytest.raises(StationaryError, match="scope"):
        magnitude_masks(w, 0.5, scope="channel")


@pytest.fixture(scope="session")
def digits_trained():
    data = load_digits()
    model = train(build("digits-cnn"), data, TrainConfig(epochs=12, lr=3e-3)).model
    return model, data


def test_finetuning_holds_the_masks_and_the_pruned_network_classifies(digits_trained):
    model, data = digits_trained
    base = accuracy(model, data.x_test, data.y_test)
    assert base > 0.85
    masks = magnitude_masks({n: w for n, (w, _) in model.weights.items()}, 0.2)
    pruned = apply_masks(model, masks)
    tuned = finetune(pruned, masks, data, epochs=2, lr=1e-3)
    for name, (w, _) in tuned.weights.items():
        assert not np.any(w[~masks[name]])                   # zeros stay zero
        assert np.count_nonzero(w) == masks[name].sum()      # and the kept ones stay (they were trained)
    assert weights_kept(tuned) == round(0.2 * sum(np.size(w) for w, _ in model.weights.values()))
    assert accuracy(tuned, data.x_test, data.y_test) > 0.5   # chance is 0.1
    assert accuracy(tuned, data.x_test, data.y_test) >= accuracy(pruned, data.x_test, data.y_test) - 0.02


def test_least_squares_restoration_matches_an_independent_solve_and_cuts_the_output_error(digits_trained):
    model, data = digits_trained
    x = data.x_train[:300]
    w = model.weights["FC1"][0]
    mask = top_mask(w, w.size // 10)
    pruned = apply_masks(model, {"FC1": mask})
    fixed = restore_layer(pruned, model, "FC1", mask, x, ridge=0.0)
    assert masks_of(fixed)["FC1"].sum() <= mask.sum() and not np.any(fixed.weights["FC1"][0][~mask])
    acts = forward(model, x)
    xin = acts[2].ifmap.reshape(len(x), -1).astype(np.float64)
    target = acts[2].preact.astype(np.float64) - model.weights["FC1"][1]
    keep = np.flatnonzero(mask[0])
    solo = np.linalg.lstsq(xin[:, keep], target[:, 0], rcond=None)[0]
    assert fixed.weights["FC1"][0][0, keep] == pytest.approx(solo, rel=1e-3, abs=1e-4)
    err = lambda m: float(np.sum((forward(m, x)[2].preact - acts[2].preact) ** 2))
    assert err(fixed) < err(pruned)
