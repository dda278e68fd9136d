"""The memory-technology tables: every number sourced, the derived ones re-derived here, bad files rejected."""
from importlib import resources

import pytest
import yaml

from stationary.arch.technology import Basis, Status, technologies, technologies_from_yaml, technology
from stationary.core import StationaryError

FILES = ("memories", "logic", "sensor")


def _raw(name):
    return yaml.safe_load((resources.files("stationary") / "data" / "technology" / f"{name}.yaml").read_text())


@pytest.mark.parametrize("name", FILES)
def test_every_number_in_the_files_has_a_source_and_a_basis(name):
    # read with plain YAML, not with the loader under test
    for tech, entry in _raw(name)["technologies"].items():
        for quantity, candidates in entry["figures"].items():
            for figure in candidates:
                assert str(figure.get("source", "")).strip(), (tech, quantity)
                assert figure.get("basis") in ("measured", "published", "derived"), (tech, quantity)
                assert figure.get("status") in ("checked", "recalled", "arith"), (tech, quantity)
            if len(candidates) > 1:
                assert sum(bool(f.get("chosen")) for f in candidates) == 1, (tech, quantity)


def test_the_issue_s_technologies_are_all_there_with_their_figures():
    techs = technologies()
    for name in ("lpddr3", "ddr3", "ddr4", "hmc", "hbm2"):
        for quantity in ("energy_pj_per_bit", "bandwidth_gb_per_s", "latency_ns", "capacity_gb"):
            assert techs[name].value(quantity) > 0, (name, quantity)
    assert techs["sram_65nm"].value("energy_pj_per_bit") > 0 and techs["sram_22nm"].value("cell_area_um2") > 0
    assert techs["edram_22nm"].value("density_vs_sram") > 1
    rram = techs["rram"]
    assert rram.value("write_energy_pj_per_bit") > rram.value("read_energy_pj_per_bit")
    assert rram.value("endurance_writes") == 1e6 and len(rram.candidates("endurance_writes")) == 2


def test_where_sources_disagree_both_stay_and_the_choice_says_why():
    hmc = technology("hmc")
    values = [f.value for f in hmc.candidates("energy_pj_per_bit")]
    assert values == [3.7, 10.48] and "logic die" in hmc.figure("energy_pj_per_bit").chosen
    assert technology("lpddr3").figure("energy_pj_per_bit").basis is Basis.DERIVED


def _value(tech, quantity):
    return technology(tech).value(quantity)


def test_derived_figures_follow_from_the_figures_they_name():
    # each `arith` figure recomputed from its inputs (JEDEC rates and the cell areas are the inputs)
    assert _value("lpddr3", "bandwidth_gb_per_s") == pytest.approx(1600e6 * 32 / 8 / 1e9)
    assert _value("ddr3", "bandwidth_gb_per_s") == pytest.approx(1600e6 * 64 / 8 / 1e9)
    assert _value("ddr4", "bandwidth_gb_per_s") == pytest.approx(2400e6 * 64 / 8 / 1e9)
    assert _value("hbm2", "bandwidth_gb_per_s") == pytest.approx(1024 * 2e9 / 8 / 1e9)
    assert _value("hmc", "bandwidth_gb_per_s") == pytest.approx(_value("hmc", "vaults") *
                                                                _value("hmc", "vault_bandwidth_gb_per_s"))
    assert _value("hmc", "link_energy_pj_per_bit") == pytest.approx(10.48 - 3.7)
    assert _value("lpddr3", "energy_pj_per_bit") == pytest.approx(200 * 1.52 / 16)     # ISCA 2016 Table IV
    assert _value("sram_65nm", "energy_pj_per_bit") == pytest.approx(6 * 1.52 / 16)
    assert _value("ddr4", "energy_pj_per_bit") == pytest.approx(_value("ddr3", "energy_pj_per_bit") * (1.2 / 1.5) ** 2,
                                                               rel=1e-3)
    assert _value("edram_22nm", "density_vs_sram") == pytest.approx(
        _value("sram_22nm", "cell_area_um2") / _value("edram_22nm", "cell_area_um2"), rel=1e-3)
    assert _value("rram", "density_vs_sram") == pytest.approx(
        _value("sram_65nm", "cell_area_um2") / (_value("rram", "cell_area_f2") * 0.065 ** 2), rel=1e-3)
    assert _value("rram", "write_energy_pj_per_bit") == pytest.approx(100e-6 * 2 * 50e-9 * 1e12)
    logic = technology("logic_45nm")
    assert logic.value("sram_byte_area_um2") == pytest.approx(
        _value("sram_45nm", "cell_area_um2") * 8 / _value("sram_65nm", "array_efficiency"), rel=1e-3)
    assert logic.value("mac16_area_sram_bytes") == pytest.approx(
        logic.value("mac16_area_um2") / logic.value("sram_byte_area_um2"), rel=1e-3)
    assert _value("scaling", "energy_45nm_to_65nm") == pytest.approx(65 / 45 * (1.0 / 0.9) ** 2, rel=1e-3)
    for tech in technologies().values():
        for quantity in tech.quantities:
            for f in tech.candidates(quantity):
                assert f.status is not Status.ARITH or f.basis is Basis.DERIVED, (tech.name, quantity)


GOOD = """
source: test
technologies:
  fast:
    label: a memory
    class: stacked_dram
    figures:
      energy_pj_per_bit:
        - {value: 3.0, basis: published, status: recalled, source: "a paper"}
"""


def test_a_good_file_loads():
    assert technologies_from_yaml(GOOD, "t.yaml")["fast"].value("energy_pj_per_bit") == 3.0


@pytest.mark.parametrize("edit, message", [
    (('source: "a paper"', 'note: "no source"'), "t.yaml: technology fast: energy_pj_per_bit[0]: field 'source': missing"),
    (("value: 3.0", "value: -3.0"), "field 'value' = -3.0: must be a non-negative number"),
    (("energy_pj_per_bit", "bandwidth_gb_per_s"), None),
    (("basis: published", "basis: guessed"), "field 'basis' = 'guessed': must be one of measured, published, derived"),
    (("class: stacked_dram", "class: quantum"), "field 'class' = 'quantum'"),
])
def test_bad_files_name_the_file_the_field_and_the_value(edit, message):
    text = GOOD.replace(*edit)
    if message is None:   # a bandwidth of zero is rejected, a positive one loads
        technologies_from_yaml(text, "t.yaml")
        with pytest.raises(StationaryError, match="must be a positive number"):
            technologies_from_yaml(text.replace("value: 3.0", "value: 0"), "t.yaml")
        return
    with pytest.raises(StationaryError) as err:
        technologies_from_yaml(text, "t.yaml")
    assert message in str(err.value) and str(err.value).startswith("t.yaml")


def test_two_chosen_candidates_or_none_is_an_error():
    two = GOOD + '        - {value: 4.0, basis: measured, status: recalled, source: "b"}\n'
    with pytest.raises(StationaryError, match="exactly one candidate must say why"):
        technologies_from_yaml(two, "t.yaml")
    one = two.replace('source: "b"}', 'source: "b", chosen: "measured beats published"}')
    assert technologies_from_yaml(one, "t.yaml")["fast"].value("energy_pj_per_bit") == 4.0


def test_unknown_technology_and_quantity_are_errors():
    with pytest.raises(StationaryError, match="field 'technology' = 'sram_7nm': unknown technology"):
        technology("sram_7nm")
    with pytest.raises(StationaryError, match="no such figure"):
        technology("hmc").value("energy_pj_per_byte")
