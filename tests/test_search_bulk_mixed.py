"""One bulk call for rows of several bypass choices (``evaluate_batch(..., which=)``, what the local search uses)
gives every count, transfer, energy and cycle count bit for bit as the call per choice does (which
tests/test_search_bulk*.py hold equal to the model), remainder rows included."""
import numpy as np
import pytest

from stationary.arch import preset
from stationary.core import DIMS, Dim
from stationary.mapping.dataflows import Dataflow
from stationary.search import Objective
from stationary.search.bulk import evaluate_batch
from stationary.search.refine import Space
from stationary.search.tiling import fits
from stationary.workload import load_network


@pytest.mark.parametrize("arch_name,layer_name,flow", [("nnd-like", "CONV1", None), ("eyeriss", "CONV3", Dataflow.RS),
                                                      ("timeloop-eyeriss-like", "FC6", None)])
def test_mixed_choices_equal_the_call_per_choice(arch_name, layer_name, flow):
    layer, arch = load_network("alexnet", 4)[layer_name], preset(arch_name)
    space = Space(layer, arch, flow, Objective.ENERGY)
    rows, orders, which = space.random(np.random.default_rng(7), 1500)
    m = DIMS.index(Dim.M)
    rows[::5, m, 0] += 1      # every fifth row: M's outermost loop one longer, so the last pass runs a remainder
    legal = np.array([fits(rows[i:i + 1], layer, arch, space.choices[which[i]])[0] for i in range(len(rows))])
    rows, orders, which = rows[legal][:400], orders[legal][:400], which[legal][:400]
    assert len(np.unique(which)) > 1
    assert (rows[:, m, :].prod(axis=1) != layer.dims[Dim.M]).any()
    mixed = evaluate_batch(layer, arch, space.choices, rows, orders, which)
    for b in np.unique(which):
        idx = np.flatnonzero(which == b)
        alone = evaluate_batch(layer, arch, space.choices[b], rows[idx], orders[idx])
        assert (alone.energy == mixed.energy[idx]).all() and (alone.cycles == mixed.cycles[idx]).all()
        for key, value in alone.counts.items():
            assert (value == mixed.counts[key][idx]).all(), key
        for key, value in alone.network.items():
            assert (value == mixed.network[key][idx]).all(), key
