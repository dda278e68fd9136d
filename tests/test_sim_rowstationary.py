"""Row-stationary views built from a mapping's spatial loops, checked against the layer's arithmetic."""
from stationary.arch import preset
from stationary.core import Dim
from stationary.mapping import Axis, LevelMapping, Loop, Mapping, check
from stationary.sim.rowstationary import chip_strips, pass_png, pass_text, rs_plan, summary
from stationary.workload.zoo import get

CONV1 = get("alexnet")["CONV1"]   # R = 11, E = 55, U = 4


def conv1_rs(strip: int) -> Mapping:
    """CONV1 on eyeriss, RS: filter rows (11) down Y, a strip of output rows along X, the rest temporal."""
    return Mapping((LevelMapping(temporal=(Loop(Dim.M, 96), Loop(Dim.E, 55 // strip))),
                    LevelMapping(temporal=(Loop(Dim.C, 3), Loop(Dim.F, 55)),
                                 spatial=(Loop(Dim.E, strip, Axis.X), Loop(Dim.R, 11, Axis.Y))),
                    LevelMapping(temporal=(Loop(Dim.S, 11),))))


def test_conv1_logical_set_is_strip_mined_by_the_spatial_e_loop():
    m = conv1_rs(11)
    plan = rs_plan(CONV1, m, (12, 14))
    assert plan.logical == (11, 55) and plan.strip == (11, 11) and plan.sets == 1
    assert plan.passes == 96 * 5 * 3 * 55
    assert "strip-mined to 11 x 11 (5 strips of E)" in summary(plan)
    # the chip's own strip-mining of the same set, with a remainder: 55 = 7 x 7 + 6
    assert chip_strips(55, 7) == [7] * 7 + [6] and sum(chip_strips(55, 7)) == 55


def test_each_pe_in_a_pass_works_on_its_filter_row_and_output_row():
    plan = rs_plan(CONV1, conv1_rs(11), (12, 14))
    step = ((0 * 5 + 1) * 3 + 1) * 55 + 0     # M = 0, second strip (E from 11), C = 1, F = 0
    grid = plan.cells(step)
    for y in range(11):
        for x in range(11):
            assert grid[y][x][Dim.R] == y and grid[y][x][Dim.E] == 11 + x and grid[y][x][Dim.C] == 1
    assert all(grid[11][x] is None for x in range(14)) and all(grid[y][13] is None for y in range(12))
    text = pass_text(plan, step).splitlines()
    # PE (y=2, x=3): filter row 2 on output row 14 reads input row U*e + r = 4*14 + 2 = 58
    assert text[2 + 2].split()[1 + 3 * 3: 4 + 3 * 3] == ["r2", "h58", "e14"]


def test_png_is_drawn(tmp_path):
    plan = rs_plan(CONV1, conv1_rs(11), (12, 14))
    pass_png(plan, tmp_path / "pass.png", 0)
    assert (tmp_path / "pass.png").read_bytes()[:4] == b"\x89PNG"


def test_the_views_take_a_legal_mapping():
    check(CONV1, preset("eyeriss"), conv1_rs(11))      # raises if the RF or GLB tiles do not fit
