"""The platform layer: parsing, composition rules, the comparison's arithmetic, and each accelerator cell equal to
what `stationary evaluate` reports for the same configuration (the table adds no model)."""
from __future__ import annotations

import pytest

from stationary.core import StationaryError
from stationary.platform import CrossLevel, Platform, PlatformKind, PlatformResult, TechniqueKind, parse_techniques
from stationary.platform.run import evaluate
from stationary.workload import Network, conv, fc


def test_platforms_parse_by_name_and_kind():
    assert Platform.parse("eyeriss") == Platform(PlatformKind.ACCELERATOR, "eyeriss")
    assert Platform.parse("gpu:GP100") == Platform(PlatformKind.PROCESSOR, "gp100")
    assert Platform.parse("isaac") == Platform(PlatformKind.CIM, "isaac")
    assert Platform.parse("acc:my.yaml").target == "my.yaml"
    for bad in ("tpu", "fpga:x", "gpu:", ""):
        with pytest.raises(StationaryError, match="platform"):
            Platform.parse(bad)


def test_techniques_parse_and_refuse_two_of_a_kind():
    sets = parse_techniques("winograd+int8+prune:0.5+asp")
    assert [t.kind for t in sets] == [TechniqueKind.ALGORITHM, TechniqueKind.PRECISION, TechniqueKind.PRUNING,
                                      TechniqueKind.SENSOR]
    assert str(sets[0]) == "winograd" and sets[1].bits == 8 and sets[2].sparsity == 0.5
    # a bare winograd takes the r of the network's main stride-1 filters: AlexNet's 3 x 3 (CONV3-5 carry more MACs
    # than CONV2's 5 x 5: 149.5M + 112.1M + 74.8M against 223.9M), LeNet-5's 5 x 5
    from stationary.platform.spec import resolve
    from stationary.workload import load_network
    assert str(resolve(sets, load_network("alexnet"))[0]) == "winograd:2,3"
    assert str(resolve(sets, load_network("lenet5"))[0]) == "winograd:2,5"
    assert str(parse_techniques("winograd:4,3")[0]) == "winograd:4,3"
    assert parse_techniques("none") == () == parse_techniques("")
    for bad, match in (("winograd+fft", "one algorithm"), ("int8+int4", "one precision"), ("int1", "int2"),
                       ("prune:1.5", "fraction"), ("prune:x", "fraction"), ("magic", "unknown technique")):
        with pytest.raises(StationaryError, match=match):
            parse_techniques(bad)


def test_incompatible_combinations_are_rows_with_reasons():
    crossbar = Platform.parse("cim:isaac")
    for techniques, words in (("winograd", "analog step"), ("int8", "16-bit"), ("asp", "retrained")):
        row = evaluate("lenet5", crossbar, parse_techniques(techniques))
        assert not row.valid and words in row.reason and row.energy_pj is None
    row = evaluate("alexnet", crossbar)
    assert not row.valid and "no trained weights" in row.reason
    assert "9 x 9" in evaluate("lenet5", Platform.parse("cim:sram-binary")).reason


def test_savings_and_interactions_are_ratios_of_rows():
    R = PlatformResult
    rows = (R("a", "accelerator", (), "n", 10, 200.0), R("a", "accelerator", ("x",), "n", 10, 100.0),
            R("a", "accelerator", ("y",), "n", 10, 50.0), R("a", "accelerator", ("x", "y"), "n", 10, 40.0),
            R("b", "processor", (), "n", 10, 400.0), R("b", "processor", ("x",), "n", 10, 400.0),
            R("c", "cim", ("x",), "n", 10, valid=False, reason="no"))
    c = CrossLevel("n", rows)
    assert c.baseline is rows[0]
    assert c.saving(rows[4]) == 0.5 and c.saving(rows[6]) is None
    assert c.technique_saving("a", ("x",)) == 2.0 and c.technique_saving("b", ("x",)) == 1.0
    (i,) = c.interactions()
    assert i.expected == 8.0 and i.measured == 5.0 and i.ratio == 0.625
    assert [r["saving_vs_baseline"] for r in c.json()][:2] == [1.0, 2.0]


def _tiny() -> Network:
    return Network("tiny", (conv("CONV1", 8, 3, 16, 3, pad=1), conv("CONV2", 16, 8, 16, 3, pad=1),
                            fc("FC1", 10, 16 * 16 * 16)))


