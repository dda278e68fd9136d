"""The simulator runs mappings on real tensors: the output equals the reference convolution (bit for bit in 16-bit
fixed point, wide or truncating; to rounding in float), and zero inputs are counted as the definition says."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from stationary.core import Tensor
from stationary.mapping import kept
from stationary.sim import Precision, ZeroMode, reference_conv, simulate
from stationary.workload import conv
from strategies import any_cases

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def tensors(layer, seed, low=-(1 << 15), high=1 << 15):
    rng = np.random.default_rng(seed)
    w = rng.integers(low, high, (layer.M, layer.C, layer.R, layer.S))
    x = rng.integers(low, high, (layer.N, layer.G * layer.C, layer.H, layer.W))
    return w, x


@FAST
@given(any_cases(), st.integers(0, 2**32 - 1),
       st.sampled_from([Precision.fixed(), Precision.float64(), Precision.fixed(accumulator_bits=16, product_shift=8),
                        Precision.fixed(accumulator_bits=20, product_shift=15)]))
def test_output_equals_the_reference(case, seed, precision):
    layer, arch, mapping = case
    w, x = tensors(layer, seed)
    result = simulate(layer, arch, mapping, w, x, precision=precision)
    assert result.ok


def test_reference_matches_a_direct_loop_on_a_strided_dilated_grouped_layer():
    # a third, scalar definition of the convolution on one small layer (independent of both array versions)
    layer = conv("c", 4, 2, (7, 7), (2, 3), stride=2, pad=1, groups=2, dilation=2, batch=2)
    w, x = tensors(layer, 1, -50, 50)
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    out = np.zeros((layer.N, layer.M, layer.E, layer.F), dtype=np.int64)
    for n in range(layer.N):
        for m in range(layer.M):
            g = m // layer.M_per_group
            for e in range(layer.E):
                for f in range(layer.F):
                    out[n, m, e, f] = sum(int(w[m, c, r, s]) * int(xp[n, g * layer.C + c, 2 * e + 2 * r, 2 * f + 2 * s])
                                          for c in range(layer.C) for r in range(layer.R) for s in range(layer.S))
    assert np.array_equal(reference_conv(layer, w, x, Precision.fixed()), out)


def test_truncation_selects_sixteen_bits_of_each_product():
    layer = conv("one", 1, 1, 1, 1)
    w, x = np.array([[[[300]]]]), np.array([[[[-700]]]])   # product -210000
    # shift 4: -210000 / 16 = -13125 fits 16 bits; shift 2: -52500 does not and wraps to -52500 + 65536 = 13036
    assert reference_conv(layer, w, x, Precision.fixed(accumulator_bits=16, product_shift=4)).item() == -13125
    assert reference_conv(layer, w, x, Precision.fixed(accumulator_bits=16, product_shift=2)).item() == 13036
    # shift 5 rounds toward minus infinity (an arithmetic shift): -6562.5 -> -6563
    assert reference_conv(layer, w, x, Precision.fixed(accumulator_bits=16, product_shift=5)).item() == -6563


def test_fixed_point_rejects_operands_wider_than_sixteen_bits():
    layer = conv("one", 1, 1, 1, 1)
    with pytest.raises(Exception, match="16-bit"):
        reference_conv(layer, np.array([[[[1 << 15]]]]), np.ones((1, 1, 1, 1), dtype=int), Precision.fixed())


def zero_macs_by_definition(layer, x):
    """MACs that read a zero input: zeros inside the map, plus the padding (computed with all-ones weights)."""
    ones = np.ones((layer.M, layer.C, layer.R, layer.S))
    inside = reference_conv(layer, ones, (x == 0).astype(float), Precision.float64()).sum()
    not_padding = reference_conv(layer, ones, np.ones(x.shape), Precision.float64()).sum()
    return int(inside + layer.macs - not_padding)


@FAST
@given(any_cases(), st.integers(0, 2**32 - 1), st.sampled_from([ZeroMode.GATE, ZeroMode.SKIP]))
def test_zero_inputs_are_counted(case, seed, mode):
    layer, arch, mapping = case
    w, x = tensors(layer, seed, -2, 3)                      # about 1 in 5 inputs is zero
    result = simulate(layer, arch, mapping, w, x, zero=mode)
    z = result.zero
    assert z.macs == zero_macs_by_definition(layer, x)
    depth = len(arch.levels)
    w_keeper = max(i for i in range(depth) if Tensor.WEIGHT in kept(arch, mapping, i))
    assert z.weight_level == arch.levels[w_keeper].name
    assert 0 <= z.weight_reads <= result.counts.at(z.weight_level, Tensor.WEIGHT).reads
    assert z.weight_reads <= z.macs
    if mode is ZeroMode.GATE:       # gating still reads the input (to see that it is zero)
        assert z.input_reads == 0
    else:
        assert 0 <= z.input_reads <= min(z.macs, result.counts.at(z.input_level, Tensor.IFMAP).reads)


@FAST
@given(any_cases())
def test_all_zero_inputs_save_every_operand_read_at_the_macs(case):
    layer, arch, mapping = case
    w = np.ones((layer.M, layer.C, layer.R, layer.S))
    x = np.zeros((layer.N, layer.G * layer.C, layer.H, layer.W))
    z = simulate(layer, arch, mapping, w, x, zero=ZeroMode.SKIP).zero
    assert z.macs == layer.macs
    full = simulate(layer, arch, mapping).counts
    # the innermost keeper's reads all serve the MACs only when no level below keeps the tensor: always true here
    assert z.weight_reads == full.at(z.weight_level, Tensor.WEIGHT).reads
    assert z.input_reads == full.at(z.input_level, Tensor.IFMAP).reads
