"""The bulk evaluator on rows with remainders against the model: every count, the energy and the cycles, exactly.

Rows whose bounds multiply past their dimensions go through ``search.bulk_remainder`` (the remainder model's sums
grouped by geometry over the batch); the model (``stationary.model.evaluate`` on the fitted Mapping, itself held to
the simulator by tests/test_sim_counts.py) is the reference. Remainders land at every level, on temporal and
spatial slots; layers are strided, dilated, padded, grouped or FC (tests/strategies.py). ``STATIONARY_BULK_CASES``
sets the number of random batches of the main test (default 250; thousands for a long run).
"""
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stationary.arch import preset
from stationary.core import DIMS, Dim, StationaryError
from stationary.mapping import Dataflow
from stationary.search.bulk import evaluate_batch
from stationary.search.bulk_remainder import fit_rows
from stationary.search.space import slots
from stationary.search.tiling import dim_options, fits
from stationary.workload import load_network

from strategies import archs, layers
from test_search_bulk import assert_equal_to_model, candidates, mapping_of

CASES = int(os.environ.get("STATIONARY_BULK_CASES", "250"))


def fast(examples: int):
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def random_bypass(data, arch):
    return tuple(frozenset() if i == 0 else frozenset(t for t in level.keeps if data.draw(st.integers(0, 3)) == 0)
                 for i, level in enumerate(arch.levels))


def leaves_remainders(layer, rows) -> bool:
    sizes = np.array([layer.dims[d] for d in DIMS])
    return bool((fit_rows(rows, sizes).prod(axis=2) != sizes).any())


@fast(CASES)
@given(st.data())
def test_rows_with_remainders_at_every_level_equal_the_model(data):
    layer, arch = data.draw(layers(7)), data.draw(archs())
    rows, orders = data.draw(candidates(layer, arch, data.draw(st.integers(1, 5)), remainders=True))
    assume(leaves_remainders(layer, rows))
    assume(assert_equal_to_model(layer, arch, random_bypass(data, arch), rows, orders) > 0)


@fast(60)
@given(st.data())
def test_candidates_sharing_geometries_are_kept_apart(data):
    """One row under many loop orders, and variants with one factor moved: most per-dimension geometries are
    shared across the batch, the steps and their kinds are not."""
    layer, arch = data.draw(layers(6)), data.draw(archs())
    base, _ = data.draw(candidates(layer, arch, 1, remainders=True))
    assume(leaves_remainders(layer, base))
    count = data.draw(st.integers(2, 8))
    rows = np.repeat(base, count, axis=0)
    for j in range(1, count, 2):            # every other copy: one dimension's bound moved to another slot
        d = data.draw(st.integers(0, len(DIMS) - 1))
        k, k2 = (data.draw(st.integers(0, rows.shape[2] - 1)) for _ in range(2))
        if k != k2 and rows[j, d, k] > 1 and slots(arch)[k2].axis is None:
            rows[j, d, k2] *= rows[j, d, k]
            rows[j, d, k] = 1
    orders = np.array([[data.draw(st.permutations(range(len(DIMS)))) for _ in arch.levels] for _ in range(count)])
    assume(assert_equal_to_model(layer, arch, random_bypass(data, arch), rows, orders) > 0)


@fast(150)
@given(st.data())
def test_fit_rows_is_mapping_fitted(data):
    """The vectorized fit gives the bounds ``Mapping.fitted`` gives, slot by slot (loops of bound 1 included)."""
    layer, arch = data.draw(layers(9)), data.draw(archs())
    rows, orders = data.draw(candidates(layer, arch, 3, remainders=True))
    sizes = np.array([layer.dims[d] for d in DIMS])
    for d in np.flatnonzero(sizes == 1):    # a loop on a dimension of size 1 needs no iteration past the first
        rows[:, d, data.draw(st.integers(0, rows.shape[2] - 1))] *= data.draw(st.integers(1, 3))
    fitted = fit_rows(rows, sizes)
    sl = slots(arch)
    for j in range(len(rows)):
        mapping = mapping_of(rows[j], orders[j], arch, (frozenset(),) * len(arch.levels), layer.dims)
        want = np.ones_like(rows[j])
        for i, level in enumerate(mapping.levels):
            for loop in level.loops:
                k = next(k for k, s in enumerate(sl) if s.level == i and s.axis is loop.axis)
                want[DIMS.index(loop.dim), k] *= loop.bound
        assert (fitted[j] == want).all()
        assert {d: int(b) for d, b in zip(DIMS, fitted[j].prod(axis=1))} == mapping.bounds()


def test_bounds_short_of_a_dimension_are_refused_as_fitted_refuses_them():
    layer, arch = load_network("alexnet", 1)["CONV1"], preset("eyeriss")
    rows = np.ones((2, len(DIMS), len(slots(arch))), dtype=np.int64)
    for d in DIMS:
        rows[:, DIMS.index(d), 0] = layer.dims[d]
    rows[1, DIMS.index(Dim.E), 0] = 54              # 54 rows of E = 55
    orders = np.tile(np.arange(len(DIMS)), (2, len(arch.levels), 1))
    with pytest.raises(StationaryError, match="candidate 1: loop bounds multiply to 54, less than E = 55"):
        evaluate_batch(layer, arch, (frozenset(),) * len(arch.levels), rows, orders)


def test_alexnet_conv1_rows_from_the_enumeration_equal_the_model():
    """A real layer (11 x 11 filters at stride 4, E = 55): ceil-divided splits as the mapper enumerates them
    (``tiling.dim_options`` with remainders), combined at random, kept where they fit the eyeriss buffers."""
    layer, arch = load_network("alexnet", 1)["CONV1"], preset("eyeriss")
    bypass = (frozenset(),) * len(arch.levels)
    rng = np.random.default_rng(19)
    options = {d: dim_options(layer, arch, Dataflow.RS, bypass, d, remainders=True) for d in DIMS if layer.dims[d] > 1}
    rows = np.ones((40000, len(DIMS), len(slots(arch))), dtype=np.int64)
    for d, opts in options.items():
        rows[:, DIMS.index(d), :] = opts[rng.integers(0, len(opts), len(rows))]
    rows = rows[fits(rows, layer, arch, bypass)]
    rows = rows[[leaves_remainders(layer, r[None]) for r in rows]][:8]
    assert len(rows) == 8
    orders = rng.permuted(np.tile(np.arange(len(DIMS)), (len(rows), len(arch.levels), 1)), axis=2)
    assert assert_equal_to_model(layer, arch, bypass, rows, orders) == len(rows)
