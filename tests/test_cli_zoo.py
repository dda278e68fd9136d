"""`stationary zoo` and `stationary layers` through the command line: output, JSON fields, errors (status 2).

Figures: the talk's "Summary of Popular DNNs" (shared/seed), as printed there: AlexNet 666M CONV MACs and
58.6M FC weights, VGG-16 15.3G, GoogLeNet 1.43G, ResNet-50 3.86G.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from stationary.cli import main
from stationary.workload import zoo

EXAMPLE = str(Path(__file__).resolve().parents[1] / "examples" / "networks" / "small-cnn.yaml")
SUMMARY_KEYS = {"network", "conv_layers", "conv_weights", "conv_macs", "fc_layers", "fc_weights", "fc_macs",
                "total_weights", "total_macs"}
LAYER_KEYS = {"layer", "kind", "N", "M", "C", "G", "H", "W", "R", "S", "E", "F", "U", "macs", "weights"}


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_zoo_table_has_the_talks_figures(capsys):
    status, out, _ = run(capsys, "zoo")
    assert status == 0
    lines = {line.split("  ")[0]: line for line in out.splitlines()}
    assert all(name in lines["Metrics"] for name in zoo.NAMES)
    for figure in ("666M", "15.3G", "1.43G", "3.86G"):
        assert figure in lines["CONV MACs"]
    assert "58.6M" in lines["FC weights"] and "124M" in lines["FC weights"]
    assert lines["CONV depth"].split()[2:9] == ["2", "5", "5", "5", "13", "21", "49"]


def test_zoo_json(capsys):
    status, out, _ = run(capsys, "zoo", "--json")
    rows = json.loads(out)
    assert status == 0 and [r["network"] for r in rows][:2] == ["lenet5", "alexnet"] and len(rows) == len(zoo.NAMES)
    for r in rows:
        assert SUMMARY_KEYS <= set(r) and all(isinstance(r[k], int) for k in SUMMARY_KEYS - {"network"})
    alexnet = rows[1]
    assert (alexnet["conv_macs"], alexnet["fc_weights"]) == (665_784_864, 58_621_952)   # published.yaml
    assert alexnet["total_macs"] == alexnet["conv_macs"] + alexnet["fc_macs"]


def test_zoo_selected_networks_and_csv(capsys):
    status, out, _ = run(capsys, "zoo", "vgg16", "resnet50", "--csv")
    lines = out.splitlines()
    assert status == 0 and lines[0] == "Metrics,vgg16,resnet50" and "CONV MACs,15.3G,3.86G" in lines


def test_layers_table_and_totals(capsys):
    status, out, _ = run(capsys, "layers", "alexnet", "--batch", "4")
    assert status == 0
    conv1 = next(line for line in out.splitlines() if line.startswith("CONV1"))
    assert conv1.split()[:15] == ["CONV1", "conv", "4", "96", "3", "1", "227", "227", "11", "11", "4", "55", "55",
                                  "0", f"{4 * 105_415_200:,}"]
    assert out.splitlines()[-1].split()[:2] == ["total", f"{4 * 724_406_816:,}"]


def test_layers_json(capsys):
    status, out, _ = run(capsys, "layers", "googlenet", "--json")
    rows = json.loads(out)
    assert status == 0 and all(LAYER_KEYS <= set(r) for r in rows)
    by_name = {r["layer"]: r for r in rows}
    assert by_name["inception_3a/1x1"]["inputs"] == ["conv2/3x3"]
    r = by_name["conv1/7x7_s2"]
    assert r["macs"] == r["N"] * r["M"] * r["C"] * r["E"] * r["F"] * r["R"] * r["S"] // r["G"]


def test_layers_reads_a_file_like_a_zoo_name(capsys, tmp_path):
    status, out, _ = run(capsys, "layers", EXAMPLE, "--json", "--batch", "2")
    rows = json.loads(out)
    assert status == 0 and rows[0]["layer"] == "conv1" and {r["N"] for r in rows} == {2}
    path = tmp_path / "alexnet.yaml"
    assert main(["layers", "alexnet", "--json"]) == 0
    from_zoo = json.loads(capsys.readouterr().out)
    from stationary.workload import dump_network_yaml
    dump_network_yaml(zoo.get("alexnet"), path)
    assert main(["layers", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == from_zoo


BAD_FILES = {
    "negative.yaml": ("layers: [{name: c1, kind: conv, M: -4, C: 3, H: 8, R: 3}]", "layer c1", "'M' = -4"),
    "zero.yaml": ("layers: [{name: c1, kind: conv, M: 4, C: 3, H: 0, R: 3}]", "layer c1", "'H' = 0"),
    "stride.yaml": ("layers: [{name: c1, kind: conv, M: 4, C: 3, H: 8, R: 3, U: 2}]", "layer c1", "non-integer"),
    "groups.yaml": ("layers: [{name: c1, kind: conv, M: 6, C: 3, G: 4, H: 8, R: 3}]", "layer c1", "'M' = 6"),
    "kind.yaml": ("layers: [{name: c1, kind: lstm, M: 4, C: 3}]", "layer c1", "'kind' = 'lstm'"),
    "key.yaml": ("layers: [{name: c1, kind: fc, M: 4, C: 3, bias: true}]", "layer c1", "'bias' = True"),
    "malformed.yaml": ("layers: [{name: c1, kind: fc, M: 4\n", "malformed YAML", "line"),
}


@pytest.mark.parametrize("filename", sorted(BAD_FILES))
def test_bad_files_exit_2_with_one_line(filename, capsys, tmp_path):
    text, *expected = BAD_FILES[filename]
    path = tmp_path / filename
    path.write_text(text)
    status, out, err = run(capsys, "layers", str(path))
    assert status == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"stationary layers: error: {path}: ") and all(e in err for e in expected), err


@pytest.mark.parametrize("spec,words", [("no/such/file.yaml", "no such file"), ("vgg19", "resnet50"),
                                        ("bert-base-encoder:zero", "sequence length")])
def test_missing_file_and_unknown_network(spec, words, capsys):
    status, out, err = run(capsys, "layers", spec)
    assert status == 2 and err.count("\n") == 1 and spec in err and words in err


def test_unknown_zoo_name(capsys):
    status, _, err = run(capsys, "zoo", "alexnet", "lenet")
    assert status == 2 and "'lenet'" in err and "lenet5" in err


def test_a_real_process_prints_no_traceback(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("layers: [{name: c1, kind: conv, M: 4, C: 3, H: 8, R: 3, U: 2}]")
    proc = subprocess.run([sys.executable, "-m", "stationary.cli", "layers", str(path)], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == "" and proc.stderr.count("\n") == 1
    assert "layer c1" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("batch", ["0", "-3", "two"])
def test_bad_batch_is_a_usage_error(batch, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["layers", "alexnet", "--batch", batch])
    assert exit_.value.code == 2 and "positive integer" in capsys.readouterr().err
