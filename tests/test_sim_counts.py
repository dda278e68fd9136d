"""The simulator's counts equal the analytical model's, exactly, on random small layers and mappings.

Two independent implementations of docs/semantics.md: stationary.model counts in closed form per kind of step,
stationary.sim moves word addresses step by step. ``STATIONARY_SIM_CASES`` sets the number of random cases
(default 250).
"""
import os

from hypothesis import HealthCheck, given, settings

from stationary.model import analyze
from stationary.model.analysis import analyze_hops
from stationary.model.imperfect import hop_counts
from stationary.sim import count_accesses
from stationary.sim.guarded import count_guarded
from strategies import cases

CASES = int(os.environ.get("STATIONARY_SIM_CASES", "250"))


def table(counts):
    levels = {(e.level, e.tensor): (e.reads, e.fills, e.updates, e.drains) for e in counts.levels}
    network = {(n.level, n.tensor): n.transfers for n in counts.network}
    return levels, network, counts.macs, counts.steps, counts.units_used


def analyze_counts_general(layer, arch, mapping):
    return analyze_hops(layer, arch, mapping, hop_counts)


@settings(max_examples=CASES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.data_too_large])
@given(cases())
def test_simulator_counts_equal_the_model(case):
    layer, arch, mapping = case
    assert table(count_accesses(layer, arch, mapping)) == table(analyze(layer, arch, mapping))


@settings(max_examples=CASES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.data_too_large])
@given(cases(max_dim=6, remainders=True))
def test_simulator_counts_equal_the_model_with_remainders(case):
    """Bounds that do not divide their dimension, at any level, temporal or spatial: edge tiles, idle children."""
    layer, arch, mapping = case
    assert table(count_accesses(layer, arch, mapping)) == table(analyze(layer, arch, mapping))


@settings(max_examples=max(20, CASES // 5), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                  HealthCheck.data_too_large])
@given(cases())
def test_the_remainder_paths_reproduce_perfect_factorizations(case):
    """The general paths (model and simulator) give today's numbers on mappings without remainders too."""
    layer, arch, mapping = case
    general = analyze_counts_general(layer, arch, mapping)
    assert table(count_guarded(layer, arch, mapping)) == table(analyze(layer, arch, mapping)) == table(general)
