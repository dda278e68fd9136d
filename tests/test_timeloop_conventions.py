"""Timeloop mode against Timeloop v3.0.3 itself: every count, energy and cycle count of every run in
tests/data/timeloop/cases/ and generated/ (stats.txt files written by timeloop-model; provenance in
tests/data/timeloop/README.md) and of AlexNet CONV1 (figures of shared/reference/timeloop-eyeriss-like-conv1.md, as
in test_timeloop_io.py).

The stats files print per-instance counts as integers and energies to 0.01 pJ; the tests allow that rounding
and nothing more.
"""
from pathlib import Path

import pytest
from hypothesis import given, settings

from strategies import cases

from stationary.arch.timeloop import load_timeloop_arch
from stationary.core import Dim, Tensor
from stationary.mapping import Axis, LevelMapping, Loop, Mapping, kept, load_timeloop_mapping, load_timeloop_problem
from stationary.model import Conventions, analyze, energy, evaluate
from stationary.model.timeloop_stats import load_stats
from stationary.workload import conv

DATA = Path(__file__).parent / "data" / "timeloop"
DESIGN = DATA / "design"
CASES = sorted((DATA / "cases").iterdir()) + sorted((DATA / "generated").iterdir()) + sorted(
    (DATA / "random").iterdir())
RUNS = [(case, case / "stats.txt", Conventions.TIMELOOP) for case in CASES]
RUNS.append((DATA / "cases" / "halo_rq_same_column_resnet50_res3a_2b",
             DATA / "cases" / "halo_rq_same_column_resnet50_res3a_2b" / "stats_TIMELOOP_DISABLE_LINK_TRANSFERS.txt",
             Conventions.TIMELOOP_NO_LINK_TRANSFERS))
IDS = [f"{case.name}{'' if c.link_transfers else '-no-links'}" for case, _, c in RUNS]
GENERATED = DATA / "generated"


@pytest.fixture(scope="module")
def arch():
    return load_timeloop_arch(DESIGN / "arch.yaml", DESIGN / "ERT.yaml")


def _run(arch, case, conventions):
    layer = load_timeloop_problem(case / "problem.yaml")
    mapping = load_timeloop_mapping(case / "map.yaml", arch, layer)
    return layer, mapping, evaluate(layer, arch, mapping, conventions=conventions)


@pytest.mark.parametrize("case, stats_path, conventions", RUNS, ids=IDS)
def test_timeloop_mode_reproduces_every_count_energy_and_cycle(arch, case, stats_path, conventions):
    stats = load_stats(stats_path)
    layer, _, result = _run(arch, case, conventions)
    assert stats.macs == layer.macs and stats.cycles == result.latency.cycles
    seen = set()
    for entry in stats.entries:
        ours = result.counts.at(entry.level, entry.tensor)
        assert (ours.reads, ours.fills, ours.updates, ours.drains) == (
            entry.total("reads"), entry.total("fills"), entry.total("updates"), 0), (entry.level, entry.tensor)
        assert result.energy.at(entry.level, entry.tensor) == pytest.approx(entry.energy_pj, abs=0.0051, rel=1e-9)
        seen.add((entry.level, entry.tensor))
    assert {(c.level, c.tensor) for c in result.counts.levels if c.total} <= seen
    assert result.energy.at("MAC", None) == pytest.approx(stats.mac_energy_pj, abs=0.0051, rel=1e-9)
    assert result.energy.total / 1e6 == pytest.approx(stats.energy_uj, abs=0.0051)


def test_link_transfers_switch_changes_only_the_linked_figures(arch):
    case = DATA / "cases" / "halo_rq_same_column_resnet50_res3a_2b"
    with_links = _run(arch, case, Conventions.TIMELOOP)[2].counts
    without = _run(arch, case, Conventions.TIMELOOP_NO_LINK_TRANSFERS)[2].counts
    changed = {(a.level, a.tensor) for a, b in zip(with_links.levels, without.levels) if a != b}
    assert changed == {("shared_glb", Tensor.IFMAP), ("ifmap_spad", Tensor.IFMAP)}
    # the stats file's own figures: 580,608 link transfers replace 580,608 shared_glb reads
    assert without.at("shared_glb", Tensor.IFMAP).reads - with_links.at("shared_glb", Tensor.IFMAP).reads == 580_608


# AlexNet CONV1: Timeloop's figures (reference md), whole layer; 132 PEs used
PES = 132
CONV1 = {("DRAM", Tensor.WEIGHT): (1_916_640, 0, 0), ("DRAM", Tensor.IFMAP): (412_005, 0, 0),
         ("DRAM", Tensor.PSUM): (0, 0, 290_400), ("shared_glb", Tensor.IFMAP): (412_005, 412_005, 0),
         ("shared_glb", Tensor.PSUM): (580_800, 0, 871_200),
         ("ifmap_spad", Tensor.IFMAP): (798_600 * PES, 37_455 * PES, 0),
         ("weights_spad", Tensor.WEIGHT): (798_600 * PES, 14_520 * PES, 0),
         ("psum_spad", Tensor.PSUM): (774_400 * PES, 48_400 * PES, 798_600 * PES)}
CONV1_FJ_PER_MAC = {"MAC": 2200.35, "psum_spad": 509.26, "weights_spad": 1614.35, "ifmap_spad": 247.41,
                    "shared_glb": 403.47, "DRAM": 3180.17}


