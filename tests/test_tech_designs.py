"""The technology designs: built from the tables, equal areas held by the area model, editable YAML files, errors."""
import json
from pathlib import Path

import pytest

from stationary.arch import load_arch, preset
from stationary.arch.area import arch_area, level_area_bytes, logic_area_bytes, mac_area_bytes
from stationary.arch.designs import DESIGNS, design, mean_mesh_hops
from stationary.arch.technology import technology
from stationary.arch.yaml_io import arch_from_yaml, arch_to_yaml
from stationary.cli import main
from stationary.core import StationaryError, Tensor

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "arch"


def _engine_area(arch):
    return arch_area(arch) + logic_area_bytes(arch)


def test_tetris_trades_buffer_for_pes_at_the_eyeriss_engine_s_area():
    eyeriss, vault = design("eyeriss-lpddr"), design("tetris")
    assert vault.pes == 224 > eyeriss.pes == 168
    glb = vault.level_index("GLB")
    assert vault.levels[glb].size_words < eyeriss.levels[glb].size_words
    one_word = level_area_bytes(vault.levels[glb], 16) / vault.levels[glb].size_words
    assert 0 <= _engine_area(eyeriss) - _engine_area(vault) < one_word   # equal, up to rounding down to a word
    # by hand: 56 more PEs, each a 520-byte RF (1.6 units a byte) and a MAC, paid for with buffer bytes
    freed = (vault.pes - eyeriss.pes) * (520 * 1.6 + mac_area_bytes(16))
    assert (eyeriss.levels[glb].size_words - vault.levels[glb].size_words) * 2 == pytest.approx(freed, abs=2)


def test_edram_holds_density_ratio_more_words_than_sram_in_the_same_area():
    edram, sram = design("dadiannao-edram"), design("dadiannao-sram")
    e, s = edram.levels[edram.level_index("WStore")], sram.levels[sram.level_index("WStore")]
    ratio = technology("edram_22nm").value("density_vs_sram")
    assert e.size_words / s.size_words == pytest.approx(ratio, rel=1e-4)
    assert level_area_bytes(e, 16) == pytest.approx(level_area_bytes(s, 16), rel=1e-4)
    assert arch_area(edram) == pytest.approx(arch_area(sram), rel=1e-4)
    assert e.read_cost(Tensor.WEIGHT) == pytest.approx(s.read_cost(Tensor.WEIGHT))   # equal-area banks


def test_designs_take_their_memory_figures_from_the_tables():
    hmc, lp = technology("hmc"), technology("lpddr3")
    assert design("eyeriss-hmc").levels[0].read_cost(Tensor.IFMAP) == pytest.approx(hmc.value("energy_pj_per_bit") * 16)
    assert design("eyeriss-lpddr").levels[0].bandwidth_words_per_cycle == pytest.approx(6.4e9 / 2 / 200e6)
    assert design("tetris").levels[0].bandwidth_words_per_cycle == pytest.approx(10e9 / 2 / 200e6)
    assert design("eyeriss-hmc").levels[0].bandwidth_words_per_cycle == pytest.approx(160e9 / 2 / 200e6)
    reram = design("eyeriss-reram").levels[1]
    assert reram.write_cost(Tensor.WEIGHT) / reram.read_cost(Tensor.WEIGHT) == pytest.approx(10.0 / 1.08)
    assert design("eyeriss-lpddr").levels[0].read_cost(Tensor.WEIGHT) == pytest.approx(lp.value("energy_pj_per_bit") * 16)
    assert mean_mesh_hops(2) == pytest.approx(4 / 3)   # 2 x 2 mesh: 8 ordered pairs at 1 hop, 4 at 2


@pytest.mark.parametrize("name", sorted(DESIGNS))
def test_examples_load_through_the_validated_loader_as_the_presets(name):
    assert load_arch(str(EXAMPLES / f"{name}.yaml")) == preset(name) == design(name)
    assert arch_from_yaml(arch_to_yaml(design(name))) == design(name)


