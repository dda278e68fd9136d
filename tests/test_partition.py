"""Layers split over an array of engines: the split tiles the layer, the copies match a brute-force count, the
partitioned counts are the parts' (counted by the simulator) plus the copies, and one node is the single engine."""
import dataclasses
import itertools

import pytest

from stationary import api
from stationary.arch.designs import design
from stationary.core import StationaryError, Tensor
from stationary.model.energy import NODES
from stationary.partition import Split, candidate_splits, evaluate_network, remote_words, split_layer
from stationary.search import Objective, search
from stationary.mapping.dataflows import Dataflow
from stationary.sim.counting import count_accesses
from stationary.workload import Network, conv, fc
from stationary.workload.layer import LayerKind


def _home(layer, producer, held, n, c, h):
    """The producer node that wrote input element (n, c, h), straight from the placement rule (one element)."""
    mp, ep = producer.M, producer.E
    if layer.kind is LayerKind.CONV:
        m, e = c * mp // (layer.C * layer.G), h * ep // layer.H
    else:
        block = layer.C // mp
        m, e = c // block, (c % block) * ep // block
    owners = [p.node for p in held if p.batch[0] <= n < p.batch[1] and p.channels[0] <= m < p.channels[1]
              and p.rows[0] <= e < p.rows[1]]
    assert len(owners) == 1
    return owners[0]


def _brute_remote(layer, split, producer, producer_split):
    """Enumerate every stored input element each node's part reads (from its outputs and the filter) and count
    those another node holds."""
    held = split_layer(producer, producer_split)
    top = max(layer.pad_h, 0) // 2
    out = []
    for part in split_layer(layer, split):
        g0, g1 = part.in_channels[0] // layer.C, -(-part.in_channels[1] // layer.C)
        channels = range(g0 * layer.C, g1 * layer.C)
        if layer.kind is LayerKind.CONV:
            rows = {e * layer.U + r * layer.dilation - top for e in range(*part.rows) for r in range(layer.R)}
            rows = [h for h in rows if 0 <= h < layer.H]
            cols = layer.W
        else:
            rows, cols = [0], 1
        remote = sum(cols for n in range(*part.batch) for c in channels for h in rows
                     if _home(layer, producer, held, n, c, h) != part.node)
        out.append(remote)
    return tuple(out)


CASES = [  # (producer, layer, producer split, layer split)
    (conv("a", 8, 4, 10, 3, batch=2), conv("b", 8, 8, 8, 3, batch=2), "M2", "M2"),
    (conv("a", 8, 4, 10, 3, batch=2), conv("b", 8, 8, 8, 3, batch=2), "E2", "E2"),
    (conv("a", 8, 4, 10, 3, batch=2), conv("b", 8, 8, 8, 3, batch=2), "M2", "E2"),
    (conv("a", 8, 4, 10, 3, batch=2), conv("b", 6, 8, 8, 3, pad=1, batch=2), "N2xM2", "M2xE2"),
    (conv("a", 8, 4, 10, 3, batch=2), conv("b", 6, 8, 8, 3, pad=1, batch=2), "E4", "N2xE2"),
    (conv("a", 8, 2, 17, 3), conv("b", 4, 8, 7, 3, stride=2, pad=1), "E2", "E2"),   # a pooled/resized input
    (conv("a", 8, 4, 10, 3), conv("g", 8, 4, 8, 3, groups=2), "M2", "M2"),          # groups split
    (conv("a", 8, 4, 10, 3), conv("g", 8, 4, 8, 3, groups=2), "E4", "M4"),          # filters split in each group
    (conv("a", 4, 3, 5, 3), fc("f", 6, 4 * 3 * 3), "E3", "M3"),                      # FC reads flattened outputs
    (conv("a", 4, 3, 5, 3), fc("f", 6, 4 * 3 * 3), "M2", "M2"),
    (fc("f", 6, 12, batch=3), fc("g", 5, 6, batch=3), "N3", "M3"),
]


@pytest.mark.parametrize("producer, layer, ps, s", CASES)
def test_copied_words_equal_a_brute_force_count(producer, layer, ps, s):
    split, producer_split = Split.parse(s), Split.parse(ps)
    assert remote_words(layer, split, producer, producer_split) == _brute_remote(layer, split, producer,
                                                                                 producer_split)


@pytest.mark.parametrize("layer, s", [(conv("c", 6, 4, 9, 3, batch=3, pad=1), "N3xM2"),
                                      (conv("c", 6, 4, 9, 3, batch=3, pad=1), "M3xE3"),
                                      (conv("c", 10, 2, 13, 5, stride=2), "M4xE2"), (fc("f", 7, 5, batch=2), "N2xM3")])
