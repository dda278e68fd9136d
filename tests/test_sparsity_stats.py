"""Sparsity statistics and entropy limits, against entropies computed by hand."""
import math

import numpy as np
import pytest

from stationary.sparsity.rlc import coded_bits
from stationary.sparsity.stats import entropy_bits, histogram, sparsity_stats


def h2(p: float) -> float:
    return -p * math.log2(p) - (1 - p) * math.log2(1 - p)


@pytest.mark.parametrize("symbols, bits", [
    ([7, 7, 7, 7], 0.0),                          # one symbol: nothing to tell
    ([1, 2, 1, 2], 4.0),                          # two equally likely: 1 bit each
    ([1, 2, 3, 4] * 2, 16.0),                     # four equally likely: 2 bits each
    ([1, 1, 1, 1, 2, 2, 3, 3], 12.0),             # 1/2, 1/4, 1/4: 1.5 bits each
    ([0] * 6 + [1] * 2, 8 * h2(0.25)),            # 3/4, 1/4
])
def test_entropy_by_hand(symbols, bits):
    assert entropy_bits(np.array(symbols)) == pytest.approx(bits)


def test_counts_density_histogram():
    s = sparsity_stats(np.array([[0, 3, 0], [0, -2, 3]], np.int16))
    assert (s.count, s.nonzeros, s.density, s.zero_fraction, s.raw_bits) == (6, 3, 0.5, 0.5, 96)
    assert histogram(np.array([[0, 3, 0], [0, -2, 3]])) == ((-2, 0, 3), (1, 3, 2))
    empty = sparsity_stats(np.zeros(0, np.int16))
    assert (empty.count, empty.density, empty.entropy_limit_bits, empty.overhead(0)) == (0, 1.0, 0.0, None)


def test_constant_runs_cost_nothing_beyond_levels():
    s = sparsity_stats(np.array([0, 5] * 10, np.int16))            # runs all 1, levels all 5
    assert (s.run_entropy_bits, s.level_entropy_bits, s.pair_entropy_bits) == (0.0, 0.0, 0.0)
    assert s.entropy_limit_bits == 16 * 10


def test_joint_pairs_by_hand():
    # groups (0,1) (0,2) (1,1) (1,2): runs 0,0,1,1 -> 4 bits; levels 1,2,1,2 -> 4 bits; 4 distinct pairs -> 8 bits
    s = sparsity_stats(np.array([1, 2, 0, 1, 0, 2], np.int16))
    assert (s.run_entropy_bits, s.level_entropy_bits, s.pair_entropy_bits) == pytest.approx((4.0, 4.0, 8.0))


def test_trailing_zeros_are_one_more_run():
    s = sparsity_stats(np.array([5, 0, 0], np.int16))              # runs 0 (before 5) and 1 (trailing)
    assert (s.group_count, s.nonzeros) == (2, 1)
    assert s.run_entropy_bits == pytest.approx(2.0)
    assert s.entropy_limit_bits == pytest.approx(18.0)
    assert s.pair_entropy_bits == pytest.approx(2.0)


def test_overhead_against_the_limit():
    values = np.array([1, 2, 3], np.int16)                          # no zeros: limit = 48 raw bits, coded 64
    assert sparsity_stats(values).overhead(coded_bits(values)) == pytest.approx(64 / 48 - 1)
    assert sparsity_stats(values).excess_of_raw(coded_bits(values)) == pytest.approx((64 - 48) / 48)
    assert sparsity_stats(np.zeros(0, np.int16)).excess_of_raw(0) is None


def test_iid_zeros_approach_binary_entropy():
    # zeros placed independently at density d: the run stream carries n * H2(d) bits (the entropy of the zero map)
    rng = np.random.default_rng(1)
    n, d = 200_000, 0.3
    values = np.where(rng.random(n) < d, 9, 0).astype(np.int16)
    s = sparsity_stats(values)
    assert s.run_entropy_bits / n == pytest.approx(h2(d), rel=0.01)
    assert s.entropy_limit_bits / n == pytest.approx(h2(d) + 16 * s.density, rel=0.01)
