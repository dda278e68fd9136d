"""The layer-wide lower bound (search.layerbound) never exceeds the model on random layers, archs and mappings,
and the mapper reports it beside its answer as a gap that is never negative."""
from hypothesis import HealthCheck, given, settings

from stationary.arch import preset
from stationary.mapping.dataflows import Dataflow
from stationary.model import evaluate
from stationary.search import Objective, search
from stationary.search.bound import compulsory_energy
from stationary.search.layerbound import first_term, gap_by_tensor, layer_cycles_bound, layer_energy_bound
from stationary.workload import conv
from strategies import cases


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(cases(remainders=True))
def test_layer_bound_is_below_the_model_on_random_mappings(case):
    layer, arch, mapping = case
    r = evaluate(layer, arch, mapping)
    energy = layer_energy_bound(layer, arch, None)
    assert energy <= r.energy.total * (1 + 1e-9) + 1e-9
    assert layer_cycles_bound(layer, arch) <= r.latency.cycles
    assert energy >= compulsory_energy(layer, arch) * (1 - 1e-12)
    edp = first_term(Objective.EDP, layer, arch, None)
    assert edp <= r.energy.total * r.latency.cycles * (1 + 1e-9) + 1e-9


def test_the_bound_is_tighter_than_the_energy_floor_and_the_mapper_reports_its_gap():
    layer = conv("c", 16, 8, 13, 3)       # 16 filters, 8 channels, 13 x 13 outputs, 3 x 3 kernel
    arch = preset("eyeriss")
    r = search(layer, arch, Dataflow.RS, objective=Objective.ENERGY)
    # row stationary keeps every operand in the RF, read once per MAC: above each word once at DRAM
    assert r.bound > 1.3 * compulsory_energy(layer, arch)
    assert r.bound <= r.best.energy.total and r.gap >= 0
    assert r.gap == r.best.energy.total / r.bound - 1


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(cases(remainders=True))
def test_each_tensors_term_is_below_its_energy_in_the_model(case):
    """The bound is a sum of per-tensor terms; each holds on its own, so ``gap_by_tensor`` (what `map --json`
    reports as energy_above_bound_by_tensor) is never negative and says where a gap sits."""
    layer, arch, mapping = case
    r = evaluate(layer, arch, mapping)
    for tensor, excess in gap_by_tensor(layer, arch, r).items():
        spent = sum(e.energy for e in r.energy.entries if e.tensor is tensor)
        assert excess >= -1e-9 * max(1.0, spent), (tensor, excess)
