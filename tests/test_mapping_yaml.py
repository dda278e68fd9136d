"""Mapping files: round trips (hypothesis) and errors naming file, level, field and value."""
import pytest
from hypothesis import given, settings, strategies as st

from stationary.arch import preset
from stationary.core import DIMS, Dim, StationaryError, Tensor
from stationary.mapping import Axis, LevelMapping, Loop, Mapping, load_mapping_yaml, mapping_to_yaml
from stationary.workload import conv

ARCHES = ("eyeriss", "timeloop-eyeriss-like", "isca2016-rs", "isca2016-nlr")


def _mappings(arch):
    loops = st.lists(st.builds(Loop, st.sampled_from(DIMS), st.integers(1, 64)), max_size=4)
    spatial = st.lists(st.builds(Loop, st.sampled_from(DIMS), st.integers(1, 16), st.sampled_from(list(Axis))),
                       max_size=3)
    levels = [st.builds(LevelMapping, loops, spatial,
                        st.frozensets(st.sampled_from(sorted(level.keeps, key=lambda t: t.value)))
                        if i and level.keeps else st.just(frozenset()))
              for i, level in enumerate(arch.levels)]
    return st.tuples(*levels).map(Mapping)


@pytest.mark.parametrize("name", ARCHES)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_round_trip(name, data):
    arch = preset(name)
    mapping = data.draw(_mappings(arch))
    text = mapping_to_yaml(mapping, arch)
    back = load_mapping_yaml(text, arch)
    # loops along one axis keep their order; X loops are written before Y loops
    ordered = Mapping(tuple(LevelMapping(lm.temporal, tuple(l for a in Axis for l in lm.spatial if l.axis is a),
                                         lm.bypass) for lm in mapping.levels))
    assert back == ordered


def test_file_and_forms(tmp_path):
    arch = preset("eyeriss")
    path = tmp_path / "m.yaml"
    path.write_text("arch: eyeriss\nlevels:\n  DRAM: {temporal: [M=2, 'C3 E2']}\n"
                    "  rf: {spatial: {x: K4, Y: [P2, R3]}, bypass: [inputs]}\n")
    m = load_mapping_yaml(str(path), arch)
    assert m.levels[0].temporal == (Loop(Dim.M, 2), Loop(Dim.C, 3), Loop(Dim.E, 2))
    assert m.levels[2].spatial == (Loop(Dim.M, 4, Axis.X), Loop(Dim.E, 2, Axis.Y), Loop(Dim.R, 3, Axis.Y))
    assert m.levels[2].bypass == {Tensor.IFMAP} and m.levels[1] == LevelMapping()


@pytest.mark.parametrize("text, expected", [
    ("levels: {DRAM: {temporal: C3}, GLB: {tempral: M2}}", "m.yaml: level GLB: field 'tempral' = 'M2': unknown key"),
    ("levels: {DRAM: {temporal: C3}, SRAM: {}}", "m.yaml: arch eyeriss: field 'level' = 'SRAM': no such level"),
    ("levels: {DRAM: {temporal: X3}}", "m.yaml: level DRAM: field 'temporal' = 'X3': unknown dimension"),
    ("levels: {DRAM: {temporal: C-3}}", "m.yaml: level DRAM: field 'temporal' = 'C-3': loop bound must be"),
    ("levels: {DRAM: {temporal: C}}", "m.yaml: level DRAM: field 'temporal' = 'C': is not a loop"),
    ("levels: {DRAM: {temporal: 3}}", "m.yaml: level DRAM: field 'temporal' = 3"),
    ("levels: {RF: {spatial: {Z: C3}}}", "m.yaml: level RF: field 'spatial' = 'Z': unknown array axis"),
    ("levels: {RF: {spatial: C3}}", "m.yaml: level RF: field 'spatial' = 'C3'"),
    ("levels: {GLB: {bypass: [bias]}}", "m.yaml: level GLB: field 'bypass' = 'bias': unknown tensor"),
    ("levels: {DRAM: {bypass: [weights]}}", "m.yaml: level DRAM: field 'bypass' = ['weights']: the outermost"),
    ("levels: {DRAM: {}, dram: {}}", "m.yaml: field 'levels' = 'dram': the level is given twice"),
    ("arch: eyeriss-2\nlevels: {}", "m.yaml: field 'arch' = 'eyeriss-2'"),
    ("levels: [DRAM]", "m.yaml: field 'levels' = ['DRAM']"),
    ("level: {}", "m.yaml: field 'level' = {}: unknown key"),
    ("levels: {DRAM: {temporal: C3}", "m.yaml: line"),
])
def test_errors(tmp_path, text, expected):
    path = tmp_path / "m.yaml"
    path.write_text(text)
    with pytest.raises(StationaryError) as info:
        load_mapping_yaml(str(path), preset("eyeriss"))
    assert expected in str(info.value)