def test_the_parts_tile_the_layer_each_output_once(layer, s):
    parts = split_layer(layer, Split.parse(s))
    outputs = [(n, m, e) for p in parts for n in range(*p.batch) for m in range(*p.channels) for e in range(*p.rows)]
    assert len(outputs) == len(set(outputs)) == layer.N * layer.M * layer.E
    assert sum(p.layer.macs for p in parts) == layer.macs
    assert all(p.layer.E == p.rows[1] - p.rows[0] and p.layer.M == p.channels[1] - p.channels[0] for p in parts)


def test_a_split_that_does_not_cover_the_layer_is_an_error():
    with pytest.raises(StationaryError, match="does not cover the layer: M = 4 cannot go to 8 nodes"):
        split_layer(conv("c", 4, 2, 6, 3), Split.parse("M8"))
    with pytest.raises(StationaryError, match="field 'split' = 'M4xZ2'"):
        Split.parse("M4xZ2")
    with pytest.raises(StationaryError, match="only a convolution's output rows"):
        split_layer(fc("f", 8, 8), Split.parse("E2"))


def _solver(arch):
    def solve_all(layers):
        return [search(l, arch, Dataflow.RS, objective=Objective.DELAY_ENERGY).best for l in layers]
    return solve_all


NET = Network("pair", (conv("A", 8, 3, 10, 3, batch=2), conv("B", 8, 8, 8, 3, batch=2)))


def test_one_node_is_the_single_engine_evaluation_exactly():
    arch = design("eyeriss-hmc")
    split = evaluate_network(NET, arch, _solver(arch))
    single = api.evaluate(NET, arch, dataflow="rs", objective="delay,energy")
    for mine, theirs in zip(split.layers, single.layers):
        assert str(mine.split) == "none" and mine.copied_words == 0
        assert mine.energy.total == theirs.energy.total and mine.cycles == theirs.latency.cycles
        assert mine.counts.levels == theirs.counts.levels


def test_partitioned_counts_are_the_parts_counted_by_the_simulator_plus_the_copies():
    arch = dataclasses.replace(design("tetris"), nodes=4)
    result = evaluate_network(NET, arch, _solver(arch), splits={"A": Split.parse("M2xE2"), "B": Split.parse("N2xE2")})
    b = result.layers[1]
    assert b.copied_words == sum(_brute_remote(NET.layers[1], b.split, NET.layers[0], result.layers[0].split)) > 0
    for r in result.layers:
        expected = {}
        for part in r.parts:   # the simulator counts each part from its mapping, independently of the model
            for c in count_accesses(part.layer, arch, part.mapping).levels:
                got = expected.setdefault((c.level, c.tensor), [0, 0, 0, 0])
                for k, v in enumerate((c.reads, c.fills, c.updates, c.drains)):
                    got[k] += v
        dram = expected.setdefault(("DRAM", Tensor.IFMAP), [0, 0, 0, 0])
        dram[0] += r.copied_words
        dram[1] += r.copied_words
        assert {(c.level, c.tensor): [c.reads, c.fills, c.updates, c.drains] for c in r.counts.levels} == expected
        copies = r.copied_words * (arch.levels[0].read_cost(Tensor.IFMAP) + arch.levels[0].write_cost(Tensor.IFMAP)
                                   + arch.node_network_energy)
        assert r.energy.total == pytest.approx(sum(p.energy.total for p in r.parts) + copies, rel=1e-12)
        assert r.energy.at(f"{NODES} network", Tensor.IFMAP) == pytest.approx(r.copied_words * arch.node_network_energy)
        assert r.cycles == r.copy_cycles + max(p.latency.cycles for p in r.parts)


def test_resident_weights_leave_the_per_inference_counts_once_loaded():
    arch = dataclasses.replace(design("dadiannao-edram"), nodes=2)
    result = evaluate_network(NET, arch, _solver(arch), splits={"A": Split.parse("M2"), "B": Split.parse("M2")})
    assert result.resident and result.resident_words == sum(l.weights for l in NET.layers) // 2
    assert result.load.at("DRAM", Tensor.WEIGHT) == pytest.approx(sum(l.weights for l in NET.layers) * 304.0)
    for r in result.layers:
        assert r.counts.at("DRAM", Tensor.WEIGHT).reads == 0   # every weight was read once, at load time
    small = dataclasses.replace(arch, levels=(arch.levels[0], dataclasses.replace(arch.levels[1], size_words=100),
                                              *arch.levels[2:]))
    assert not evaluate_network(NET, small, _solver(small), splits={"A": Split.parse("M2"),
                                                                    "B": Split.parse("M2")}).resident


def test_candidate_splits_use_every_node_and_fit_the_extents():
    layer = conv("c", 8, 4, 10, 3, batch=2)
    for split in candidate_splits(layer, 4):
        assert split.nodes == 4 and split.n <= 2 and split.m <= 8 and split.e <= 8
    assert [str(s) for s in candidate_splits(fc("f", 3, 8), 4)] == []
    assert set(itertools.chain.from_iterable(s.factors for s in candidate_splits(layer, 4))) <= {1, 2, 4}
