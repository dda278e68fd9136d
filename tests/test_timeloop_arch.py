"""Timeloop architecture files and Accelergy ERTs read into an Arch (tests/data/timeloop/README.md: provenance).

Figures come from the files themselves (the ERT's pJ per block, the arch's depths, widths and instance ranges) and
from the hand-made ``timeloop-eyeriss-like`` preset, which must count every case the same way.
"""
import json
from pathlib import Path

import pytest

from stationary import api
from stationary.arch import preset
from stationary.arch.spec import StorageKind
from stationary.arch.accelergy import load_ert
from stationary.arch.timeloop import load_timeloop_arch
from stationary.core import StationaryError, Tensor
from stationary.mapping import load_timeloop_mapping, load_timeloop_problem
from stationary.model import analyze

DATA = Path(__file__).parent / "data" / "timeloop"
DESIGN = DATA / "design"
ARCH, ERT, CONSTRAINTS = DESIGN / "arch.yaml", DESIGN / "ERT.yaml", DESIGN / "arch_constraints.yaml"
CASES = sorted(p for p in (DATA / "cases").iterdir() if p.is_dir())


def test_levels_fanouts_and_sizes_follow_the_file():
    arch = load_timeloop_arch(ARCH, ERT)
    # DRAM; shared_glb 16,384 blocks of 4 words; DummyBuffer[0..13] depth 16; PE[0..167] (meshX 14 -> 12 along Y)
    assert [(l.name, l.size_words, l.fanout_x, l.fanout_y) for l in arch.levels] == [
        ("DRAM", None, 1, 1), ("shared_glb", 65536, 1, 1), ("DummyBuffer", 16, 14, 1),
        ("ifmap_spad", 12, 1, 12), ("weights_spad", 192, 1, 1), ("psum_spad", 16, 1, 1)]
    assert arch.pes == 168 and arch.word_bits == 16
    # without constraints every level may keep every tensor: the map.yaml's datatype directives choose
    assert all(level.keeps == frozenset(Tensor) for level in arch.levels)


def test_energies_are_the_erts_per_block_figures_over_the_block_size():
    arch = load_timeloop_arch(ARCH, ERT)
    glb, dram = arch.levels[1], arch.levels[0]
    assert glb.read_cost(Tensor.IFMAP) == pytest.approx(74.1442 / 4)   # ERT shared_glb read, blocks of 4
    assert glb.write_cost(Tensor.PSUM) == pytest.approx(75.2148 / 4)   # ERT shared_glb write
    assert dram.read_cost(Tensor.WEIGHT) == pytest.approx(512.0 / 4)
    assert arch.levels[3].read_cost(Tensor.IFMAP) == pytest.approx(0.236322)
    assert arch.mac.mac_energy == pytest.approx(2.20035)               # mac_random, the most expensive action


def test_constraints_give_the_presets_tensors_and_a_dummy_level():
    arch = load_timeloop_arch(ARCH, ERT, CONSTRAINTS)
    hand = preset("timeloop-eyeriss-like")
    assert [(l.name, l.keeps, l.kind) for l in arch.levels] == [(l.name, l.keeps, l.kind) for l in hand.levels]
    assert arch.levels[2].kind is StorageKind.DUMMY


def test_v04_form_reads_the_same_design():
    v04 = load_timeloop_arch(DESIGN / "arch_v04.yaml", ERT)
    v03 = load_timeloop_arch(ARCH, ERT, CONSTRAINTS)
    assert v04.levels == v03.levels and v04.mac == v03.mac


def test_ert_summary_form():
    summary = """ERT_summary:
  version: 0.4
  table_summary:
  - name: system.eyeriss.PE[0..167].mac
    actions:
    - {name: mac_random, energy: 2.20035}
  - name: system.eyeriss.shared_glb
    actions:
    - {name: read, max_energy: 74.1442, min_energy: 1.0, average_energy: 40.0}
"""
    ert = load_ert(summary)
    assert ert["mac"]["mac_random"] == 2.20035 and ert["shared_glb"]["read"] == 74.1442