def test_with_a_layer_the_legality_error_is_located_at_the_file(tmp_path):
    arch, layer = preset("eyeriss"), conv("c", 2, 1, 4, 3)      # E = F = 2
    path = tmp_path / "m.yaml"
    path.write_text("levels: {DRAM: {temporal: M2 E2 F2}, RF: {temporal: R3 S2}}")
    with pytest.raises(StationaryError, match=r"m\.yaml: layer c: field 'S' = 2: loop bounds multiply to 2"):
        load_mapping_yaml(str(path), arch, layer)
    path.write_text("levels: {DRAM: {temporal: M2 E2 F2}, RF: {temporal: R3 S3}}")
    assert load_mapping_yaml(str(path), arch, layer).bounds()[Dim.S] == 3
    # the GLB's spatial loops spread over the 14 x 12 PEs below it
    path.write_text("levels: {DRAM: {temporal: M2 E2 F2}, GLB: {spatial: {X: R3 S3}}}")   # 9 <= 14 along X
    assert load_mapping_yaml(str(path), arch, layer).spatial_units == 9
    path.write_text("levels: {DRAM: {temporal: M2 E2}, GLB: {spatial: {Y: R3 S3 F2}}}")  # 18 > 12 along Y
    with pytest.raises(StationaryError, match=r"m\.yaml: layer c: level GLB: field 'spatial.Y' = 18"):
        load_mapping_yaml(str(path), arch, layer)
    # a tile that does not fit: the 4 x 4 input of a whole E x F x R x S nest in the 12-word ifmap scratchpad
    path.write_text("levels: {DRAM: {temporal: M2}, RF: {temporal: E2 F2 R3 S3}}")
    with pytest.raises(StationaryError, match=r"m\.yaml: layer c: level RF: field 'size_words.inputs' = 16"):
        load_mapping_yaml(str(path), arch, layer)


def test_missing_file():
    with pytest.raises(StationaryError, match=r"nowhere\.yaml: cannot read the mapping file"):
        load_mapping_yaml("nowhere.yaml", preset("eyeriss"))


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_round_trip_with_remainders(data):
    """Bounds fitted to sizes they do not divide are written "E7,6" and read back the same."""
    arch = preset("timeloop-eyeriss-like")
    drawn = data.draw(_mappings(arch))
    ordered = Mapping(tuple(LevelMapping(lm.temporal, tuple(l for a in Axis for l in lm.spatial if l.axis is a),
                                         lm.bypass) for lm in drawn.levels))
    bounds = ordered.bounds()
    sizes = {d: data.draw(st.integers(1, bounds[d])) for d in DIMS}
    mapping = ordered.fitted(sizes)
    assert mapping.extents() == sizes
    assert load_mapping_yaml(mapping_to_yaml(mapping, arch), arch) == mapping


def test_remainders_that_miss_or_overrun_a_dimension_name_the_levels_and_values():
    arch, layer = preset("eyeriss"), conv("c", 1, 1, (57, 3), (3, 3))     # E = 55
    good = "levels: {DRAM: {temporal: E8 R3 S3 F1}, RF: {temporal: 'E7,6'}}"
    assert load_mapping_yaml(good, arch, layer).extents()[Dim.E] == 55
    with pytest.raises(StationaryError, match=r"E \(DRAM E=8, RF E=7,5\) cover 54 indices: they do not cover "
                                              r"the layer's E = 55"):
        load_mapping_yaml(good.replace("7,6", "7,5"), arch, layer)
    with pytest.raises(StationaryError, match=r"multiply to 56 but the layer has E = 55 \(DRAM E=8, RF E=7\)"):
        load_mapping_yaml(good.replace("7,6", "7"), arch, layer)
    with pytest.raises(StationaryError, match=r"outermost loop of E .* cannot have a residual"):
        load_mapping_yaml("levels: {DRAM: {temporal: 'E8,7 R3 S3'}, RF: {temporal: E7}}", arch, layer)
    with pytest.raises(StationaryError, match=r"level RF: field 'temporal' = 'E7,9': a loop's residual must be an integer from 1 to its bound 7"):
        load_mapping_yaml("levels: {DRAM: {temporal: E8 R3 S3}, RF: {temporal: 'E7,9'}}", arch, layer)
