"""The local-search pass: legal, deterministic, never worse than where it starts."""
from stationary.arch import preset
from stationary.mapping import check
from stationary.mapping.dataflows import Dataflow
from stationary.mapping.yaml_io import load_mapping_yaml
from stationary.search import Objective
from stationary.search.refine import climb
from stationary.workload import conv

ARCH = preset("eyeriss")
LAYER = conv("c", 8, 4, 8, 3, batch=2)


def test_climbing_never_ends_worse_than_its_seed():
    seed = load_mapping_yaml("levels: {DRAM: {temporal: N2 M8 C4 E6 F6}, RF: {temporal: R3 S3}}", ARCH, LAYER)
    results = climb(LAYER, ARCH, None, Objective.ENERGY, seeds=(seed,), restarts=0, budget=300)
    from stationary.model import evaluate
    assert results[0].energy.total <= evaluate(LAYER, ARCH, seed).energy.total


def test_results_are_legal_sorted_and_deterministic():
    a = climb(LAYER, ARCH, Dataflow.RS, Objective.DELAY_ENERGY, restarts=30, budget=300)
    b = climb(LAYER, ARCH, Dataflow.RS, Objective.DELAY_ENERGY, restarts=30, budget=300)
    assert [r.mapping for r in a[:5]] == [r.mapping for r in b[:5]]
    keys = [(r.latency.cycles, r.energy.total) for r in a]
    assert keys == sorted(keys)
    for r in a[:5]:
        check(LAYER, ARCH, r.mapping)