@pytest.mark.parametrize("case", CASES + [None], ids=[c.name for c in CASES] + ["alexnet_conv1"])
def test_every_case_counts_as_on_the_preset(case):
    problem, mapping = ((case / "problem.yaml", case / "map.yaml") if case else
                        (DATA / "conv1.problem.yaml", DATA / "conv1.map.yaml"))
    layer = load_timeloop_problem(problem)
    counts = []
    for arch in (load_timeloop_arch(ARCH, ERT), preset("timeloop-eyeriss-like")):
        counts.append(analyze(layer, arch, load_timeloop_mapping(mapping, arch, layer)))
    assert counts[0] == counts[1]


def test_api_and_load_arch_route_timeloop_files():
    assert api.load_arch(str(ARCH), ert=str(ERT)).levels == load_timeloop_arch(ARCH, ERT).levels
    with pytest.raises(StationaryError, match=r"arch\.yaml: .*DRAM: field 'ert': no energy .*--ert"):
        api.load_arch(str(ARCH))


def _write(tmp_path, text, name="arch.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("change, message", [
    (("class: intmac", "class: fpga_lut"), r"field 'class' = 'fpga_lut': unknown class"),
    (("                  memory_depth: 192\n", ""), r"weights_spad: field 'depth': missing attribute"),
    (("meshX: 14", "meshX: 5"), r"DummyBuffer: field 'meshX' = 5: does not divide the 14 instances"),
])
def test_bad_arch_files_name_file_key_and_value(tmp_path, change, message):
    text = ARCH.read_text()
    assert change[0] in text
    path = _write(tmp_path, text.replace(change[0], change[1], 1))
    with pytest.raises(StationaryError, match=message):
        load_timeloop_arch(path, ERT)


def test_ert_missing_an_action_or_a_component_is_an_error_not_a_default(tmp_path):
    text = ERT.read_text()
    no_write = text.replace("    - name: write\n      arguments: null\n      energy: 1.58552\n", "")
    assert no_write != text
    with pytest.raises(StationaryError, match=r"ERT\.yaml: weights_spad: field 'actions' = .*no 'write' action"):
        load_timeloop_arch(ARCH, _write(tmp_path, no_write, "ERT.yaml"))
    no_psum = text.replace("system.eyeriss.PE[0..167].psum_spad", "system.eyeriss.PE[0..167].other")
    with pytest.raises(StationaryError, match=r"ERT\.yaml: field 'name' = 'psum_spad': no ERT entry"):
        load_timeloop_arch(ARCH, _write(tmp_path, no_psum, "ERT.yaml"))
    with pytest.raises(StationaryError, match=r"ERT\.yaml: field 'ERT' = \['x'\]: not an Accelergy ERT"):
        load_ert(_write(tmp_path, "x: 1\n", "ERT.yaml"))


def test_cli_evaluates_the_design_files_with_the_erts_energies(capsys):
    from stationary.cli import main
    args = ["evaluate", "--arch", str(ARCH), "--ert", str(ERT), "--problem", str(DATA / "conv1.problem.yaml"),
            "--mapping", str(DATA / "conv1.map.yaml"), "--json"]
    assert main(args) == 0
    (layer,) = json.loads(capsys.readouterr().out)
    rows = {(a["level"], a["tensor"]): a for a in layer["accesses"]}
    assert rows[("DRAM", "weights")]["reads"] == 1_916_640          # Timeloop's figure (conv1 reference)
    # the ERT's unrounded energy: DRAM weights cost 512 pJ per 4-word block
    assert rows[("DRAM", "weights")]["energy_pj"] == pytest.approx(1_916_640 * 128.0)
    assert layer["cycles"] == 798_600
    assert main(args[:3] + args[5:]) == 2                             # a Timeloop arch without its ERT
    assert "give the Accelergy ERT" in capsys.readouterr().err


def test_a_timeloop_arch_writes_to_our_format_and_back():
    """Ports, block size and tensors kept survive stationary's own arch YAML."""
    from stationary.arch.yaml_io import arch_from_yaml, arch_to_yaml
    for constraints in (None, CONSTRAINTS):
        arch = load_timeloop_arch(ARCH, ERT, constraints)
        assert arch_from_yaml(arch_to_yaml(arch)) == arch
    glb = load_timeloop_arch(ARCH, ERT).levels[1]
    assert (glb.read_bandwidth_words_per_cycle, glb.write_bandwidth_words_per_cycle, glb.block_words) == (16, 16, 4)
