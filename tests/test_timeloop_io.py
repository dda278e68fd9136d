"""Timeloop's files read as is, and the cross-check against Timeloop v3.0.3 on AlexNet CONV1.

Every figure below is copied from the Timeloop run recorded in shared/reference/timeloop-eyeriss-like-conv1.md
(Timeloop v3.0.3 + Accelergy 45 nm, Eyeriss-like exercise design, AlexNet CONV1, the mapping its search chose).
"""
from pathlib import Path

import pytest

from stationary.arch import preset
from stationary.core import Dim, StationaryError, Tensor
from stationary.mapping import Axis, load_mapping_yaml, load_timeloop_mapping, load_timeloop_problem
from stationary.model import analyze, energy

DATA = Path(__file__).parent / "data" / "timeloop"
PROBLEM, MAP = DATA / "conv1.problem.yaml", DATA / "conv1.map.yaml"
W, I, O = Tensor.WEIGHT, Tensor.IFMAP, Tensor.PSUM
PES = 132  # 12 x 11 PEs used

# Timeloop's counts: (level, tensor) -> (reads, fills, updates), whole layer (per instance x 132 for the spads)
TIMELOOP = {
    ("DRAM", W): (1_916_640, 0, 0),
    ("DRAM", I): (412_005, 0, 0),
    ("DRAM", O): (0, 0, 290_400),
    ("shared_glb", I): (412_005, 412_005, 0),
    ("shared_glb", O): (580_800, 0, 871_200),
    ("ifmap_spad", I): (798_600 * PES, 37_455 * PES, 0),
    ("weights_spad", W): (798_600 * PES, 14_520 * PES, 0),
    ("psum_spad", O): (774_400 * PES, 48_400 * PES, 798_600 * PES),
}
# Timeloop's energy per MAC in fJ, by component; total 8155.00 fJ/MAC = 859.66 uJ
TIMELOOP_FJ_PER_MAC = {"MAC": 2200.35, "psum_spad": 509.26, "weights_spad": 1614.35, "ifmap_spad": 247.41,
                       "shared_glb": 403.47, "DRAM": 3180.17}
TIMELOOP_TOTAL_UJ = 859.66


@pytest.fixture(scope="module")
def conv1():
    arch = preset("timeloop-eyeriss-like")
    layer = load_timeloop_problem(PROBLEM, name="CONV1")
    mapping = load_timeloop_mapping(MAP, arch, layer)
    return arch, layer, mapping, analyze(layer, arch, mapping)


def test_problem_is_alexnet_conv1(conv1):
    _, layer, _, _ = conv1
    # C=3, M=96, R=S=11, stride 4, E=F=55 -> input (55-1)*4+11 = 227; MACs 96*3*55*55*11*11
    assert (layer.C, layer.M, layer.R, layer.S, layer.U, layer.H, layer.W) == (3, 96, 11, 11, 4, 227, 227)
    assert layer.macs == 105_415_200


def test_mapping_is_the_reference_nest(conv1):
    _, _, m, _ = conv1
    show = [[(l.dim, l.bound, l.axis) for l in lm.loops] for lm in m.levels]
    assert show == [[(Dim.F, 55, None), (Dim.C, 3, None)], [(Dim.E, 55, None), (Dim.M, 12, Axis.X)],
                    [(Dim.S, 11, Axis.Y)], [], [(Dim.R, 11, None)], [(Dim.M, 8, None)]]


def test_the_same_file_loads_through_the_generic_mapping_loader(conv1):
    arch, layer, mapping, _ = conv1
    assert load_mapping_yaml(MAP, arch, layer) == mapping


@pytest.mark.parametrize("key", sorted(TIMELOOP, key=str))
def test_counts_match_timeloop(conv1, key):
    """Reads and updates agree exactly; fills too, except psum_spad's (a documented convention, below)."""
    *_, counts = conv1
    got = counts.at(*key)
    reads, fills, updates = TIMELOOP[key]
    assert (got.reads, got.updates) == (reads, updates)
    if key != ("psum_spad", O):
        assert got.fills == fills


def test_documented_conventions(conv1):
    """docs/architecture.md, "Cross-check with Timeloop": drains, and read-back psums into one PE per group."""
    *_, counts = conv1
    # drains: every finished psum tile is read out to go up. glb: its tile (all M and E of one F column) stays
    # put while the DRAM loop C runs inside F, so each of the 96*55*55 outputs leaves once -> 290,400
    assert counts.at("shared_glb", O).drains == 96 * 55 * 55
    # psum_spad: 8 outputs per residency; a residency per (F, C, E) step per column of 12 x 11 PEs
    assert counts.at("psum_spad", O).drains == 55 * 3 * 55 * 8 * 12 * 11 == 9_583_200
    # read-back psums: Timeloop fills all 11 PEs of the S-reduction (48,400 x 132); we fill one per group
    assert counts.at("psum_spad", O).fills == 48_400 * PES // 11 == 580_800


