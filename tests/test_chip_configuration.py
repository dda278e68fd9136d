"""The chip's RS configuration against the published AlexNet set shapes.

Published (Chen et al., JSSC 2017, Sec. V / Fig. on AlexNet mapping; also the talk): CONV1's 11 x 55 set is
strip-mined to 11 x 7; CONV2's 5 x 27 is split into 5 x 14 + 5 x 13; CONV3-5 run as 3 x 13 sets. Active PEs
per layer as the paper's Table (recalled): CONV1 154, CONV3-5 156, CONV2 135 on average (140 and 130).
"""
import pytest

from stationary.chip.configuration import configure, native_issues, EYERISS
from stationary.core import StationaryError
from stationary.workload import conv, load_network

ALEXNET = {l.name: l for l in load_network("alexnet", 4).layers}


@pytest.mark.parametrize("name, shape, strips", [
    ("CONV1", (11, 7), (7,) * 7 + (6,)),
    ("CONV2", (5, 14), (14, 13)),
    ("CONV3", (3, 13), (13,)),
    ("CONV4", (3, 13), (13,)),
    ("CONV5", (3, 13), (13,)),
])
def test_published_set_shapes(name, shape, strips):
    c = configure(ALEXNET[name])
    assert c.set_shape == shape and c.strips == strips and c.native


def test_active_pes_published():
    got = {n: configure(ALEXNET[n]).peak_active_pes for n in ("CONV1", "CONV3", "CONV4", "CONV5")}
    assert got == {"CONV1": 154, "CONV3": 156, "CONV4": 156, "CONV5": 156}
    c2 = configure(ALEXNET["CONV2"])
    assert [c2.active_pes_of(w) for w in c2.strips] == [140, 130] and c2.active_pes == 135


def test_scratchpads_and_buffer_respected():
    for layer in ALEXNET.values():
        if layer.kind.value != "conv":
            continue
        c = configure(layer)
        assert c.q * layer.S <= 12 and c.p <= 24 and c.p * c.q * layer.S <= 224
        assert layer.R * c.r <= 12 * c.sets_vertical and c.glb_filter_words <= 4096 and c.glb_fmap_words <= 51200
        assert c.sets <= c.sets_vertical * c.sets_horizontal


def test_passes_by_arithmetic():
    c = configure(ALEXNET["CONV3"])        # 1 strip x 384/16 filter groups x 256/16 channel groups x 4/4 images
    assert c.passes == 1 * 24 * 16 * 1


def test_not_native_is_said():
    layer = conv("big", 2048, 3, 33, 3, stride=3)
    issues = native_issues(layer)
    assert any("2048 filters" in s for s in issues) and any("vertical stride 3" in s for s in issues)
    assert not configure(layer).native
    with pytest.raises(StationaryError):
        configure(conv("tall", 8, 3, 40, 13))
    assert EYERISS.pes == 168
