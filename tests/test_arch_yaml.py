"""Arch spec files: round trips on every preset, the documented example, and errors that name file, level,
field and value."""
from pathlib import Path

import pytest

from stationary.arch import PRESETS, arch_from_yaml, arch_to_yaml, load_arch, preset
from stationary.arch.spec import StorageKind, Unit
from stationary.arch.yaml_io import energy_table
from stationary.core import StationaryError, Tensor

EXAMPLE = Path(__file__).parents[1] / "examples" / "arch" / "eyeriss-256.yaml"

GOOD = """\
name: t
unit: MAC
word_bits: 16
clock_mhz: 200
levels:
  - {name: DRAM, kind: dram, keeps: [weights, inputs, outputs], read_energy: 200, write_energy: 200}
  - name: GLB
    kind: buffer
    keeps: [weights, inputs, outputs]
    size_kb: 108
    partitions:
      - {tensors: [weights], size_kb: 8}
      - {tensors: [inputs, outputs], size_kb: 100}
    read_energy: 6
    write_energy: 6
  - name: RF
    kind: rf
    keeps: [weights, inputs, outputs]
    size_words: 260
    fanout: [14, 12]
    read_energy: {weights: 1, inputs: 1, outputs: 1}
    write_energy: 1
    network_energy: 2
mac: {energy: 1}
"""


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_round_trips(name, tmp_path):
    arch = preset(name)
    path = tmp_path / f"{name}.yaml"
    path.write_text(arch_to_yaml(arch))
    assert load_arch(str(path)) == arch
    assert load_arch(name) == arch


def test_fields_read_as_written():
    arch = arch_from_yaml(GOOD, source="t.yaml")
    glb, rf = arch.levels[1], arch.levels[2]
    # 108 kB of 16-bit words = 108 * 1024 / 2; the 8 kB filter part = 4096 words
    assert glb.size_words == 55296 and glb.partitions[0] == (frozenset({Tensor.WEIGHT}), 4096)
    assert (rf.fanout_x, rf.fanout_y, rf.network_energy, arch.pes) == (14, 12, 2.0, 168)
    assert arch.unit is Unit.MAC and glb.kind is StorageKind.BUFFER


def test_documented_example_loads():
    arch = load_arch(str(EXAMPLE))
    # 128 kB = 65,536 16-bit words; 16 x 16 PEs
    assert (arch.pes, arch.levels[1].size_words, arch.levels[1].bandwidth_words_per_cycle) == (256, 65536, 16.0)


def test_energy_tables_name_their_source():
    costs, source = energy_table("isca2016_normalized")
    # ISCA 2016 Table IV, normalized to one MAC
    assert costs == {"MAC": 1.0, "RF": 1.0, "array": 2.0, "buffer": 6.0, "DRAM": 200.0}
    assert "ISCA 2016" in source
    costs, source = energy_table("accelergy_45nm_eyeriss_like")
    assert costs["DRAM"] == 128.0 and "Timeloop" in source  # 512 pJ per 4-word block
    with pytest.raises(StationaryError, match="no such energy table"):
        energy_table("nope")


def _error(text: str) -> str:
    with pytest.raises(StationaryError) as info:
        arch_from_yaml(text, source="spec.yaml")
    return str(info.value)


@pytest.mark.parametrize("old, new, expected", [
    ("size_kb: 108\n", "size_kib: 108\n", "spec.yaml: level GLB: field 'size_kib' = 108: unknown key"),
    ("clock_mhz: 200\n", "", "spec.yaml: field 'clock_mhz': missing field"),
    ("    size_words: 260\n", "", "spec.yaml: level RF: field 'size_words': missing field"),
    ("size_words: 260", "size_words: 0", "spec.yaml: level RF: field 'size_words' = 0: must be a positive"),
    ("size_words: 260", "size_words: many", "level RF: field 'size_words' = 'many'"),
    ("size_kb: 108\n", "size_kb: 0.0001\n", "level GLB: field 'size_kb' = 0.0001: is not a whole number"),
    ("size_kb: 100}", "size_kb: 99}", "level GLB: field 'partitions' = 54784: partitions add up to 54784 words"),
    ("kind: rf", "kind: sram", "level RF: field 'kind' = 'sram': unknown kind"),
    ("fanout: [14, 12]", "fanout: [14]", "level RF: field 'fanout' = [14]"),
    ("fanout: [14, 12]", "fanout: [14, -1]", "level RF: field 'fanout[1]' = -1"),
    ("{weights: 1, inputs: 1, outputs: 1}", "{weights: 1, inputs: 1}", "field 'read_energy.outputs': missing"),
    ("{weights: 1, inputs: 1, outputs: 1}", "{weights: 1, inputs: 1, outputs: -1}",
     "field 'read_energy.outputs' = -1"),
    ("{weights: 1, inputs: 1, outputs: 1}", "{weights: 1, inputs: 1, outputs: 1, bias: 1}",
     "field 'read_energy.bias' = 'bias': unknown tensor"),
    ("keeps: [weights, inputs, outputs]\n    size_words", "keeps: [weights, psums, outputs]\n    size_words",
     "level RF: field 'keeps'"),
    ("unit: MAC", "unit: joules", "spec.yaml: arch t: field 'unit' = 'joules'"),
    ("word_bits: 16", "word_bits: true", "field 'word_bits' = True"),
    ("mac: {energy: 1}", "mac: {energy: 1, width: 2}", "spec.yaml: mac: field 'width' = 2: unknown key"),
    ("mac: {energy: 1}", "mac: {}", "spec.yaml: mac: field 'energy': missing field"),
    ("name: DRAM, kind: dram", "name: DRAM, kind: dram, fanout: [2, 1]", "level DRAM: field 'fanout' = [2, 1]"),
    ("name: GLB\n    kind: buffer", "name: GLB\n    kind: dram", "level GLB: field 'kind' = 'dram'"),
    ("name: t\n", "name: t\nname2: u\n", "spec.yaml: field 'name2' = 'u': unknown key"),
    ("levels:", "levels: []\nxlevels:", "spec.yaml: field 'xlevels'"),
    ("  - name: GLB", "  - name: DRAM", "level names must be unique"),
    ("clock_mhz: 200", "clock_mhz: [", "spec.yaml: line"),
])
def test_errors_name_file_level_field_value(old, new, expected):
    assert old in GOOD
    assert expected in _error(GOOD.replace(old, new, 1))


def test_top_level_must_be_a_mapping():
    assert "spec.yaml: must be a mapping" in _error("- 1\n- 2\n")
    assert "spec.yaml: must be a mapping" in _error("")


def test_load_arch_names_what_it_could_not_find(tmp_path):
    with pytest.raises(StationaryError, match=r"field 'arch' = 'nowhere\.yaml': neither a preset"):
        load_arch("nowhere.yaml")
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("size_words: 260", "size_words: -4"))
    with pytest.raises(StationaryError, match=r"bad\.yaml: level RF: field 'size_words' = -4"):
        load_arch(str(path))