@pytest.mark.parametrize("edit, message", [
    (("technology: hmc", "technology: hmcc"), "t.yaml: level DRAM: field 'technology' = 'hmcc': unknown technology"),
    (("bandwidth: 25.0", "bandwidth: -25.0"), "t.yaml: level DRAM: field 'bandwidth' = -25.0: must be a positive number"),
    (("read_energy: 59.2", "read_energy: -59.2"), "t.yaml: level DRAM: field 'read_energy' = -59.2"),
    (("count: 16", "count: 0"), "t.yaml: nodes: field 'count' = 0: must be a positive integer"),
    (("  read_energy: 59.2\n", ""), "t.yaml: level DRAM: field 'read_energy': missing field"),
])
def test_bad_design_files_name_the_file_the_field_and_the_value(edit, message):
    text = (EXAMPLES / "tetris.yaml").read_text().replace(*edit, 1)
    with pytest.raises(StationaryError) as err:
        arch_from_yaml(text, source="t.yaml")
    assert message in str(err.value)


def test_a_resident_level_must_exist_and_keep_weights():
    text = (EXAMPLES / "dadiannao-edram.yaml").read_text().replace("resident_weights: WStore", "resident_weights: GLBX")
    with pytest.raises(StationaryError, match="field 'resident_weights' = 'GLBX'"):
        arch_from_yaml(text, source="d.yaml")


NET = """network: tiny
layers:
  - {name: CONV1, kind: conv, M: 16, C: 3, H: 10, W: 10, R: 3, S: 3}
  - {name: CONV2, kind: conv, M: 16, C: 16, H: 8, W: 8, R: 3, S: 3}
  - {name: FC, kind: fc, M: 16, C: 576}
"""


def test_cli_tech_json_has_the_issue_s_fields(tmp_path, capsys):
    net = tmp_path / "tiny.yaml"
    net.write_text(NET)
    assert main(["tech", str(net), "--designs", "eyeriss,eyeriss-hmc,tetris", "--json", "--quiet"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["design"] for r in rows] == ["eyeriss-lpddr", "eyeriss-hmc", "tetris"]
    for r in rows:
        for key in ("design", "energy_pj", "energy_per_mac", "latency_ms", "area_mm2", "dram_energy_pj", "by_level",
                    "vs_baseline"):
            assert key in r
        assert r["energy_unit"] == "pJ" and sum(r["by_level"].values()) == pytest.approx(r["energy_pj"])
        assert r["energy_per_mac"] == pytest.approx(r["energy_pj"] / r["macs"])
        assert r["dram_energy_pj"] == pytest.approx(r["by_level"]["DRAM"])
    assert rows[0]["vs_baseline"] == {"baseline": "eyeriss-lpddr", "energy_relative": 1.0, "latency_relative": 1.0}
    assert rows[1]["dram_energy_pj"] < rows[0]["dram_energy_pj"]         # 3.7 against 19 pJ/bit
    assert rows[2]["nodes"] == 16 and set(rows[2]["splits"]) == {"CONV1", "CONV2", "FC"}


def test_cli_tech_table_prints_the_papers_claims(tmp_path, capsys):
    net = tmp_path / "tiny.yaml"
    net.write_text(NET)
    assert main(["tech", str(net), "--designs", "eyeriss,tetris", "--quiet", "--plot", str(tmp_path / "t.png")]) == 0
    out = capsys.readouterr().out
    assert "tetris vs eyeriss-lpddr: paper 4.1x faster, 1.5x less energy" in out
    assert (tmp_path / "t.png").stat().st_size > 0


def test_cli_tech_unknown_design_is_one_line(capsys):
    assert main(["tech", "alexnet", "--designs", "eyeriss,warp-drive", "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "'warp-drive'" in err


def test_evaluate_refuses_an_array_of_engines_rather_than_count_one():
    from stationary import api
    with pytest.raises(StationaryError, match="array of 16 engines: evaluate it with api.evaluate_design"):
        api.evaluate("alexnet", "tetris")