def test_accelerator_cell_is_the_evaluate_command():
    from stationary import api
    from stationary.arch.presets import preset
    from stationary.chip.figures import pj_arch
    net = _tiny()
    row = evaluate(net, Platform.parse("eyeriss"))
    direct = api.evaluate(net, pj_arch(preset("eyeriss")), dataflow="rs", objective="energy")
    sensor = row.energy_by_component_pj["sensor"]
    assert row.energy_pj - sensor == pytest.approx(direct.energy_total, rel=1e-12)
    assert row.macs == direct.macs and row.latency_ms == pytest.approx(sum(r.latency.latency_ms for r in direct.layers))
    # the imager: one 8-bit conversion per pixel of the 16 x 16 frame (stationary.sensor's arithmetic)
    from stationary.sensor.frontend import imager
    assert sensor == imager(16, 16).energy_pj


def test_accelerator_precision_and_pruning_follow_the_energy_rules():
    from stationary.precision.energy import mac_energy_pj
    net = _tiny()
    base = evaluate(net, Platform.parse("eyeriss"))
    narrow = evaluate(net, Platform.parse("eyeriss"), parse_techniques("int8"))
    # compute scales by the bit-width rule; every word moved by 8/16 (the same mapping: counts do not depend on bits)
    assert narrow.energy_by_component_pj["compute"] == pytest.approx(
        base.energy_by_component_pj["compute"] * mac_energy_pj(8, 8) / mac_energy_pj(16, 16))
    assert narrow.energy_by_component_pj["DRAM"] == pytest.approx(base.energy_by_component_pj["DRAM"] / 2)
    assert narrow.dram_bytes == pytest.approx(base.dram_bytes / 2)


def test_design_cell_is_the_tech_command():
    from stationary import api
    net = _tiny()
    row = evaluate(net, Platform.parse("eyeriss-hmc"))
    design = api.evaluate_design(net, "eyeriss-hmc", objective="energy")
    assert row.energy_pj - row.energy_by_component_pj["sensor"] == pytest.approx(design.energy_pj, rel=1e-12)
    assert row.latency_ms == pytest.approx(design.latency_ms) and row.area_mm2 == pytest.approx(design.area_mm2)


def test_processor_cell_is_the_roofline_at_rated_power():
    from stationary import api
    net = _tiny()
    row = evaluate(net, Platform.parse("gpu:gp100"), parse_techniques("winograd"))
    roof = api.roofline(net, "gp100", "winograd:2,3")
    assert row.latency_ms == pytest.approx(roof.predicted_ms)
    assert row.energy_by_component_pj["device (rated power x time)"] == pytest.approx(300.0 * roof.predicted_ms * 1e9)
    pruned = evaluate(net, Platform.parse("gpu:gp100"), parse_techniques("winograd+prune"))
    assert pruned.energy_pj == row.energy_pj and "do not skip" in " ".join(pruned.notes)


def test_cim_cell_is_the_cim_command_and_pruning_saves_no_crossbar_energy():
    """Untrained LeNet-5 weights suffice to hold the cell equal to `stationary cim` (accuracy is whatever they give)."""
    from stationary import api
    from stationary.infer import build, load_mnist
    from stationary.infer.weights import save_weights
    from stationary.platform.trained import Trained
    model = build("lenet5")
    t = Trained(model, load_mnist(), "", samples=12, epochs=1, finetune_epochs=0)
    row = evaluate("lenet5", Platform.parse("cim:isaac"), (), t)
    import os
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "w.npz")
        save_weights(path, model)
        direct = api.cim("isaac", "lenet5", weights=path, samples=12, seed=0)
    assert row.energy_pj - row.energy_by_component_pj["sensor"] == pytest.approx(direct.energy_pj_per_inference)
    assert row.accuracy == direct.accuracy and row.macs == direct.macs_per_inference
    pruned = evaluate("lenet5", Platform.parse("cim:isaac"), parse_techniques("prune:0.9"), t)
    # every row is driven and every column converted whatever the cells hold; what moves is input-dependent (a
    # pruned layer's outputs feed the next layer's bit-serial inputs): well under 1 %, against 10x fewer weights
    assert pruned.energy_pj == pytest.approx(row.energy_pj, rel=0.01)
