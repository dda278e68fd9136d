"""The model zoo against published figures and against arithmetic on the networks' definitions.

Sources: the talk's table "Summary of Popular DNNs" (shared/seed, Sze/Emer Eyeriss tutorial), copied below;
AlexNet's per-layer shapes and MACs as Eyeriss uses them (Chen et al., ISCA 2016 / the talk's slide);
MobileNet-v1 1.0-224: 569M mult-adds, 4.2M parameters (Howard et al., 2017, Table 8).
"""
import math

import pytest
from hypothesis import given, settings, strategies as st

from stationary.core import StationaryError, prod
from stationary.workload import LayerKind, summarize, zoo
from stationary.workload.zoo import googlenet

# The talk's "Summary of Popular DNNs", verbatim (CONV depth for GoogLeNet and ResNet-50: see docs/workload.md).
TALK = {
    "alexnet": dict(conv_layers=5, conv_weights="2.3M", conv_macs="666M", fc_layers=3, fc_weights="58.6M",
                    fc_macs="58.6M", total_weights="61M", total_macs="724M"),
    "vgg16": dict(conv_weights="14.7M", conv_macs="15.3G", fc_layers=3, fc_weights="124M", fc_macs="124M",
                  total_weights="138M", total_macs="15.5G"),
    "googlenet": dict(conv_depth=21, conv_weights="6.0M", conv_macs="1.43G", fc_layers=1, fc_weights="1M",
                      fc_macs="1M", total_weights="7M", total_macs="1.43G"),
    "resnet50": dict(conv_depth=49, conv_weights="23.5M", conv_macs="3.86G", fc_layers=1, fc_weights="2M",
                     fc_macs="2M", total_weights="25.5M", total_macs="3.9G"),
}
TALK_SHAPES = {  # filter sizes, channels (min, max), filters (min, max), strides
    "alexnet": ((3, 5, 11), (3, 256), (96, 384), (1, 4)),
    "vgg16": ((3,), (3, 512), (64, 512), (1,)),
    "resnet50": ((1, 3, 7), (3, 2048), (64, 2048), (1, 2)),
}
SUFFIX = {"k": 1e3, "M": 1e6, "G": 1e9}


def rounds_to(value: int, printed: str) -> bool:
    """Whether ``value`` rounds to ``printed`` at the precision it is printed with ("2.3M": 2 digits)."""
    mantissa, scale = printed[:-1], SUFFIX[printed[-1]]
    digits = len(mantissa.replace(".", "").lstrip("0"))
    rounded = round(value / scale, digits - len(str(int(float(mantissa)))))
    return math.isclose(rounded, float(mantissa))


def test_rounds_to_follows_the_printed_precision():
    assert rounds_to(2_332_704, "2.3M") and rounds_to(2_332_704, "2.33M") and not rounds_to(2_332_704, "2.4M")
    assert rounds_to(5_966_272, "6.0M") and not rounds_to(5_866_272, "6.0M")
    assert rounds_to(1_024_000, "1M") and not rounds_to(1_600_000, "1M")


@pytest.mark.parametrize("name", sorted(TALK))
def test_the_talks_table(name):
    s = summarize(zoo.get(name)).as_dict()
    for key, printed in TALK[name].items():
        if isinstance(printed, int):
            assert s[key] == printed, key
        else:
            assert rounds_to(s[key], printed), (key, s[key], printed)


@pytest.mark.parametrize("name", sorted(TALK_SHAPES))
def test_the_talks_shape_rows(name):
    sizes, channels, filters, strides = TALK_SHAPES[name]
    s = summarize(zoo.get(name))
    assert s.filter_sizes == sizes and s.strides == strides
    assert (s.channels[0], s.channels[-1]) == channels and (s.filters[0], s.filters[-1]) == filters


ALEXNET = [  # name, M, C per group, G, E, MACs (published.yaml alexnet_layers)
    ("CONV1", 96, 3, 1, 55, 105_415_200), ("CONV2", 256, 48, 2, 27, 223_948_800),
    ("CONV3", 384, 256, 1, 13, 149_520_384), ("CONV4", 384, 192, 2, 13, 112_140_288),
    ("CONV5", 256, 192, 2, 13, 74_760_192),
]


def test_alexnet_as_eyeriss_uses_it():
    net = zoo.get("alexnet")
    assert net.input_shape == (3, 227, 227)
    for name, M, C, G, E, macs in ALEXNET:
        layer = net[name]
        assert (layer.M, layer.C, layer.G, layer.E, layer.F, layer.macs) == (M, C, G, E, E, macs)
    assert sum(l.macs for l in net.fc_layers) == 58_621_952
    assert [(l.M, l.C) for l in net.fc_layers] == [(4096, 9216), (4096, 4096), (1000, 4096)]
    ungrouped = zoo.get("alexnet-ungrouped")
    assert [l.C * l.G for l in ungrouped.conv_layers] == [3, 96, 256, 384, 384]
    assert all(l.G == 1 for l in ungrouped.layers)


def test_vgg16_from_its_configuration():
    cfg = [(64, 224)] * 2 + [(128, 112)] * 2 + [(256, 56)] * 3 + [(512, 28)] * 3 + [(512, 14)] * 3
    chans = [3] + [m for m, _ in cfg[:-1]]
    net = zoo.get("vgg16")
    assert sum(l.weights for l in net.conv_layers) == sum(m * c * 9 for (m, _), c in zip(cfg, chans))
    assert sum(l.macs for l in net.conv_layers) == sum(m * c * 9 * s * s for (m, s), c in zip(cfg, chans))


