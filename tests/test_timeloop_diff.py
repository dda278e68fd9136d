"""`stationary timeloop-diff` and our mappings in Timeloop's forms (map.yaml round trip, map.txt loop nests), checked
against Timeloop's own stats files (tests/data/timeloop/README.md: provenance)."""
import json
import re
from pathlib import Path

import pytest

from stationary import api
from stationary.arch import preset
from stationary.arch.timeloop import load_timeloop_arch
from stationary.cli import main
from stationary.core import StationaryError, Tensor
from stationary.mapping import Axis, load_timeloop_mapping, load_timeloop_problem
from stationary.mapping.timeloop_write import timeloop_map_txt, timeloop_map_yaml
from stationary.model import analyze
from stationary.model.timeloop_diff import CONVENTIONS

DATA = Path(__file__).parent / "data" / "timeloop"
DESIGN = DATA / "design"
CASES = sorted((DATA / "cases").iterdir()) + sorted((DATA / "generated").iterdir()) + sorted(
    (DATA / "random").iterdir())
HALO = DATA / "cases" / "halo_rq_same_column_resnet50_res3a_2b"


def _args(case, stats="stats.txt"):
    return ["timeloop-diff", "--arch", str(DESIGN / "arch.yaml"), "--ert", str(DESIGN / "ERT.yaml"),
            "--problem", str(case / "problem.yaml"), "--mapping", str(case / "map.yaml"), "--stats",
            str(case / stats)]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_difference_is_a_named_convention(case):
    diff = api.timeloop_diff(str(DESIGN / "arch.yaml"), case / "problem.yaml", case / "map.yaml",
                             case / "stats.txt", ert=str(DESIGN / "ERT.yaml"))
    assert not diff.unexplained and diff.energy_unexplained_uj == 0.0
    for row in diff.rows:
        assert row.timeloop == row.ours_timeloop_mode
        if row.action != "energy":
            assert (row.convention in CONVENTIONS) == (row.count_delta != 0)
    # the parts add up, per figure, to ours less Timeloop's
    figures = {}
    for row in diff.rows:
        if row.action != "energy":
            figures.setdefault((row.level, row.tensor, row.action), [row.ours - row.timeloop, 0])[1] += row.count_delta
    assert all(total == parts for total, parts in figures.values())
    # and in energy to our total less Timeloop's
    delta_uj = sum(diff.by_convention().values()) / 1e6
    assert delta_uj == pytest.approx(diff.energy_uj_ours - diff.energy_uj_ours_timeloop_mode, abs=1e-6)


