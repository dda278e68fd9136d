"""Study files: validation errors naming file, field and value; grids, samples and constraints."""
import pytest

from stationary.core import StationaryError
from stationary.study import plan_points, study_from_yaml

BASE = "study: t\nfixed: {network: lenet5, arch: eyeriss, layers: [F6]}\n"


def plan(text: str):
    return plan_points(study_from_yaml(BASE + text, "s.yaml"))


@pytest.mark.parametrize("text, message", [
    ("axes: {levels.GLB.sise_kb: [64]}", "field 'levels.GLB.sise_kb' = 64: not a level field"),
    ("axes: {levels.L2.size_kb: [64]}", "field 'levels.L2.size_kb' = 64: no level L2 (levels: DRAM, GLB, RF)"),
    ("axes: {clock: [100]}", "field 'clock' = 100: unknown setting"),
    ("axes: {batch: []}", "field 'batch' = []: an axis needs a non-empty list of values"),
    ("axes: {pe_array: [[0, 4]]}", "field 'pe_array' = [0, 4]: must be [x, y], two positive integers"),
    ("axes: {dataflow: [rs, xs]}", "field 'dataflow' = 'xs'"),
    ("axes: {together: {dataflow: [ws, rs], batch: [1]}}", "axes that vary together need lists of one length"),
    ("axes: {layers: [[F6]]}", "a setting is both fixed and an axis"),
    ("axes: {batch: [1]}\nsample: {method: sobol}", "field 'method' = 'sobol': unknown sampling method"),
    ("axes: {batch: [1]}\nsample: {method: random}", "random sampling needs a positive number of points"),
    ("axes: {levels.GLB.size_kb: [3.3]}", "is not a whole number of 16-bit words"),
    ("axes: {batch: [1]}\nconstraints: {power: {max: 1}}", "field 'power' = {'max': 1}: unknown key"),
])
def test_bad_study_files_name_the_file_field_and_value(text, message):
    with pytest.raises(StationaryError) as err:
        plan(text)
    assert str(err.value).startswith("s.yaml") and message in str(err.value)


def test_a_network_file_that_does_not_exist_is_named(tmp_path):
    with pytest.raises(StationaryError, match="field 'network' = 'nope.yaml': neither a zoo network"):
        plan_points(study_from_yaml("study: t\nfixed: {network: nope.yaml}\n", "s.yaml", str(tmp_path)))


def test_grid_is_every_combination_in_order():
    p = plan("axes: {batch: [1, 2], pe_array: [[4, 4], [8, 8]]}")
    assert [tuple(pt.coords.values()) for pt in p.points] == [(1, [4, 4]), (1, [8, 8]), (2, [4, 4]), (2, [8, 8])]
    assert len({pt.point_id for pt in p.points}) == 4


def test_axes_together_vary_in_step():
    p = plan_points(study_from_yaml("study: t\nfixed: {network: lenet5, layers: [F6]}\n"
                                    "axes: {together: {dataflow: [ws, rs], arch: [isca2016-ws, isca2016-rs]}}"))
    assert [(pt.coords["dataflow"], pt.coords["arch"]) for pt in p.points] == [("ws", "isca2016-ws"),
                                                                             ("rs", "isca2016-rs")]
    assert p.points[0].description["arch"]["name"] == "isca2016-ws"


def test_latin_hypercube_covers_every_stratum_of_every_axis_and_is_seeded():
    text = "axes: {batch: [1, 2, 3, 4, 5], levels.GLB.size_kb: [16, 32, 64, 128, 256]}\n"
    lhs = plan(text + "sample: {method: latin-hypercube, points: 5, seed: 3}")
    # 5 points over 5 values: each value of each axis exactly once (one point per stratum)
    assert sorted(pt.coords["batch"] for pt in lhs.points) == [1, 2, 3, 4, 5]
    assert sorted(pt.coords["levels.GLB.size_kb"] for pt in lhs.points) == [16, 32, 64, 128, 256]
    again = plan(text + "sample: {method: latin-hypercube, points: 5, seed: 3}")
    assert [pt.point_id for pt in again.points] == [pt.point_id for pt in lhs.points]
    other = plan(text + "sample: {method: latin-hypercube, points: 5, seed: 4}")
    assert [pt.coords for pt in other.points] != [pt.coords for pt in lhs.points]


def test_random_sample_draws_distinct_grid_points():
    p = plan("axes: {batch: [1, 2, 3, 4], pe_array: [[4, 4], [8, 8], [16, 16]]}\n"
             "sample: {method: random, points: 7, seed: 1}")
    assert len(p.points) == 7 and p.generated == 7
    assert len({str(pt.coords) for pt in p.points}) == 7


def test_equal_area_constraint_by_arithmetic():
    # Eyeriss storage area in SRAM-byte units (stationary.arch.area: RF bytes cost 1.6): 168 PEs x 260 words x
    # 2 bytes x 1.6 plus the GLB's kB x 1024; at 108 kB that is 139,776 + 110,592 = 250,368.
    rf = 168 * 260 * 2 * 1.6
    p = plan("axes: {levels.GLB.size_kb: [54, 100, 108, 116, 256]}\n"
             "constraints: {area: {equal_to: base, tolerance: 0.04}}")
    kept = [pt.coords["levels.GLB.size_kb"] for pt in p.points]
    expected = [kb for kb in (54, 100, 108, 116, 256) if abs(rf + kb * 1024 - 250_368) <= 0.04 * 250_368]
    assert kept == expected == [100, 108, 116]


def test_constraints_nothing_satisfies_say_what_ranged_where():
    with pytest.raises(StationaryError) as err:
        plan("axes: {pe_array: [[16, 16], [32, 32]]}\nconstraints: {pes: {max: 100}}")
    assert "no design point satisfies the constraints (pes ranged 256 to 1024, wanted <= 100)" in str(err.value)


def test_precision_axis_scales_weight_energy_by_the_width():
    from stationary.study.accelerator import evaluate
    p = plan("axes: {weight_bits: [8, 16]}")
    eight, sixteen = (evaluate(pt.description)["totals"] for pt in p.points)
    # words moved scale by bits / word bits (stationary.pruning.energy): weights at 8 bits move half the words
    assert eight["by_tensor"]["weights"] == pytest.approx(sixteen["by_tensor"]["weights"] / 2, rel=1e-12)
    assert eight["by_tensor"]["inputs"] == sixteen["by_tensor"]["inputs"]
    assert eight["by_tensor"]["compute"] < sixteen["by_tensor"]["compute"]
