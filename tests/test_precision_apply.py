"""Quantized networks still run; post-training accuracy by scheme, fine-tuning, profiles and the sweep."""
import numpy as np
import pytest

from stationary.infer import accuracy, build, load_digits
from stationary.precision import (Scheme, act_hook, calibrate, estimate_energy, evaluate, finetune, levels,
                                  mac_energy_pj, profile, quantize_model, storage_energy_pj)
from stationary.precision.sweep import sweep

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def trained():
    pytest.importorskip("sklearn")
    from stationary.infer.train import TrainConfig, train
    data = load_digits()
    model = train(build("digits-cnn"), data, TrainConfig(epochs=15)).model
    return model, data, calibrate(model, data.x_train[:300])


def test_weights_land_on_the_grid(trained):
    model, _, _ = trained
    for text, most in [("fixed4", 15), ("ternary", 3), ("binary", 2), ("log4", 15)]:
        q = quantize_model(model, Scheme.parse(text))
        for name, (w, b) in q.weights.items():
            assert levels(w) <= most
            np.testing.assert_array_equal(b, model.weights[name][1])


def test_activation_hook_quantizes_each_layers_input(trained):
    model, data, calib = trained
    hook = act_hook(model, Scheme.parse("fixed4"), calib)
    x = hook("CONV2", np.linspace(0, calib.max_abs["CONV2"] * 2, 50, dtype=np.float32))
    assert levels(x) <= 16 and x.max() == pytest.approx(calib.max_abs["CONV2"])
    xnor = act_hook(model, Scheme.parse("xnor"), calib)
    assert levels(xnor("FC1", np.maximum(np.random.default_rng(0).standard_normal(20), 0))) == 2
    assert act_hook(model, Scheme.parse("float"), calib) is None


def test_accuracy_degrades_gracefully_with_bits(trained):
    model, data, calib = trained
    base = accuracy(model, data.x_test, data.y_test)
    acc = {t: evaluate(model, Scheme.parse(t), calib, data.x_test, data.y_test)
           for t in ("float", "fixed16", "fixed8", "fixed2")}
    assert acc["float"] == base > 0.8
    assert abs(acc["fixed16"] - base) <= 0.003 and abs(acc["fixed8"] - base) <= 0.02
    assert acc["fixed2"] < acc["fixed8"]


def test_finetuning_recovers_ternary_accuracy(trained):
    model, data, calib = trained
    scheme = Scheme.parse("ternary")
    before = evaluate(model, scheme, calib, data.x_test, data.y_test)
    tuned = finetune(model, scheme, calib, data, epochs=4, lr=1e-3)
    after = evaluate(tuned, scheme, calib, data.x_test, data.y_test)
    assert after > before


def test_profile_and_energy_by_arithmetic(trained):
    model, data, calib = trained
    probe = data.x_test[:50]
    prof = profile(model, probe, Scheme.parse("fixed8"), calib)
    assert [p.name for p in prof] == [l.name for l in model.network.layers]
    assert all(p.weight_bits == 8 and p.act_bits == 8 and 0 < p.nonzero_macs <= p.macs for p in prof)
    e = estimate_energy(prof)
    compute = sum(p.nonzero_macs * mac_energy_pj(8, 8) for p in prof)
    storage = sum((p.weights_kept + p.ifmap_words * p.ifmap_density + p.ofmap_words * p.ofmap_density)
                  * storage_energy_pj(8) for p in prof)
    assert e.compute_pj == pytest.approx(compute) and e.storage_pj == pytest.approx(storage)
    ternary = profile(model, probe, Scheme.parse("ternary"), calib)
    assert sum(p.weights_kept for p in ternary) < sum(p.weights for p in ternary)


def test_sweep_rows_and_json(trained):
    model, data, _ = trained
    rows = sweep(model, data, (Scheme.parse("float"), Scheme.parse("fixed8"), Scheme.parse("binary")),
                 qat_epochs=1, max_loss=0.0, profile_n=50)
    assert rows[0].method == "float" and rows[0].relative_mac_energy == 1.0
    assert any(r.qat for r in rows)
    energies = [r.energy.energy_pj for r in rows if not r.qat]
    assert energies == sorted(energies, reverse=True)
    for r in rows:
        j = r.as_json()
        assert {"method", "accuracy", "weights_kept", "nonzero_macs", "energy_pj", "bits"} <= set(j)