def test_energy_against_timeloop(conv1):
    """With the reference's per-access energies, each component agrees within the rounding of those energies
    (given to 2-3 digits: 0.24 pJ stands for about 0.2363), once our drains are set aside and read-back psums
    are counted into all 11 PEs as Timeloop does; the totals then agree to 0.1%."""
    arch, layer, _, counts = conv1
    e = energy(counts, arch)
    macs = layer.macs
    by_level = e.by_level()
    glb_drains = counts.at("shared_glb", O).drains * 18.70
    psum_drains = counts.at("psum_spad", O).drains * 0.25
    psum_fill_gap = (48_400 * PES - counts.at("psum_spad", O).fills) * 0.25
    ours = {"MAC": by_level["MAC"], "DRAM": by_level["DRAM"], "shared_glb": by_level["shared_glb"] - glb_drains,
            "ifmap_spad": by_level["ifmap_spad"], "weights_spad": by_level["weights_spad"],
            "psum_spad": by_level["psum_spad"] - psum_drains + psum_fill_gap}
    for name, fj in TIMELOOP_FJ_PER_MAC.items():
        assert ours[name] / macs * 1000 == pytest.approx(fj, rel=0.02), name
    assert sum(ours.values()) / 1e6 == pytest.approx(TIMELOOP_TOTAL_UJ, rel=0.001)
    # with our own conventions the layer costs more by exactly the drains less the smaller psum fills
    assert e.total - sum(ours.values()) == pytest.approx(glb_drains + psum_drains - psum_fill_gap)


def test_problem_errors_name_file_and_field(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("problem: {instance: {C: 3, M: 96, R: 11, S: 11, N: 1, P: 55, Q: 55, Wstride: 4, Hstride: 2}}")
    with pytest.raises(StationaryError, match=r"p\.yaml: problem\.instance: field 'Hstride' = 2"):
        load_timeloop_problem(bad)
    bad.write_text("problem: {instance: {C: 3, M: 96, R: 11, S: 11, N: 1, P: 55, Q: 55, X: 1}}")
    with pytest.raises(StationaryError, match=r"p\.yaml: problem\.instance: field 'X' = 1: unknown key"):
        load_timeloop_problem(bad)
    bad.write_text("problem: {instance: {C: 3, M: 96, R: 11, S: 11, N: 1, P: 55}}")
    with pytest.raises(StationaryError, match=r"field 'Q': missing field"):
        load_timeloop_problem(bad)


@pytest.mark.parametrize("directive, message", [
    ("{target: GLB, type: temporal, factors: C3, permutation: C}", r": field 'target' = 'GLB': no such level"),
    ("{target: DRAM, type: temporal, factors: C3 Q55, permutation: C}", r"\(target DRAM\): field 'permutation' = 'C': .* Q"),
    ("{target: DRAM, type: temporal, factors: C0, permutation: C}", r"field 'factors' = 'C0'"),
    ("{target: DRAM, type: tiling, factors: C3, permutation: C}", r"field 'type' = 'tiling'"),
    ("{target: ifmap_spad, type: bypass, keep: [Weights]}", r"field 'keep' = \['weights'\]"),
    ("{target: DRAM, type: bypass, bypass: [Weights]}", r"outermost level keeps every data space"),
])
def test_map_errors_name_file_directive_field_value(tmp_path, directive, message):
    path = tmp_path / "map.yaml"
    path.write_text(f"mapping:\n  - {directive}\n")
    with pytest.raises(StationaryError, match=r"map\.yaml: mapping\[0\].*" + message):
        load_timeloop_mapping(path, preset("timeloop-eyeriss-like"))


def test_map_that_does_not_cover_the_layer_is_located_at_the_file(tmp_path):
    text = MAP.read_text().replace("factors: C1 M8 R1", "factors: C1 M4 R1")
    path = tmp_path / "short.yaml"
    path.write_text(text)
    arch = preset("timeloop-eyeriss-like")
    with pytest.raises(StationaryError, match=r"short\.yaml: layer CONV1: field 'M' = 48"):
        load_timeloop_mapping(path, arch, load_timeloop_problem(PROBLEM, name="CONV1"))


def test_ruby_remainders_round_trip_through_map_yaml():
    """CONV1's 55 output rows as 8 strips of 7 (the last runs 6) go to a map.yaml as Ruby writes them and back."""
    from stationary.mapping import LevelMapping, Loop, Mapping
    from stationary.mapping.timeloop_write import timeloop_map_yaml
    from stationary.workload import conv
    arch, layer = preset("eyeriss"), conv("CONV1", 96, 3, 227, 11, stride=4)
    mapping = Mapping((LevelMapping(temporal=(Loop(Dim.E, 8), Loop(Dim.M, 6))),
                       LevelMapping(temporal=(Loop(Dim.C, 3), Loop(Dim.F, 55)),
                                    spatial=(Loop(Dim.R, 11, Axis.Y), Loop(Dim.E, 7, Axis.X))),
                       LevelMapping(temporal=(Loop(Dim.M, 16), Loop(Dim.S, 11))))).fitted(layer.dims)
    text = timeloop_map_yaml(mapping, arch)
    assert "P7,6" in text.replace("=", "")
    back = load_timeloop_mapping(text, arch)       # (the weights' tile outgrows the chip's 8 kB: not checked here)
    assert back == mapping and back.extents() == layer.dims
