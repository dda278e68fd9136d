"""The three designs on real digits (small, seeded samples; full runs: benchmarks/bench_cim.py)."""
import json

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("mlxtend")

from stationary.cim import isaac, sram, switched_cap  # noqa: E402
from stationary.cim.array import program, read  # noqa: E402
from stationary.cim.common import Settings  # noqa: E402
from stationary.cim.layers import deploy, input_codes, lower, run_model, weight_codes, weight_matrix  # noqa: E402
from stationary.cim.result import Baseline  # noqa: E402
from stationary.cli import main  # noqa: E402
from stationary.infer import Dataset, build, forward, load_mnist  # noqa: E402
from stationary.infer.train import TrainConfig, train  # noqa: E402
from stationary.precision import calibrate, fixed_point  # noqa: E402

BASE = Baseline(1000.0, 100, 500.0, "test")


@pytest.fixture(scope="module")
def mnist():
    full = load_mnist()
    return Dataset("mnist", full.x_train[::4], full.y_train[::4], full.x_test, full.y_test)   # 1,000 to train


@pytest.fixture(scope="module")
def lenet(mnist):
    return train(build("lenet5"), mnist, TrainConfig(epochs=1)).model


def test_ideal_isaac_runs_lenet_exactly_as_the_quantized_digital_network(lenet, mnist):
    x = mnist.x_test[:6].astype(np.float64)
    input_max = calibrate(lenet, mnist.x_train[:200]).max_abs
    m = isaac.macro(Settings())
    out, _ = run_model(lenet, deploy(lenet, m, input_max), x)
    # the independent reference: numpy's forward pass with stationary.precision's quantizers at ISAAC's 16 bits
    ref = forward(lenet, x, dtype=np.float64,
                  act_hook=lambda name, a: fixed_point(a, 16, signed=False, max_abs=input_max[name]),
                  weight_hook=lambda name, w: fixed_point(np.asarray(w, np.float64), 16))[-1].ofmap
    assert np.allclose(out, ref, rtol=1e-9, atol=1e-9)
    # and layer by layer the crossbars return the integer product exactly (8-bit ADC with column flipping)
    layer = lenet.network.layers[2]
    ifmap = forward(lenet, x)[2].ifmap
    xc, _ = input_codes(lower(ifmap, layer), 16, input_max[layer.name])
    wc, _ = weight_codes(weight_matrix(lenet.weights[layer.name][0]), 16)
    assert np.array_equal(read(program(m, wc), xc)[0], (xc @ wc).astype(float))


def test_isaac_accuracy_falls_with_variation_and_adc_bits(lenet, mnist):
    varied = isaac.run(lenet, mnist, Settings(variation=0.4, samples=40), BASE)
    assert varied.accuracy_ideal == dict(varied.figures)["accuracy_float"] > 0.6
    assert varied.accuracy < varied.accuracy_ideal
    coarse = isaac.run(lenet, mnist, Settings(adc_bits=3, samples=40), BASE)
    assert coarse.accuracy == coarse.accuracy_ideal < varied.accuracy_ideal
    assert coarse.energy_pj_per_inference < varied.energy_pj_per_inference      # a 3-bit ADC costs 2^-5 of 8 bits
    a = varied.actions
    assert a.adc_conversions * 1.6667 == pytest.approx(dict(varied.breakdown_pj)["adc_conversion"], rel=1e-4)
    assert dict(varied.figures)["crossbars"] == 1 + 2 + 32 + 6 + 1     # CONV1, CONV2 (150 rows), FC1, FC2, FC3


def test_switched_cap_layer_conversions_energy_and_accuracy(mnist):
    data = switched_cap.dataset(mnist)
    model = switched_cap.train_classifier(data, epochs=2)
    r = switched_cap.run(model, data, Settings(samples=150), BASE)
    fig = dict(r.figures)
    assert r.adc_conversions == 144 and fig["adc_conversions_digitizing_input"] == 3072
    assert fig["adc_conversion_reduction"] == pytest.approx(21.33, abs=0.01)        # the talk's "21x"
    assert fig["sc_layer_tops_per_w"] == pytest.approx(8.7, rel=0.01)               # Lee and Wong's measured figure
    assert r.accuracy_ideal > 0.4 and abs(r.accuracy - fig["accuracy_float"]) < 0.1      # chance: 0.1


def test_sram_classifier_variation_hurts_and_eacb_recovers(mnist):
    settings = Settings(samples=300, variation=0.3, nonlinearity=2.0)
    x, y = sram.features(mnist.x_train), mnist.y_train
    plain = sram.train(x, y, 4, None)
    r = sram.run(mnist, settings, BASE, plain=plain)
    assert r.accuracy_ideal > 0.6 and r.accuracy < r.accuracy_ideal - 0.05
    assert dict(r.figures)["accuracy_eacb"] > r.accuracy
    assert r.energy_pj_per_inference == 630.0 and r.actions.array_reads == 1            # one classify cycle
    assert r.actions.adc_conversions == 40 and r.macs_per_inference == 81 * 40


@pytest.mark.parametrize("argv, message", [
    (["cim", "--design", "flash"], "unknown CIM design"),
    (["cim", "--design", "isaac", "--variation", "-0.1"], "'variation' = -0.1"),
    (["cim", "--design", "isaac", "--variation", "lots"], "expected a number"),
    (["cim", "--design", "isaac", "--adc-bits", "17"], "'adc_bits' = 17"),
    (["cim", "--design", "isaac", "--adc-bits", "0"], "'adc_bits' = 0"),
    (["cim", "lenet5", "--design", "switched-cap"], "fixes its network"),
    (["cim", "alexnet", "--design", "isaac"], "'network' = 'alexnet'"),
    (["cim", "--design", "isaac", "--sweep", "speed=0:1:3"], "'sweep'"),
    (["cim", "--design", "isaac", "--sweep", "variation=0:3:4"], "'variation' = 2.0"),
    (["cim", "--design", "isaac", "--plot", "x.png"], "--plot draws a sweep"),
])
def test_cli_bad_input_is_one_line_and_exit_2(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_cli_json_has_the_issue_fields(capsys, monkeypatch):
    from stationary.cim import run as cim_run
    monkeypatch.setattr(sram, "DEFAULT_WEAK", 3)
    assert main(["cim", "--design", "sram-binary", "--samples", "100", "--train-samples", "600", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("design", "network", "accuracy", "accuracy_ideal", "energy_pj_per_inference", "energy_pj_per_mac",
                "macs", "adc_conversions", "dac_conversions", "source"):
        assert key in out
    assert set(out["baseline"]) >= {"energy_pj_per_inference", "energy_pj_per_mac"}
    assert out["design"] == "sram-binary" and out["macs"] == 81 * 30 == out["baseline"]["energy_pj_per_inference"] \
        / out["baseline"]["energy_pj_per_mac"]
    assert cim_run.network_for(cim_run.Design.SRAM_BINARY, None) == out["network"]


def test_cli_sweep_json_and_plot(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(sram, "DEFAULT_WEAK", 2)
    plot = tmp_path / "sweep.png"
    assert main(["cim", "--design", "sram-binary", "--samples", "60", "--train-samples", "300", "--json",
                 "--sweep", "variation=0:0.4:2", "--plot", str(plot)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["settings"]["variation"] for r in rows] == [0.0, 0.4]
    assert all("accuracy_eacb" in r for r in rows) and plot.stat().st_size > 10_000
    assert rows[0]["accuracy_ideal"] == rows[1]["accuracy_ideal"]          # the ideal array does not vary
