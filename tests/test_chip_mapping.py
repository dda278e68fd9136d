"""The chip's configuration as one ordinary mapping: its remainders, the simulator's check on a real layer, the
same figures as `evaluate --arch eyeriss` for the same mapping, and the link's stalls."""
import pytest

from stationary.arch import preset
from stationary.chip.configuration import configure
from stationary.chip.model import chip_result
from stationary.chip.run import chip_data, layer_figures, run_chip
from stationary.core import Dim
from stationary.model.evaluate import NetworkResult
from stationary.report.results import network_json
from stationary.sim import count_accesses
from stationary.workload import load_network

ARCH = preset("eyeriss")


def table(c):
    return ({(e.level, e.tensor): (e.reads, e.fills, e.updates, e.drains) for e in c.levels},
            {(n.level, n.tensor): n.transfers for n in c.network}, c.steps, c.units_used)


def test_conv1_strips_are_one_loop_with_a_remainder():
    """55 output rows: 8 strips on a temporal E loop, 7 rows on the array, the last strip 6 (JSSC 2017: 11 x 7)."""
    conv1 = load_network("alexnet", 4)["CONV1"]
    r = chip_result(conv1, ARCH)
    e_loops = [(lvl, loop) for lvl, loop in r.mapping.nest() if loop.dim is Dim.E]
    assert [(l.bound, l.residual, l.spatial) for _, l in e_loops] == [(8, 8, False), (7, 6, True)]
    assert r.mapping.extents() == conv1.dims and r.layer.macs == conv1.macs
    # time-averaged busy PEs: 7 strips on 2 sets of 11 x 7, the last on 2 x 11 x 6
    assert round(r.layer.macs / r.latency.compute_cycles) == round((7 * 154 + 132) / 8)


def test_the_chips_mapping_passes_the_simulator_on_a_real_layer():
    """GoogLeNet inception_3a/5x5_reduce: 27 output rows as 14 + 13 on the array, counted word by word."""
    layer = load_network("googlenet", 1)["inception_3a/5x5_reduce"]
    assert configure(layer).strips == (14, 13)
    r = chip_result(layer, ARCH)
    assert not r.mapping.perfect
    assert table(count_accesses(layer, ARCH, r.mapping, validate=False)) == table(r.counts)


@pytest.fixture(scope="module")
def alexnet_run():
    net = load_network("alexnet", 4)
    return net, run_chip(net)


def test_chip_and_evaluate_report_the_same_figures_for_the_same_mapping(alexnet_run):
    """`evaluate --arch eyeriss --json` on the chip's mappings gives the chip's figures, field for field."""
    net, run = alexnet_run
    rows = network_json(NetworkResult(net.name, ARCH, run.results))
    for row, fig in zip(rows, run.layers):
        chip = fig.json()
        assert {k: row[k] for k in chip} == chip


def test_the_mapper_comparison_uses_the_same_figures(alexnet_run):
    net, run = alexnet_run
    convs = [l for l in net.layers if l.kind.name == "CONV"]
    again = layer_figures(run.results[2], run.densities, convs, 2)
    assert again == run.layers[2]


def test_stalls_on_the_link_lengthen_the_strip_mined_layers(alexnet_run):
    _, run = alexnet_run
    for fig in run.layers:
        assert fig.latency_ms >= fig.processing_latency_ms
    assert run.layers[0].stall_cycles > 0 and run.layers[1].stall_cycles > 0


def test_recalled_per_layer_figures_add_up_to_the_published_totals():
    """JSSC 2017's AlexNet table (recalled) against the totals the talk prints: 115.3 ms, 278 mW, 15.4 MB DRAM,
    208.5 MB buffer, 148 active PEs (latency-weighted)."""
    alex = chip_data()["measured"]["alexnet"]
    layers = alex["layers"]
    latency = sum(l["latency_ms"] for l in layers.values())
    assert abs(latency - alex["latency_ms"]) < 0.05
    assert abs(sum(l["power_mw"] * l["latency_ms"] for l in layers.values()) / latency - alex["power_mw"]) < 0.5
    assert abs(sum(l["dram_mb"] for l in layers.values()) - alex["dram_mb"]) < 0.05
    assert abs(sum(l["glb_mb"] for l in layers.values()) - alex["glb_mb"]) < 0.15
    pes = sum(l["active_pes"] * l["latency_ms"] for l in layers.values()) / latency
    assert round(pes) == 148


def test_chip_json_gives_the_chip_and_the_mappers_figures_per_layer(tmp_path, capsys):
    """`stationary chip NET --json`: per layer the chip's figures and, under "evaluate", the mapper's on the same
    arch, with how much better or worse the mapper's mapping is."""
    import json
    from stationary.cli import main
    from stationary.workload.files import network_to_yaml
    from stationary.workload.network import Network
    layer = load_network("googlenet", 1)["inception_3a/5x5_reduce"]
    path = tmp_path / "one.yaml"
    path.write_text(network_to_yaml(Network("one", (layer,))))
    assert main(["chip", str(path), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["layers"]
    for key in ("layer", "active_pes", "latency_ms", "power_mw", "dram_mb", "stall_ms"):
        assert key in row and key in row["evaluate"] or key == "layer"
    assert row["active_pes"] == round(layer.macs / (row["processing_latency_ms"] * 200e3))
    assert row["mapper_energy_change_relative"] == pytest.approx(row["evaluate"]["energy_uj"] / row["energy_uj"] - 1)