def test_link_transfers_are_named_and_sized_from_the_stats_file(capsys):
    assert main(_args(HALO) + ["--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = {(r["level"], r["tensor"], r["action"], r["convention"]): r for r in out}
    links = rows[("shared_glb", "inputs", "reads", "link transfers")]
    assert links["count_delta"] == 580_608                       # the stats file's "Link transfers : 580608"
    assert links["energy_pj_delta"] == pytest.approx(580_608 * 74.1442 / 4)
    assert set(rows[("shared_glb", "inputs", "reads", "multicast of identical deltas only")]) == {
        "level", "tensor", "action", "timeloop", "ours_timeloop_mode", "ours", "convention", "count_delta",
        "energy_pj_delta"}
    total = out[-1]
    assert (total["level"], total["action"], total["timeloop"], total["convention"]) == ("total", "energy_uj",
                                                                                      825.35, "")
    assert not any(r["convention"] == "UNEXPLAINED" for r in out)
    # the same run with link transfers off matches the other stats file; against the wrong one it is flagged
    assert main(_args(HALO, "stats_TIMELOOP_DISABLE_LINK_TRANSFERS.txt") + ["--no-link-transfers"]) == 0
    assert "every difference is explained" in capsys.readouterr().out
    assert main(_args(HALO, "stats_TIMELOOP_DISABLE_LINK_TRANSFERS.txt")) == 1
    assert "!!! UNEXPLAINED" in capsys.readouterr().out


def test_stats_of_another_problem_is_an_error(capsys):
    args = _args(HALO)
    args[args.index("--stats") + 1] = str(DATA / "cases" / "vgg16_conv1_2" / "stats.txt")
    assert main(args) == 2
    assert re.search(r"vgg16_conv1_2/stats\.txt: field 'Computes \(total\)' = 115605504|stats\.txt: field "
                     r"'Computes \(total\)' = \d+: the stats file counts", capsys.readouterr().err)
    with pytest.raises(StationaryError, match="not a Timeloop stats file"):
        api.timeloop_diff(str(DESIGN / "arch.yaml"), HALO / "problem.yaml", HALO / "map.yaml", HALO / "map.yaml",
                          ert=str(DESIGN / "ERT.yaml"))


@pytest.mark.parametrize("case", CASES + [None], ids=[c.name for c in CASES] + ["alexnet_conv1"])
def test_map_yaml_round_trip(case):
    arch = load_timeloop_arch(DESIGN / "arch.yaml", DESIGN / "ERT.yaml")
    problem, path = (case / "problem.yaml", case / "map.yaml") if case else (DATA / "conv1.problem.yaml",
                                                                              DATA / "conv1.map.yaml")
    layer = load_timeloop_problem(problem)
    mapping = load_timeloop_mapping(path, arch, layer)
    assert load_timeloop_mapping(timeloop_map_yaml(mapping, arch), arch, layer) == mapping


def test_a_mapper_mapping_goes_to_timeloop_and_back():
    """The mapper's choice on the Eyeriss chip (X and Y loops at one level): back with the same counts."""
    arch = preset("eyeriss")
    layer = api.load_network("alexnet")["CONV3"]
    best = api.evaluate("alexnet", arch, layers=["CONV3"]).layers[0].mapping
    back = load_timeloop_mapping(timeloop_map_yaml(best, arch), arch, layer)
    assert analyze(layer, arch, back) == analyze(layer, arch, best)
    for ours, theirs in zip(best.levels, back.levels):
        assert ours.temporal == theirs.temporal and ours.bypass == theirs.bypass
        key = lambda loop: (loop.axis is Axis.X, loop.dim.name)  # noqa: E731
        assert sorted(ours.spatial, key=key) == sorted(theirs.spatial, key=key)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_map_txt_is_the_one_timeloop_writes(case):
    """Byte for byte the timeloop-model.map.txt Timeloop v3.0.3 wrote for the same mapping (timeloop-map.txt)."""
    arch = load_timeloop_arch(DESIGN / "arch.yaml", DESIGN / "ERT.yaml")
    layer = load_timeloop_problem(case / "problem.yaml")
    text = timeloop_map_txt(load_timeloop_mapping(case / "map.yaml", arch, layer), arch, layer)
    assert text == (case / "timeloop-map.txt").read_text()


def test_a_stride_change_refetches_the_whole_tile():
    """vgg16 CONV3_1 with DRAM loops C2 > Q4 > M2 over a buffer tile of 64 channels x 58 rows x 16 columns: each
    Q step moves it 14 columns (2 overlap), but the M loop inside changes its stride, so Timeloop fetches all 16
    columns: 3 Q steps x 2 columns x 64 x 58 x 2 C = 44,544 more buffer fills than the hardware needs."""
    case = DATA / "generated" / "vgg16_conv3_1_delay_energy"
    diff = api.timeloop_diff(str(DESIGN / "arch.yaml"), case / "problem.yaml", case / "map.yaml",
                             case / "stats.txt", ert=str(DESIGN / "ERT.yaml"))
    rows = {(r.level, r.tensor, r.action, r.convention): r for r in diff.rows}
    assert rows[("shared_glb", Tensor.IFMAP, "fills", "refetch when the stride changes")].count_delta == -44_544
    assert rows[("DRAM", Tensor.IFMAP, "reads", "refetch when the stride changes")].count_delta == -44_544
    assert rows[("shared_glb", Tensor.IFMAP, "fills", "refetch when the stride changes")].timeloop == 475_136


def test_a_loop_timeloop_cannot_express_is_an_error():
    from stationary.core import Dim
    from stationary.mapping import LevelMapping, Loop, Mapping
    arch = preset("eyeriss")
    m = Mapping((LevelMapping(temporal=(Loop(Dim.M, 2), Loop(Dim.C, 2), Loop(Dim.M, 2))), LevelMapping(),
                 LevelMapping()))
    with pytest.raises(StationaryError, match=r"level DRAM: field 'temporal' .*two temporal loops over M"):
        timeloop_map_yaml(m, arch)
    assert Tensor.WEIGHT.value == "weights"


def test_cli_evaluate_in_timeloop_mode_writes_and_prints_timeloop_forms(tmp_path, capsys):
    case = DATA / "cases" / "resnet50_res2a_2a"
    out_map = tmp_path / "back.map.yaml"
    args = ["evaluate", "--arch", str(DESIGN / "arch.yaml"), "--ert", str(DESIGN / "ERT.yaml"), "--problem",
            str(case / "problem.yaml"), "--mapping", str(case / "map.yaml")]
    assert main(args + ["--conventions", "timeloop", "--json", "--timeloop-map", str(out_map)]) == 0
    (layer,) = json.loads(capsys.readouterr().out)
    assert layer["conventions"] == "timeloop" and layer["cycles"] == 114_688       # stats.txt: Cycles 114688
    assert abs(layer["energy_pj"] / 1e6 - 144.73) < 0.0051                           # stats.txt: 144.73 uJ
    arch = load_timeloop_arch(DESIGN / "arch.yaml", DESIGN / "ERT.yaml")
    layer_ = load_timeloop_problem(case / "problem.yaml")
    assert load_timeloop_mapping(out_map, arch, layer_) == load_timeloop_mapping(case / "map.yaml", arch, layer_)
    assert main(args + ["--map-txt"]) == 0
    assert "psum_spad [ Outputs:4 (4) ] \n" in capsys.readouterr().out        # as timeloop-map.txt has it
    assert main(["evaluate", "alexnet", "--arch", "eyeriss", "--conventions", "timeloop"]) == 2


def test_cli_map_writes_timeloop_maps(tmp_path, capsys):
    """The mapper's CONV1 on the Eyeriss chip goes out as a Timeloop map.yaml and back with the same counts; a
    mapping Timeloop cannot express (two spatial loops over one dimension at a level) is an error naming it."""
    arch = preset("eyeriss")
    net = api.load_network("alexnet")
    for name in ("CONV1", "CONV5"):
        status = main(["map", "alexnet", "--layer", name, "--arch", "eyeriss", "--quiet", "--timeloop-dir",
                       str(tmp_path)])
        captured = capsys.readouterr()
        best = api.evaluate(net, arch, layers=[name], objective="energy").layers[0].mapping
        if status == 0:
            back = load_timeloop_mapping(tmp_path / f"{name}.map.yaml", arch, net[name])
            assert analyze(net[name], arch, back) == analyze(net[name], arch, best)
        else:
            assert status == 2 and f"layer {name}: " in captured.err and "a Timeloop directive" in captured.err
            with pytest.raises(StationaryError, match="one factor per dimension"):
                timeloop_map_yaml(best, arch)
