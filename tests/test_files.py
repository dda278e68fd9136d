"""Network YAML files: round trips, the example file, and every kind of bad input named precisely."""
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from stationary.core import StationaryError
from stationary.workload import (Layer, LayerKind, Network, conv, dump_network_yaml, load_network, load_network_yaml,
                                 network_from_yaml, network_to_yaml, zoo)

EXAMPLE = str(Path(__file__).resolve().parents[1] / "examples" / "networks" / "small-cnn.yaml")


@pytest.mark.parametrize("name", zoo.NAMES)
def test_zoo_networks_round_trip(name, tmp_path):
    net = zoo.get(name, batch=3)
    path = tmp_path / "net.yaml"
    dump_network_yaml(net, path)
    assert load_network_yaml(path) == net
    assert load_network(str(path)) == net and load_network(str(path), batch=1) == zoo.get(name)


layers = st.builds(
    lambda name, m, c, g, h, r, u, pad, n: Layer(name, LayerKind.CONV, M=m * g, C=c, G=g, H=h + r, W=h + r + 1,
                                                 R=r, S=r, U=1, pad_h=2 * min(pad, r - 1), pad_w=2 * min(pad, r - 1),
                                                 N=n),
    st.text("abcxyz_/0123456789", min_size=1, max_size=8), st.integers(1, 8), st.integers(1, 8), st.integers(1, 4),
    st.integers(0, 9), st.integers(1, 5), st.just(1), st.integers(0, 2), st.integers(1, 4))


@settings(max_examples=40, deadline=None)
@given(st.lists(layers, min_size=1, max_size=4, unique_by=lambda l: l.name))
def test_random_networks_round_trip(layer_list):
    unrelated = tuple((layer.name, "drawn at random") for layer in layer_list[1:])  # they need not chain
    net = Network("random", tuple(layer_list), unchained=unrelated)
    assert network_from_yaml(network_to_yaml(net)) == net


def test_the_example_file():
    net = load_network(EXAMPLE, batch=4)
    assert net.name == "small-cnn" and net.input_shape == (3, 32, 32) and len(net) == 7
    dw, c3, sc = net["conv2_dw"], net["conv3"], net["shortcut"]
    assert (dw.G, dw.C, dw.M, dw.is_depthwise) == (32, 1, 32, True)
    assert (c3.E, c3.F, sc.E) == (8, 8, 8)                   # (16 + 2 - 3) // 2 + 1 and (16 - 1) // 2 + 1
    assert net.predecessors("fc1") == ("conv3", "shortcut") and net.predecessors("shortcut") == ("conv2_pw",)
    assert net["fc1"].macs == 4 * 128 * 64 * 8 * 8 and all(l.N == 4 for l in net.layers)


def test_a_bare_list_and_defaults(tmp_path):
    path = tmp_path / "plain.yaml"
    path.write_text("- {kind: conv, M: 4, C: 3, H: 8, R: 3}\n- {kind: fc, M: 2, C: 144, N: 2}\n")
    net = load_network(str(path))
    assert net.name == "plain" and [l.name for l in net.layers] == ["L1", "L2"]
    assert (net["L1"].W, net["L1"].S, net["L1"].E, net["L1"].N, net["L2"].N) == (8, 3, 6, 1, 2)


def test_matmul_fields_and_letters_agree():
    a = network_from_yaml("[{name: qk, kind: matmul, tokens: 128, d_in: 64, d_out: 128, heads: 12}]")
    b = network_from_yaml("[{name: qk, kind: matmul, M: 1536, C: 64, H: 128, G: 12}]")
    assert a == b and a["qk"].macs == 12 * 128 * 64 * 128


