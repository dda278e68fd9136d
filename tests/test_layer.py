"""Layer shape arithmetic and validation. Figures: AlexNet shapes from the Eyeriss talk / ISCA 2016."""
import pytest

from stationary.core import StationaryError
from stationary.workload import Layer, LayerKind, conv, depthwise, fc, matmul

# (name, M, C, H incl. padding, R, U, groups) -> E and MACs from the talk's slide / published.yaml
ALEXNET = [
    ("CONV1", 96, 3, 227, 11, 4, 1, 55, 105_415_200),
    ("CONV2", 256, 48, 31, 5, 1, 2, 27, 223_948_800),
    ("CONV3", 384, 256, 15, 3, 1, 1, 13, 149_520_384),
    ("CONV4", 384, 192, 15, 3, 1, 2, 13, 112_140_288),
    ("CONV5", 256, 192, 15, 3, 1, 2, 13, 74_760_192),
]


@pytest.mark.parametrize("name,M,C,H,R,U,G,E,macs", ALEXNET)
def test_alexnet_shapes_and_macs(name, M, C, H, R, U, G, E, macs):
    layer = Layer(name, LayerKind.CONV, M=M, C=C, H=H, W=H, R=R, S=R, U=U, G=G)
    assert (layer.E, layer.F) == (E, E)
    assert layer.macs == macs


def test_weights_follow_the_talk():
    # the talk's slide: layer 1 34k params, layer 2 307k, layer 3 885k
    assert conv("c1", 96, 3, 227, 11, stride=4).weights == 34_848
    assert conv("c2", 256, 48, 27, 5, pad=2, groups=2).weights == 307_200
    assert conv("c3", 384, 256, 13, 3, pad=1).weights == 884_736


def test_depthwise_and_matmul():
    dw = depthwise("dw", 32, 112, 3, pad=1)
    assert dw.macs == 32 * 112 * 112 * 9 and dw.weights == 32 * 9 and dw.is_depthwise
    mm = matmul("proj", tokens=128, d_in=768, d_out=768)
    assert mm.macs == 128 * 768 * 768 and mm.weights == 768 * 768
    assert fc("fc", 10, 84, batch=4).macs == 4 * 10 * 84


@pytest.mark.parametrize("field,value", [("M", 0), ("C", -1), ("H", 0), ("U", 0), ("R", -3), ("N", 0)])
def test_non_positive_sizes_name_the_field(field, value):
    kwargs = dict(M=8, C=3, H=8, W=8, R=3, S=3)
    kwargs[field] = value
    with pytest.raises(StationaryError) as info:
        Layer("bad", LayerKind.CONV, **kwargs)
    assert f"'{field}' = {value}" in str(info.value) and "layer bad" in str(info.value)


def test_non_integer_output_is_an_error():
    with pytest.raises(StationaryError, match="non-integer output"):
        conv("odd", 8, 3, 8, 3, stride=2)          # (8 - 3) / 2 is not an integer
    assert conv("odd", 8, 3, 8, 3, stride=2, floor=True).E == 3


def test_groups_must_divide_filters():
    with pytest.raises(StationaryError, match="'M' = 10"):
        conv("g", 10, 4, 8, 3, groups=3)


def test_filter_larger_than_input():
    with pytest.raises(StationaryError, match="does not fit"):
        conv("big", 8, 3, 4, 5)
