"""Every input issue #12 found breaking the command line or the API, as a regression test: each is now one line on
stderr with exit status 2 (or a StationaryError from the API) naming the file, field and value, in bounded time.
(Deep nesting, duplicate keys, NUL bytes and .npy headers are in test_validation.py; chaining in test_chain.py.)"""
import time

import numpy as np
import pytest

from stationary import api, cli
from stationary.arch import arch_to_yaml, load_arch
from stationary.core import StationaryError
from stationary.workload.files import load_network

BIG_PRIME = str(10 ** 18 + 3)


def run(argv, capsys):
    """(exit status, stderr lines) of one command line."""
    try:
        status = cli.main(argv)
    except SystemExit as exit_:
        status = exit_.code
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    return status, err


def refused(argv, capsys, *words):
    start = time.perf_counter()
    status, err = run(argv, capsys)
    assert status == 2 and len(err) == 1 and err[0].startswith("stationary"), (status, err)
    assert "Traceback" not in err[0] and all(w in err[0] for w in words), err[0]
    assert time.perf_counter() - start < 60
    return err[0]


def test_mac_energy_zero_is_refused_where_it_is_read(tmp_path, capsys):
    path = tmp_path / "arch.yaml"
    text = arch_to_yaml(load_arch("eyeriss"))
    path.write_text(text.replace("mac: {energy: 1", "mac: {energy: 0"))
    assert "mac: {energy: 0" in path.read_text()
    refused(["evaluate", "lenet5", "--arch", str(path)], capsys, "arch.yaml", "'energy' = 0", "positive")


@pytest.mark.parametrize("value", ["-1", "nan", "1e400", BIG_PRIME, "--"])
def test_map_seed(value, capsys):
    refused(["map", "lenet5", "--arch", "eyeriss", f"--seed={value}"], capsys, "--seed")


def test_compare_plot_with_an_unknown_format_is_refused_before_the_work(capsys):
    start = time.perf_counter()
    message = refused(["compare", "alexnet", "--plot", "out.txt"], capsys, "--plot", "out.txt")
    assert "image file name" in message and time.perf_counter() - start < 10


def test_chip_on_a_network_without_conv_layers(capsys):
    refused(["chip", "bert-base-encoder"], capsys, "CONV layers", "has none")


def test_densities_for_unknown_layers(tmp_path, capsys):
    path = tmp_path / "d.yaml"
    path.write_text("CONV1: 0.5\nCONV9: 0.4\n")
    refused(["chip", "alexnet", "--densities", str(path)], capsys, "d.yaml", "'CONV9'", "no such CONV layer")


def test_form_with_zero_runtime(tmp_path, capsys):
    import yaml

    from stationary.report.form import BenchmarkForm
    doc = BenchmarkForm.eyeriss().json()
    doc["metrics"]["runtime_ms"] = 0
    path = tmp_path / "form.yaml"
    path.write_text(yaml.safe_dump(doc))
    refused(["form", str(path), "--check"], capsys, "form.yaml", "'runtime_ms' = 0", "positive")


@pytest.mark.parametrize("value", ["nan", "inf", "-0.1", "2"])
def test_form_tolerance(value, capsys):
    refused(["form", "eyeriss", "--tolerance", value], capsys, "--tolerance")


def test_simulate_inputs_pickled(tmp_path, capsys):
    path = tmp_path / "x.npy"
    np.save(path, np.array([{"not": "numbers"}], dtype=object), allow_pickle=True)
    refused(["simulate", "lenet5", "--layer", "C1", "--arch", "eyeriss", "--inputs", str(path)], capsys,
            "x.npy", "dtype", "pickles are never loaded")


def test_simulate_inputs_of_the_wrong_shape(tmp_path, capsys):
    path = tmp_path / "x.npy"
    np.save(path, np.zeros((2, 2), dtype=np.int16))
    refused(["simulate", "lenet5", "--layer", "C1", "--arch", "eyeriss", "--inputs", str(path)], capsys,
            "x.npy", "shape")


