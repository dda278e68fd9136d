"""The simulator's counts equal the analytical model's, exactly, on random small layers and mappings.

Two independent implementations of docs/semantics.md: stationary.model counts in closed form per kind of step,
stationary.sim moves word addresses step by step. ``STATIONARY_SIM_CASES`` sets the number of random cases
(default 250).
"""
import os

from hypothesis import HealthCheck, given, settings

from stationary.model import analyze
from stationary.sim import count_accesses
from strategies import cases

CASES = int(os.environ.get("STATIONARY_SIM_CASES", "250"))


def table(counts):
    levels = {(e.level, e.tensor): (e.reads, e.fills, e.updates, e.drains) for e in counts.levels}
    network = {(n.level, n.tensor): n.transfers for n in counts.network}
    return levels, network, counts.macs, counts.steps, counts.units_used


@settings(max_examples=CASES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.data_too_large])
@given(cases())
def test_simulator_counts_equal_the_model(case):
    layer, arch, mapping = case
    assert table(count_accesses(layer, arch, mapping)) == table(analyze(layer, arch, mapping))
