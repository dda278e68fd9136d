"""The mapper: optimal against brute force on small spaces, legal on AlexNet under every dataflow, deterministic,
clear errors."""
import itertools

import pytest

from stationary.arch import preset
from stationary.arch.spec import Arch, ComputeUnit, MemoryLevel, StorageKind
from stationary.core import DIMS, StationaryError, TENSORS
from stationary.mapping import Dataflow, LevelMapping, Loop, Mapping, check
from stationary.model import evaluate
from stationary.search import Objective, search
from stationary.search.space import factorizations, slots
from stationary.workload import load_network
from stationary.workload.layer import Layer, LayerKind

ALL = frozenset(TENSORS)


def _small_arch(rf_words=6, fanout=2) -> Arch:
    return Arch("small", (
        MemoryLevel("DRAM", StorageKind.DRAM, ALL, read_energy=200, write_energy=200),
        MemoryLevel("RF", StorageKind.RF, ALL, size_words=rf_words, fanout_x=fanout, read_energy=1,
                    write_energy=1, network_energy=2),
    ))


def _brute_force(layer, arch, objective, remainders=False):
    """Every mapping of the space by hand: each dim's factors over every slot, every bypass, every loop order.
    With ``remainders``, each dim's ceil-divided splits too (``tiling.ceil_splits``, fitted to the layer)."""
    from stationary.search.space import fanout
    from stationary.search.tiling import ceil_splits
    sl = slots(arch)
    dims = [d for d in DIMS if layer.dims[d] > 1]
    caps = tuple(fanout(arch, s) if s.axis is not None else 8 for s in sl)
    splits = [list(factorizations(layer.dims[d], len(sl))) + (ceil_splits(layer.dims[d], caps)
                                                              if remainders and layer.dims[d] > 2 else [])
              for d in dims]
    bypasses = [frozenset(c) for r in range(4) for c in itertools.combinations(TENSORS, r)]
    best = None
    for split in itertools.product(*splits):
        for inner_bypass in itertools.product(bypasses, repeat=len(arch.levels) - 1):
            bypass = (frozenset(),) + inner_bypass
            per_level = []
            for i in range(len(arch.levels)):
                t = next(k for k, s in enumerate(sl) if s.level == i and s.axis is None)
                temporal = [Loop(d, f[t]) for d, f in zip(dims, split) if f[t] > 1]
                spatial = tuple(Loop(d, f[k], s.axis) for k, s in enumerate(sl) if s.level == i and s.axis
                                for d, f in zip(dims, split) if f[k] > 1)
                per_level.append([LevelMapping(p, spatial, bypass[i] & arch.levels[i].keeps)
                                  for p in itertools.permutations(temporal)])
            for levels in itertools.product(*per_level):
                mapping = Mapping(levels).fitted(layer.dims)
                try:
                    check(layer, arch, mapping)
                except StationaryError:
                    continue
                r = evaluate(layer, arch, mapping, validate=False)
                key = objective.key(r.energy.total, r.latency.cycles)
                best = key if best is None or key < best else best
    return best


SMALL = [
    # E = 2 with R = 2 (a sliding window, halo), M = 2
    (Layer("halo", LayerKind.CONV, M=2, C=1, H=3, W=1, R=2, S=1), _small_arch()),
    # strided, holes between windows: U = 3 > R
    (Layer("strided", LayerKind.CONV, M=1, C=2, H=5, W=1, R=2, S=1, U=3), _small_arch(rf_words=4)),
    (Layer("fc", LayerKind.FC, M=4, C=2, N=2), _small_arch(rf_words=5)),
]


@pytest.mark.parametrize("objective", [Objective.ENERGY, Objective.DELAY_ENERGY, Objective.EDP])
@pytest.mark.parametrize("layer,arch", SMALL, ids=[l.name for l, _ in SMALL])
def test_optimal_against_brute_force(layer, arch, objective):
    r = search(layer, arch, None, objective=objective, budget=10**6)
    assert r.optimal
    check(layer, arch, r.best.mapping)
    assert objective.key(r.best.energy.total, r.best.latency.cycles) == _brute_force(layer, arch, objective)