def test_rlc_on_a_header_claiming_a_trillion_elements(tmp_path, capsys):
    path = tmp_path / "huge.npy"
    header = np.lib.format.header_data_from_array_1_0(np.zeros(1, np.int16))
    header["shape"] = (10 ** 12,)
    with open(path, "wb") as handle:
        np.lib.format.write_array_header_1_0(handle, header)
    refused(["rlc", str(path)], capsys, "huge.npy", "elements")


def test_from_onnx_none():
    pytest.importorskip("onnx")
    from stationary.workload.importers.onnx import from_onnx
    with pytest.raises(StationaryError, match="field 'model' = 'NoneType'"):
        from_onnx(None)


def test_import_dim_that_the_model_does_not_have(tmp_path, capsys):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 16])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 4])],
                              [helper.make_tensor("w", TensorProto.FLOAT, [16, 4], [0.0] * 64)])
    path = tmp_path / "m.onnx"
    onnx.save(helper.make_model(graph), str(path))
    refused(["import", str(path), "--dim", "nosuchdim=4"], capsys, "'nosuchdim'", "batch")
    assert run(["import", str(path), "--dim", "batch=4"], capsys)[0] == 0


@pytest.mark.parametrize("command", ["compare", "evaluate", "map"])
@pytest.mark.parametrize("jobs", ["0", "-1"])
def test_jobs_zero_or_negative(command, jobs, capsys):
    argv = {"compare": ["compare"], "evaluate": ["evaluate", "lenet5", "--arch", "eyeriss"],
            "map": ["map", "lenet5", "--arch", "eyeriss"]}[command]
    refused(argv + ["--jobs", jobs], capsys, "--jobs")


@pytest.mark.parametrize("jobs", [0, -1, True])
def test_api_jobs(jobs):
    with pytest.raises(StationaryError, match="field 'jobs'"):
        api.evaluate("lenet5", "eyeriss", jobs=jobs)


@pytest.mark.parametrize("batch", [0, -3, 1.5, True])
def test_load_network_batch_is_checked(batch):
    with pytest.raises(StationaryError, match="field 'batch'"):
        load_network("lenet5", batch=batch)


@pytest.mark.parametrize("value", ["-1", "nan", BIG_PRIME])
def test_quantize_qat_epochs(value, capsys):
    refused(["quantize", "lenet5", "--qat-epochs", value], capsys, "--qat-epochs")


@pytest.mark.parametrize("argv", [
    ["evaluate", "lenet5", "--arch", "eyeriss"], ["compare", "lenet5"], ["chip", "alexnet"],
    ["map", "lenet5", "--arch", "eyeriss"], ["simulate", "lenet5", "--layer", "C1", "--arch", "eyeriss"],
    ["layers", "lenet5"]])
@pytest.mark.parametrize("batch", [BIG_PRIME, str(10 ** 12)])
def test_absurd_batches_are_refused_with_the_limit_named(argv, batch, capsys):
    refused(argv + ["--batch", batch], capsys, "--batch", "2,147,483,647")


def test_a_large_prime_batch_within_the_limit_ends_quickly():
    start = time.perf_counter()
    result = api.evaluate("lenet5", "eyeriss", batch=2_147_483_629)       # a prime just under 2^31
    assert result.layers[0].layer.N == 2_147_483_629 and time.perf_counter() - start < 120


def test_simulate_refuses_a_layer_past_its_limits(capsys):
    refused(["simulate", "alexnet", "--layer", "CONV1", "--arch", "eyeriss", "--batch", "100000"], capsys,
            "simulator's limit")


def test_an_internal_error_is_one_line_and_the_traceback_comes_with_debug(monkeypatch, capsys):
    from stationary.cli import zoo

    def broken(args):
        raise ZeroDivisionError("a bug")
    parser_build = cli.build_parser

    def build():
        parser = parser_build()
        sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
        sub.choices["zoo"].set_defaults(run=broken)
        return parser
    monkeypatch.setattr(cli, "build_parser", build)
    status, err = run(["zoo"], capsys)
    assert status == 3 and len(err) == 1 and "internal error (ZeroDivisionError: a bug)" in err[0]
    assert "please report" in err[0] and "--debug" in err[0]
    status, err = run(["--debug", "zoo"], capsys)
    assert status == 3 and any("Traceback" in line for line in err) and zoo is not None