def test_alexnet_conv1_in_timeloop_mode(arch):
    layer = load_timeloop_problem(DATA / "conv1.problem.yaml")
    mapping = load_timeloop_mapping(DATA / "conv1.map.yaml", arch, layer)
    r = evaluate(layer, arch, mapping, conventions=Conventions.TIMELOOP)
    for key, figures in CONV1.items():
        got = r.counts.at(*key)
        assert (got.reads, got.fills, got.updates, got.drains) == figures + (0,), key
    by_level = r.energy.by_level()
    for name, fj in CONV1_FJ_PER_MAC.items():
        assert by_level[name] / layer.macs * 1000 == pytest.approx(fj, abs=0.0051), name
    assert r.energy.total / layer.macs * 1000 == pytest.approx(8155.00, abs=0.0051)
    assert r.energy.total / 1e6 == pytest.approx(859.66, abs=0.0051)


def test_default_counts_are_the_physical_ones(arch):
    """Physical mode is untouched: CONV1's glb output drains and one-PE psum fills (docs/architecture.md)."""
    layer = load_timeloop_problem(DATA / "conv1.problem.yaml")
    mapping = load_timeloop_mapping(DATA / "conv1.map.yaml", arch, layer)
    counts = analyze(layer, arch, mapping)
    assert counts == analyze(layer, arch, mapping, conventions=Conventions.PHYSICAL)
    assert counts.at("shared_glb", Tensor.PSUM).drains == 96 * 55 * 55
    assert counts.at("psum_spad", Tensor.PSUM).fills == 48_400 * PES // 11


def test_strided_tiles_are_boxes_in_timeloop_mode():
    """A 1x1 stride-2 layer (7x7 input, 4x4 output) whose glb tile holds the whole output: its input footprint is 16
    words (rows and columns 0, 2, 4, 6) but its box is 7 x 7 = 49, which Timeloop reads from DRAM and fills."""
    arch = load_timeloop_arch(DESIGN / "arch.yaml", DESIGN / "ERT.yaml", DESIGN / "arch_constraints.yaml")
    layer = conv("strided", 1, 1, 7, 1, stride=2)
    assert (layer.E, layer.F) == (4, 4)
    levels = [LevelMapping() for _ in arch.levels]
    levels[1] = LevelMapping(temporal=(Loop(Dim.E, 4), Loop(Dim.F, 4)))
    mapping = Mapping(tuple(levels))
    physical = analyze(layer, arch, mapping)
    timeloop = analyze(layer, arch, mapping, conventions=Conventions.TIMELOOP)
    exact = analyze(layer, arch, mapping, conventions=Conventions(timeloop=True, boxes=False))
    assert physical.at("DRAM", Tensor.IFMAP).reads == exact.at("DRAM", Tensor.IFMAP).reads == 16
    assert timeloop.at("DRAM", Tensor.IFMAP).reads == timeloop.at("shared_glb", Tensor.IFMAP).fills == 49


def test_energy_is_the_one_product_in_both_modes(arch):
    case = DATA / "cases" / "resnet50_res2a_2a"
    _, _, r = _run(arch, case, Conventions.TIMELOOP)
    assert energy(r.counts, arch).total == pytest.approx(r.energy.total)
    assert Axis.X.value == "X"  # spatial axes are read from the map files (split)


@settings(max_examples=80, deadline=None)
@given(cases())
def test_timeloop_mode_on_any_mapping(case):
    """On random layers, archs and legal mappings Timeloop mode never drains and never counts below zero; where no
    spatial loop shares work, every MAC reads its operands from its innermost keeper, and where none of Timeloop's
    conventions but its refetch on a stride change can apply (stride and dilation 1 besides), with that one
    switched off it counts what we count."""
    layer, arch, mapping = case
    timeloop = analyze(layer, arch, mapping, conventions=Conventions.TIMELOOP)
    physical = analyze(layer, arch, mapping)
    assert all(c.reads >= 0 and c.fills >= 0 and c.updates >= 0 and c.drains == 0 for c in timeloop.levels)
    if mapping.spatial_units > 1:
        return
    for tensor in Tensor:
        innermost = max(i for i in range(len(arch.levels)) if tensor in kept(arch, mapping, i))
        served = timeloop.at(arch.levels[innermost].name, tensor)
        assert (served.updates if tensor is Tensor.PSUM else served.reads) == layer.macs
    if layer.U == 1 and layer.dilation == 1:   # only the refetch on a stride change is left: switched off, equal
        strip = lambda counts: [(c.level, c.tensor, c.reads, c.fills, c.updates) for c in counts.levels]  # noqa
        steps = analyze(layer, arch, mapping, conventions=Conventions(timeloop=True, stride_refetch=False))
        assert strip(steps) == strip(physical)


def test_bandwidth_throttled_cycles_are_timeloops():
    """vgg16 CONV3_1 with inputs read from the buffer by every MAC: 115,605,504 reads per buffer over its 16-word
    read port is 7,225,344 cycles (Timeloop's figure), not the 5,505,024 compute cycles."""
    arch = load_timeloop_arch(DESIGN / "arch.yaml", DESIGN / "ERT.yaml")
    _, _, r = _run(arch, GENERATED / "vgg16_conv3_1_delay_energy", Conventions.TIMELOOP)
    assert r.counts.at("shared_glb", Tensor.IFMAP).reads == 115_605_504
    assert r.latency.cycles == 115_605_504 // 16 == 7_225_344 and r.latency.bound_by == "shared_glb"
    assert r.latency.compute_cycles == 5_505_024