BAD = [  # YAML layer entry -> (field, value) the message must name
    ("{name: c1, kind: conv, M: -4, C: 3, H: 8, R: 3}", "M", "-4", "positive"),
    ("{name: c1, kind: conv, M: 4, C: 0, H: 8, R: 3}", "C", "0", "positive"),
    ("{name: c1, kind: conv, M: 4, C: 3, H: 8, R: 3, U: 2}", "pad_h", "0", "non-integer output"),
    ("{name: c1, kind: conv, M: 6, C: 3, G: 4, H: 8, R: 3}", "M", "6", "groups"),
    ("{name: c1, kind: pool, M: 4, C: 3}", "kind", "'pool'", "unknown layer kind"),
    ("{name: c1, kind: conv, M: 4, C: 3, stride: 2}", "stride", "2", "unknown key"),
    ("{name: c1, kind: conv, M: 4.5, C: 3}", "M", "4.5", "integer"),
    ("{name: c1, kind: conv, M: 4, C: 3, H: 8, R: 3, E: 7}", "E", "7", "gives E = 6"),
    ("{name: c1, kind: conv, M: 4, C: 3, H: 2, R: 3}", "H", "2", "does not fit"),
    ("{name: c1, kind: conv, M: 4, C: 3, pad: 1, pad_h: 2}", "pad_h", "2", "either pad"),
    ("{name: c1, kind: conv, M: 4, C: 3, inputs: [nowhere]}", "inputs", "'nowhere'", "earlier"),
    ("{name: c1, kind: conv, C: 3}", "M", None, "needs M"),
    ("{name: c1, M: 4, C: 3}", "kind", None, "needs a kind"),
    ("{name: c1, kind: fc, M: 4, C: 3, heads: 2}", "heads", "2", "only a matmul"),
]


@pytest.mark.parametrize("entry,field,value,words", BAD)
def test_bad_layers_name_file_layer_field_value(entry, field, value, words, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(f"network: bad\nlayers:\n  - {{name: c0, kind: conv, M: 3, C: 3, H: 8}}\n  - {entry}\n")
    with pytest.raises(StationaryError) as err:
        load_network(str(path))
    msg = str(err.value)
    assert msg.startswith(f"{path}: ") and "layer c1" in msg and f"field '{field}'" in msg and words in msg, msg
    if value is not None:
        assert f"= {value}:" in msg, msg


@pytest.mark.parametrize("text,words", [
    ("layers: [{name: a, kind: conv, M: 4, C: 3}\n", "malformed YAML"),
    ("network: x\n  layers: - a\n", "malformed YAML"),
    ("42\n", "expected a mapping"),
    ("layers: []\n", "non-empty list"),
    ("layers: [{name: a, kind: conv, M: 4, C: 3}, {name: a, kind: fc, M: 2, C: 4}]", "duplicate layer name"),
    ("colour: red\nlayers: [{name: a, kind: conv, M: 4, C: 3}]", "unknown key"),
    ("input: [3, 0, 8]\nlayers: [{name: a, kind: conv, M: 4, C: 3}]", "positive"),
    ("layers: [7]", "a layer must be a mapping"),
])
def test_bad_documents(text, words, tmp_path):
    path = tmp_path / "doc.yaml"
    path.write_text(text)
    with pytest.raises(StationaryError) as err:
        load_network(str(path))
    assert str(err.value).startswith(f"{path}: ") and words in str(err.value) and "\n" not in str(err.value)


def test_malformed_yaml_gives_the_line(tmp_path):
    path = tmp_path / "doc.yaml"
    path.write_text("network: x\nlayers:\n  - {name: a, kind: conv, M: 4\n")
    with pytest.raises(StationaryError, match=r"line \d+, column \d+"):
        load_network(str(path))


def test_missing_file_and_unknown_name(tmp_path):
    with pytest.raises(StationaryError) as err:
        load_network(str(tmp_path / "nothere.yaml"))
    assert "nothere.yaml" in str(err.value) and "no such file" in str(err.value) and "resnet50" in str(err.value)
    with pytest.raises(StationaryError, match="cannot read"):
        load_network(str(tmp_path))      # a directory


def test_a_file_beats_a_zoo_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    dump_network_yaml(Network("mine", (conv("only", 4, 3, 8, 3),)), tmp_path / "vgg16")
    assert load_network("vgg16").name == "mine"


@pytest.mark.parametrize("batch", [0, -2, "4"])
def test_bad_batch(batch):
    with pytest.raises(StationaryError, match="batch"):
        load_network("alexnet", batch=batch)


def test_an_absurd_network_input_size_is_refused_with_the_limit(tmp_path):
    """Found by the fuzz harness: an input of 10^30 rows was accepted (a layer's own sizes were bounded, not the
    network's input)."""
    path = tmp_path / "big.yaml"
    path.write_text("network: t\ninput: [3, 1000000000000000000000000000000, 8]\n"
                    "layers:\n  - {name: c, kind: conv, M: 4, C: 3, H: 8, R: 3}\n")
    with pytest.raises(StationaryError, match="2,147,483,647"):
        load_network(str(path))