def test_top_k_sorted_and_distinct():
    layer, arch = SMALL[0]
    r = search(layer, arch, None, top_k=5, budget=10**6)
    keys = [(x.energy.total, x.latency.cycles) for x in r.top]
    assert len(r.top) == 5 and keys == sorted(keys)
    assert len({x.mapping for x in r.top}) == 5


NET = load_network("alexnet", 1)


@pytest.mark.parametrize("flow", list(Dataflow), ids=[f.value for f in Dataflow])
@pytest.mark.parametrize("name,batch", [("CONV1", 1), ("CONV2", 16), ("FC8", 4)])
def test_alexnet_layers_legal_under_every_dataflow(flow, name, batch):
    layer = NET[name].with_batch(batch)
    arch = preset("eyeriss")
    r = search(layer, arch, flow, budget=3000)
    check(layer, arch, r.best.mapping)
    rules = flow.constraints
    for i, (level, lm) in enumerate(zip(arch.levels, r.best.mapping.levels)):
        for loop in lm.spatial:
            assert loop.dim in (rules.spatial_x if loop.axis.value == "X" else rules.spatial_y)
        if level.kind is StorageKind.RF:
            assert all(loop.dim in rules.rf_temporal for loop in lm.temporal)
            assert lm.bypass == rules.rf_bypass & level.keeps
    assert r.best.energy.total >= r.lower_bound


def test_deterministic():
    layer = NET["CONV1"]
    a = search(layer, preset("eyeriss"), Dataflow.RS, budget=3000)
    b = search(layer, preset("eyeriss"), Dataflow.RS, budget=3000)
    assert a.best.mapping == b.best.mapping and a.candidates == b.candidates


def test_no_legal_mapping_says_why():
    # a 2-word RF under RS must hold a whole filter row of S = 5 weights: impossible
    arch = Arch("tiny", (MemoryLevel("DRAM", StorageKind.DRAM, ALL),
                         MemoryLevel("RF", StorageKind.RF, ALL, size_words=2, fanout_x=4, fanout_y=4)),
                mac=ComputeUnit())
    layer = Layer("wide", LayerKind.CONV, M=1, C=1, H=5, W=5, R=5, S=5)
    with pytest.raises(StationaryError, match="S"):
        search(layer, arch, Dataflow.RS)


def test_objective_parse():
    assert Objective.parse("delay,energy") is Objective.DELAY_ENERGY
    assert Objective.parse("EDP") is Objective.EDP
    with pytest.raises(StationaryError, match="objective"):
        Objective.parse("speed")


REMAINDER_CASES = [
    # E = 5 under a 2-row filter on a 2-wide array: 2 + 2 + 1 rows, or 3 passes of 2 with the last running 1
    (Layer("halo5", LayerKind.CONV, M=1, C=1, H=6, W=1, R=2, S=1), _small_arch(rf_words=4)),
    (Layer("fc3", LayerKind.FC, M=3, C=3), _small_arch(rf_words=4)),
]


@pytest.mark.parametrize("objective", [Objective.ENERGY, Objective.DELAY_ENERGY])
@pytest.mark.parametrize("layer,arch", REMAINDER_CASES, ids=[l.name for l, _ in REMAINDER_CASES])
def test_optimal_against_brute_force_with_remainders(layer, arch, objective):
    """Exact over exact factors and ceil-divided splits together; the polish may only improve on that."""
    r = search(layer, arch, None, objective=objective, budget=10**6, remainders=True)
    check(layer, arch, r.best.mapping)
    found = objective.key(r.best.energy.total, r.best.latency.cycles)
    brute = _brute_force(layer, arch, objective, remainders=True)
    assert found <= brute
    if r.optimal:                   # proven over the space: the brute force agrees
        assert found == brute
    perfect = search(layer, arch, None, objective=objective, budget=10**6)
    assert found <= objective.key(perfect.best.energy.total, perfect.best.latency.cycles)
