"""The local search does not hinge on its seed: the issue #19 case (AlexNet CONV1 and CONV3, ``nnd-like``, batch 4,
energy, the search a user runs) came out 3.0 % and 4.7 % apart across seeds 0-4 before the diversity measures;
each seed must now land within 1 % of the best of the five. The spatial table and the diverse starts are checked
against arithmetic on the layer's shape."""
import numpy as np
import pytest

from stationary.arch import preset
from stationary.core import DIMS, Dim
from stationary.mapping.dataflows import Dataflow
from stationary.search import Objective
from stationary.search.diversity import diverse_starts, draw, spatial_table
from stationary.search.guarantee import search_contained
from stationary.search.refine import Space
from stationary.workload import conv, load_network


@pytest.mark.parametrize("name", ["CONV1", "CONV3"])
def test_seeds_0_to_4_agree_within_one_percent(name):
    layer = load_network("alexnet", 4)[name]
    arch = preset("nnd-like")
    energies = [search_contained(layer, arch, Dataflow.RS, Objective.ENERGY, seed=s).best.energy.total
                for s in range(5)]
    assert max(energies) <= min(energies) * 1.01, [e / layer.macs for e in energies]


def test_spatial_table_is_every_assignment_within_the_fanouts():
    layer = conv("c", 6, 4, 9, 3)            # M = 6, C = 4, E = F = 7, R = S = 3
    space = Space(layer, preset("eyeriss"), Dataflow.RS, Objective.ENERGY)
    table = spatial_table(space)
    assert (table.prod(axis=1) <= [14, 12]).all()
    r = DIMS.index(Dim.R)
    assert (table[:, r, :].prod(axis=1) == 3).all()      # R only on the array under RS: held there whole
    # brute force over the dims the RS rules allow on each axis: every divisor combination that fits
    allowed = [[k for k in space.allowed[j] if k in space.spatial] for j in range(len(DIMS))]
    expected = set()
    import itertools
    choices = []
    for j, d in enumerate(DIMS):
        size = layer.dims[d]
        opts = [tuple(1 for _ in space.spatial)]
        if size > 1 and allowed[j]:
            opts = []
            for combo in itertools.product(*[[a for a in range(1, size + 1) if size % a == 0] for _ in allowed[j]]):
                if size % int(np.prod(combo)) == 0:
                    t = [1] * len(space.spatial)
                    for k, a in zip(allowed[j], combo):
                        t[space.spatial.index(k)] = a
                    if all(k in space.spatial for k in space.allowed[j]) and int(np.prod(combo)) != size:
                        continue
                    opts.append(tuple(t))
        choices.append(opts)
    for pick in itertools.product(*choices):
        grid = np.array(pick)
        if (grid.prod(axis=0) <= [14, 12]).all():
            expected.add(grid.tobytes())
    assert {t.tobytes() for t in table} == expected


def test_draws_cover_each_dimension_exactly_and_starts_are_distinct_structures():
    layer = load_network("alexnet", 4)["CONV4"]
    space = Space(layer, preset("nnd-like"), Dataflow.RS, Objective.ENERGY)
    rows = draw(space, np.random.default_rng(0), 500)
    sizes = np.array([layer.dims[d] for d in DIMS])
    assert (rows.prod(axis=2) == sizes).all()
    for j in range(len(DIMS)):
        banned = [k for k in range(rows.shape[2]) if k not in space.allowed[j]]
        assert (rows[:, j, banned] == 1).all()
    orders = space.canonical(rows, np.tile(np.arange(8), (len(rows), space.depth, 1)))
    bypass = np.random.default_rng(1).integers(0, len(space.choices), len(rows))
    first, second = space.evaluate(rows, orders, bypass)
    starts = diverse_starts(space, rows, bypass, first, second, 8)
    keys = {(int(bypass[i]), (rows[i][:, space.spatial] > 1).tobytes()) for i in starts}
    assert len(keys) == len(starts) and np.isfinite(first[starts]).all()
    assert first[starts[0]] == first[np.isfinite(first)].min()