def test_resnet50_bottlenecks_and_projections():
    net = zoo.get("resnet50")
    weights = 3 * 64 * 49
    c = 64
    for width, out, blocks in ((64, 256, 3), (128, 512, 4), (256, 1024, 6), (512, 2048, 3)):
        for b in range(blocks):
            weights += c * width + width * width * 9 + width * out + (c * out if b == 0 else 0)
            c = out
    assert sum(l.weights for l in net.conv_layers) == weights
    projections = [l for l in net.layers if l.name.endswith("branch1")]
    assert [(p.name, p.U, p.E) for p in projections] == [
        ("res2a_branch1", 1, 56), ("res3a_branch1", 2, 28), ("res4a_branch1", 2, 14), ("res5a_branch1", 2, 7)]
    assert net.predecessors("res3b_branch2a") == ("res3a_branch2c", "res3a_branch1")
    assert net.predecessors("res3c_branch2a") == ("res3b_branch2c", "res3a_branch2c", "res3a_branch1")
    assert net.predecessors("fc1000") == ("res5c_branch2c", "res5b_branch2c", "res5a_branch2c", "res5a_branch1")
    assert (net["conv1"].E, net["res5c_branch2c"].E, net["fc1000"].C) == (112, 7, 2048)


def test_googlenet_inception_branches():
    net = zoo.get("googlenet")
    assert len(net.conv_layers) == 3 + 9 * 6
    for reader in ("1x1", "3x3_reduce", "5x5_reduce", "pool_proj"):
        assert net.predecessors(f"inception_4a/{reader}") == tuple(
            f"inception_3b/{b}" for b in ("1x1", "3x3", "5x5", "pool_proj"))
    assert net.predecessors("inception_3a/5x5") == ("inception_3a/5x5_reduce",)


def test_googlenet_map_sizes_paper_and_talk():
    # the same layers: MACs = sum over layers of weights x output pixels, at the paper's sizes or rounded down
    def macs(sizes):
        s1, s2, s3, s4, s5 = sizes
        total = 64 * 3 * 49 * s1 * s1 + (64 * 64 + 192 * 64 * 9) * s2 * s2
        ch = 192
        for name, n1, r3, n3, r5, n5, proj in googlenet.INCEPTIONS:
            s = {"3": s3, "4": s4, "5": s5}[name[0]]
            total += (ch * (n1 + r3 + r5 + proj) + r3 * n3 * 9 + r5 * n5 * 25) * s * s
            ch = n1 + n3 + n5 + proj
        return total
    paper = googlenet.build(paper_sizes=True)
    assert sum(l.macs for l in paper.conv_layers) == macs((112, 56, 28, 14, 7))
    assert sum(l.macs for l in zoo.get("googlenet").conv_layers) == macs((112, 55, 27, 13, 6))


def test_mobilenet_v1_against_the_paper():
    net = zoo.get("mobilenet-v1")
    assert round(net.macs / 1e6) == 569 and round(net.weights / 1e5) == 42
    assert sum(l.is_depthwise for l in net.layers) == 13 and net["conv_pw_13"].E == 7


def test_lenet5_the_standard_definition():
    net = zoo.get("lenet5")
    assert summarize(net).conv_weights == 6 * 1 * 25 + 16 * 6 * 25
    assert summarize(net).conv_macs == 6 * 25 * 28 * 28 + 16 * 6 * 25 * 10 * 10
    assert [(l.M, l.C) for l in net.fc_layers] == [(120, 400), (84, 120), (10, 84)]


@pytest.mark.parametrize("seq", [1, 64, 128, 512])
def test_bert_encoder_macs(seq):
    d, ff, heads = 768, 3072, 12
    net = zoo.get(f"bert-base-encoder:{seq}")
    assert net.macs == seq * (4 * d * d + 2 * d * ff) + 2 * seq * seq * d
    assert net["attn_scores"].G == heads and all(l.kind is LayerKind.MATMUL for l in net.layers)
    assert net.predecessors("attn_context") == ("attn_scores", "attn_v")


def test_bert_default_sequence_length_is_128():
    assert zoo.get("bert-base-encoder") == zoo.get("bert-base-encoder:128")


@pytest.mark.parametrize("bad", ["bert-base-encoder:0", "bert-base-encoder:x", "vgg16:3", "vgg17", ""])
def test_bad_names(bad):
    with pytest.raises(StationaryError) as err:
        zoo.get(bad)
    assert repr(bad) in str(err.value)
    if bad in ("vgg17", ""):
        assert all(n in str(err.value) for n in zoo.NAMES)


@pytest.mark.parametrize("batch", [0, -1, True, 1.5])
def test_bad_batch(batch):
    with pytest.raises(StationaryError, match="batch"):
        zoo.get("lenet5", batch=batch)


@pytest.mark.parametrize("name", zoo.NAMES)
def test_every_network_is_consistent(name):
    """Layer-to-layer shapes agree: a CONV layer's input channels are its inputs' filters, concatenated (a
    GoogLeNet module) or summed elementwise (a ResNet shortcut), and its input is no larger than theirs."""
    net = zoo.get(name)
    assert net.name.startswith(name) and net.input_shape is not None
    by_name = {l.name: l for l in net.layers}
    for layer in net.conv_layers:
        preds = [by_name[p] for p in net.predecessors(layer.name)]
        if not preds:
            assert (layer.C * layer.G, layer.H) == net.input_shape[:2]
            continue
        ms = [p.M for p in preds]
        assert layer.C * layer.G in {sum(ms)} | ({ms[0]} if len(set(ms)) == 1 else set()), layer.name
        assert all(layer.H <= p.E for p in preds), layer.name


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(zoo.NAMES), st.integers(1, 64))
def test_batch_scales_macs_not_weights(name, batch):
    one, many = zoo.get(name), zoo.get(name, batch=batch)
    assert many.macs == batch * one.macs and many.weights == one.weights
    assert all(l.macs == prod(l.dims.values()) for l in many.layers)
