"""The layer-wide lower bound (search.layerbound) never exceeds the model on random layers, archs and mappings,
and the mapper reports it beside its answer as a gap that is never negative."""
from hypothesis import HealthCheck, given, settings

from stationary.arch import preset
from stationary.mapping.dataflows import Dataflow
from stationary.model import evaluate
from stationary.search import Objective, search
from stationary.search.bound import compulsory_energy
from stationary.search.layerbound import first_term, layer_cycles_bound, layer_energy_bound
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
