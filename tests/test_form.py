"""The benchmark form: the talk's Eyeriss form as data, round trips, the consistency check, loader errors, the CLI.

The talk's figures (slide "Website to Summarize DNN Results", copied here as printed): 65nm LP TSMC (1.0V),
0.073 mm2 and 1.14 kB per multiplier, measured; AlexNet, 100 images, 16 bits, batch 4, 409M non-zero MACs,
115.3 ms, 278 mW, 21.7 pJ/MAC, 0.005 DRAM operands/MAC. DRAM traffic 15.4 MB (the talk's chip slide).
"""
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from stationary.cli import main
from stationary.core import StationaryError
from stationary.report.form import BenchmarkForm, Evaluation, Flow, Status, check, inconsistent, load_form

DATA = Path(__file__).parent / "data"
TALK_PJ = 278e-3 * 115.3e-3 / (4 * 409e6) * 1e12          # 19.587... pJ


def by_name(findings):
    return {f.name: f for f in findings}


def test_eyeriss_form_is_the_talks():
    f = BenchmarkForm.eyeriss()
    assert (f.process, f.core_area_mm2_per_multiplier, f.on_chip_memory_kb_per_multiplier) == \
        ("65nm LP TSMC (1.0V)", 0.073, 1.14)
    assert (f.evaluation, f.flow, f.corner) == (Evaluation.MEASURED, None, None)
    assert (f.network, f.images_tested, f.bits_per_operand, f.batch, f.nonzero_macs_per_image) == \
        ("AlexNet", 100, 16, 4, 409_000_000)
    assert (f.runtime_ms, f.power_mw, f.energy_pj_per_nonzero_mac, f.dram_accesses_per_nonzero_mac, f.dram_mb) == \
        (115.3, 278, 21.7, 0.005, 15.4)
    assert "Website to Summarize DNN Results" in f.source


def test_check_reports_the_talks_energy_gap():
    found = by_name(check(BenchmarkForm.eyeriss()))
    energy = found["energy per non-zero MAC"]
    assert energy.status is Status.INCONSISTENT
    assert energy.computed == pytest.approx(TALK_PJ) and round(energy.computed, 1) == 19.6
    assert energy.relative_error == pytest.approx(21.7 / TALK_PJ - 1)                 # +10.8%
    assert "+10.8%" in str(energy)
    # what 21.7 pJ would need: 278 x 115.3 / 21.7 / 4 = 369M MACs per image; 21.7 x 1.636e9 / 115.3 = 307.9 mW
    assert "369M" in energy.note and "307.9 mW" in energy.note and "127.7 ms" in energy.note
    # 15.4e6 B / 2 B / 1.636e9 = 0.00471, within half a unit of the printed 0.005
    dram = found["DRAM accesses per non-zero MAC"]
    assert dram.status is Status.OK and dram.computed == pytest.approx(15.4e6 / 2 / (4 * 409e6))
    assert [f.name for f in inconsistent(check(BenchmarkForm.eyeriss()))] == ["energy per non-zero MAC"]


def test_tolerance_is_relative_to_the_computed_figure():
    form = BenchmarkForm.eyeriss()
    assert by_name(check(form, tolerance=0.11))["energy per non-zero MAC"].status is Status.OK
    assert by_name(check(form, tolerance=0.10))["energy per non-zero MAC"].status is Status.INCONSISTENT


def test_printed_precision_widens_the_tolerance():
    base = load_form(str(DATA / "form_simulated.yaml"))          # 2.0 MB of 8-bit operands / 5e8 MACs = 0.004
    from dataclasses import replace
    assert by_name(check(replace(base, dram_accesses_per_nonzero_mac=0.004)))[
        "DRAM accesses per non-zero MAC"].status is Status.OK
    wide = replace(base, dram_mb=2.2)                            # 0.0044: within half a unit of a printed 0.004
    assert by_name(check(wide, tolerance=0.0))["DRAM accesses per non-zero MAC"].status is Status.OK
    far = replace(base, dram_mb=2.3)                             # 0.0046: beyond 0.0045
    assert by_name(check(far, tolerance=0.0))["DRAM accesses per non-zero MAC"].status is Status.INCONSISTENT


def test_consistent_simulated_form():
    form = load_form(str(DATA / "form_simulated.yaml"))
    assert (form.evaluation, form.flow, form.corner) == (Evaluation.SIMULATED, Flow.PLACE_AND_ROUTE, "tt 0.9V 25C")
    found = check(form)
    assert all(f.status is Status.OK for f in found), [str(f) for f in found]
    assert by_name(found)["energy per non-zero MAC"].computed == pytest.approx(10.0)


def test_gaps_and_missing_figures():
    found = by_name(check(load_form(str(DATA / "form_dram_gap.json"))))
    assert found["energy per non-zero MAC"].status is Status.OK
    dram = found["DRAM accesses per non-zero MAC"]
    assert dram.status is Status.INCONSISTENT and dram.computed == pytest.approx(1.5)
    assert dram.relative_error == pytest.approx(-0.2)
    assert found["measured or simulated"].status is Status.INCOMPLETE              # syn without a corner
    assert found["core area per multiplier"].status is Status.INCOMPLETE
    from dataclasses import replace
    talk = BenchmarkForm.eyeriss()
    assert by_name(check(replace(talk, corner="ss")))["measured or simulated"].status is Status.INCONSISTENT
    assert by_name(check(replace(talk, images_tested=3)))["images tested"].status is Status.INCONSISTENT
    assert by_name(check(replace(talk, dram_mb=None)))["DRAM accesses per non-zero MAC"].status is Status.INCOMPLETE


def test_from_metrics_computes_per_mac_figures():
    # a run of 2 images: 6e8 non-zero MACs, 30 ms, 200 mW -> 6e-3 J / 6e8 = 10 pJ; 3e6 operands / 6e8 = 0.005
    f = BenchmarkForm.from_metrics(network="net", batch=2, nonzero_macs=600_000_000, runtime_ms=30, power_mw=200,
                                   dram_accesses=3e6)
    assert f.nonzero_macs_per_image == 300_000_000 and f.images_tested == 2
    assert f.energy_pj_per_nonzero_mac == pytest.approx(10.0)
    assert f.dram_accesses_per_nonzero_mac == pytest.approx(0.005) and f.dram_mb == pytest.approx(6.0)
    assert (f.evaluation, f.flow) == (Evaluation.SIMULATED, Flow.MODEL)
    assert BenchmarkForm.from_metrics(network="n", batch=1, nonzero_macs=5, runtime_ms=1, power_mw=1,
                                      measured=True).flow is None
    with pytest.raises(StationaryError, match="non-zero MACs"):
        BenchmarkForm.from_metrics(network="n", batch=1, nonzero_macs=0, runtime_ms=1, power_mw=1)


@pytest.mark.parametrize("form", [BenchmarkForm.eyeriss(), load_form(str(DATA / "form_simulated.yaml")),
                                  load_form(str(DATA / "form_dram_gap.json"))], ids=["eyeriss", "sim", "gap"])
def test_round_trip_json_and_yaml(tmp_path, form):
    (tmp_path / "f.json").write_text(json.dumps(form.json()))
    (tmp_path / "f.yaml").write_text(yaml.safe_dump(form.json()))
    assert load_form(str(tmp_path / "f.json")) == form == load_form(str(tmp_path / "f.yaml"))


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 64), st.integers(1, 10**12), st.floats(1e-3, 1e6), st.floats(1e-3, 1e5),
       st.one_of(st.none(), st.floats(0, 1e9)), st.sampled_from([1, 4, 8, 16, 32]), st.booleans())
def test_round_trip_any_run(batch, macs, runtime, power, dram, bits, measured):
    form = BenchmarkForm.from_metrics(network="x", batch=batch, nonzero_macs=macs, runtime_ms=runtime,
                                      power_mw=power, dram_accesses=dram, bits=bits, measured=measured)
    assert BenchmarkForm.from_dict(json.loads(json.dumps(form.json()))) == form
    # the per-image count is rounded, so the recomputed energy may differ by that rounding only
    assert by_name(check(form))["energy per non-zero MAC"].status is Status.OK


def test_markdown_has_the_talks_rows():
    md = BenchmarkForm.eyeriss().markdown()
    for row in ("| Process Technology | 65nm LP TSMC (1.0V) |", "| Measured or Simulated | Measured |",
                "| # of Non Zero MACs | # per image | 409M |", "| Runtime | ms per batch | 115.3 |",
                "| **Energy/non-zero MACs** | **pJ/MAC** | **21.7** |", "**0.005**"):
        assert row in md


@pytest.mark.parametrize("edit, field", [
    (lambda d: d["metrics"].update(colour="red"), "colour"),
    (lambda d: d["metrics"].pop("power_mw"), "power_mw"),
    (lambda d: d["metrics"].update(nonzero_macs_per_image="409X"), "nonzero_macs_per_image"),
    (lambda d: d["metrics"].update(power_mw=-1), "power_mw"),
    (lambda d: d["metrics"].update(batch=2.5), "batch"),
    (lambda d: d["asic_specs"].update(measured_or_simulated="guessed"), "measured_or_simulated"),
    (lambda d: d["asic_specs"].update(flow="gds"), "flow"),
    (lambda d: d.update(extra={}), "extra"),
    (lambda d: d.pop("metrics"), "metrics"),
])
def test_loader_errors_name_file_and_field(tmp_path, edit, field):
    data = BenchmarkForm.eyeriss().json()
    edit(data)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(StationaryError) as err:
        load_form(str(path))
    assert "bad.yaml" in str(err.value) and field in str(err.value)


def cli(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_check_exits_1_on_the_talks_form(capsys):
    status, out, _ = cli(capsys, "form", "eyeriss", "--check")
    assert status == 1 and "| Power | mW | 278 |" in out and "+10.8%" in out and "inconsistent" in out
    assert cli(capsys, "form", "eyeriss", "--check", "--tolerance", "0.2")[0] == 0
    assert cli(capsys, "form", "eyeriss")[0] == 0
    status, out, _ = cli(capsys, "form", "eyeriss", "--check", "--json")
    data = json.loads(out)
    assert status == 1 and data["form"]["metrics"]["power_mw"] == 278
    assert [f["status"] for f in data["findings"]][:2] == ["inconsistent", "consistent"]


def test_cli_writes_markdown_and_json(tmp_path, capsys):
    src = str(DATA / "form_simulated.yaml")
    assert cli(capsys, "form", src, "--check", "-o", str(tmp_path / "f.md"))[0] == 0
    assert "| Name of CNN | Text | VGG-16 |" in (tmp_path / "f.md").read_text()
    assert cli(capsys, "form", src, "-o", str(tmp_path / "f.json"))[0] == 0
    assert load_form(str(tmp_path / "f.json")) == load_form(src)
    status, out, _ = cli(capsys, "form", src, "--json")
    assert status == 0 and json.loads(out)["metrics"]["network"] == "VGG-16"


def test_cli_errors_exit_2(tmp_path, capsys):
    assert cli(capsys, "form", str(tmp_path / "none.yaml"))[0] == 2
    (tmp_path / "bad.json").write_text("{not json")
    status, _, err = cli(capsys, "form", str(tmp_path / "bad.json"))
    assert status == 2 and "bad.json" in err
