"""AccelForge's chosen mapping read into our model (benchmarks/accelforge_convert.py) and its example Eyeriss as our
arch file (the preset ``accelforge-eyeriss``, src/stationary/data/arch/accelforge-eyeriss.yaml).

The reference is AccelForge 1.0.467 itself (an independent implementation): a small layer it mapped on its
examples/arches/eyeriss.yaml, its mapping and action counts copied in tests/data/accelforge/tiny-conv.json.
"""
import doctest
import json
import sys
from pathlib import Path

import pytest

from stationary.arch import load_arch
from stationary.cli import main
from stationary.core import StationaryError, Tensor
from stationary.mapping import load_mapping_yaml
from stationary.model import evaluate
from stationary.workload.builders import conv

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import accelforge_convert as ac  # noqa: E402

ARCH = "accelforge-eyeriss"
ARCH_FILE = ROOT / "src" / "stationary" / "data" / "arch" / "accelforge-eyeriss.yaml"
PEER = json.loads((ROOT / "tests" / "data" / "accelforge" / "tiny-conv.json").read_text())
LEVELS = ("MainMemory", "GlobalBuffer", "InputScratchpad", "WeightScratchpad", "OutputScratchpad")
KEEPS = {"MainMemory": ["I", "W", "O"], "GlobalBuffer": ["I", "W", "O"], "InputScratchpad": ["I"],
         "WeightScratchpad": ["W"], "OutputScratchpad": ["O"]}
LETTER = {"I": Tensor.IFMAP, "W": Tensor.WEIGHT, "O": Tensor.PSUM}


def _theirs_in_ours():
    sh = PEER["shape"]
    layer = conv("T", sh["M"], sh["C"], sh["P"] + sh["R"] - 1, sh["R"], stride=sh["stride"])
    shape = {"p": sh["P"], "q": sh["Q"], "m": sh["M"], "c": sh["C"], "r": sh["R"], "s": sh["S"], "n": sh["N"]}
    text = ac.mapping_yaml(PEER["mapping_nodes"], shape, {k: k for k in LEVELS},
                           {"reuse_weight": "X", "reuse_output": "Y"}, KEEPS)
    arch = load_arch(ARCH)
    return evaluate(layer, arch, load_mapping_yaml(text, arch, layer)), arch


def _their_words(component, tensor, action):
    n = PEER["actions_by_component_tensor_action"].get(f"{component}/{tensor}/{action}", 0)
    return ac.words(n, 64 if component == "GlobalBuffer" else 1, PEER["bits_per_value"])


def test_its_mapping_gives_its_counts_in_our_model():
    res, _ = _theirs_in_ours()
    assert res.counts.macs == _their_words("MAC", "None", "compute") * 16 == 4 * 2 * 9 * 16
    for level in LEVELS:
        for t in KEEPS[level]:
            ours = res.counts.at(level, LETTER[t])
            written = _their_words(level, t, "write")
            read = _their_words(level, t, "read")
            if t == "O":   # outputs: its writes are our updates (and fills); its reads our reads plus drains
                assert ours.fills + ours.updates == written
                assert ours.reads + ours.drains == read
            elif (level, t) == ("GlobalBuffer", "I"):
                # its example unicasts inputs (its reuse constraints leave inputs out of may_reuse): one buffer
                # read per PE that needs the word; ours multicasts, one read per word per step
                assert ours.reads < read and ours.fills == written
            else:
                assert (ours.reads, ours.fills) == (read, written)


def test_energy_per_level_equals_its_energy_where_counts_agree():
    res, _ = _theirs_in_ours()
    joules = PEER["energy_j_by_component_tensor_action"]
    for level, t in (("MainMemory", "W"), ("MainMemory", "I"), ("MainMemory", "O"), ("InputScratchpad", "I"),
                     ("WeightScratchpad", "W"), ("OutputScratchpad", "O")):
        theirs = sum(v for k, v in joules.items() if k.startswith(f"{level}/{t}/")) * 1e12
        assert res.energy.at(level, LETTER[t]) == pytest.approx(theirs, rel=1e-5)
    assert res.energy.at("MAC", None) == pytest.approx(joules["MAC/None/compute"] * 1e12, rel=1e-5)


def test_uneven_and_imperfect_mappings_are_refused():
    nodes = [{"node": "Storage", "component": "A", "tensors": ["I"]}, {"node": "Temporal", "rank": "m",
             "tile_shape": 2}, {"node": "Storage", "component": "A", "tensors": ["W"]}]
    with pytest.raises(ValueError, match="uneven mapping: A"):
        ac.mapping_yaml(nodes, {"m": 4}, {"A": "A"}, {}, {})
    with pytest.raises(ValueError, match="not a multiple"):
        ac.mapping_yaml(nodes[:2], {"m": 5}, {"A": "A"}, {}, {})


def test_module_examples():
    assert doctest.testmod(ac).failed == 0


def test_arch_file_loads_and_evaluates(capsys):
    arch = load_arch(ARCH)
    assert load_arch(str(ARCH_FILE)) == arch
    # its file: 1024 * 1024 bits of buffer = 65,536 16-bit words; 14 x 12 PEs; LPDDR4 8 pJ/bit x 16
    assert (arch.pes, arch.levels[1].size_words, arch.levels[0].read_cost(Tensor.IFMAP)) == (168, 65536, 128.0)
    assert main(["evaluate", "alexnet", "--arch", str(ARCH_FILE), "--layer", "CONV3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["energy_unit"] == "pJ"


def test_its_alexnet_conv1_mapping_in_our_model():
    """Its CONV1 answer stores the buffer's weights and inputs above two loops and its outputs below them; in ours
    all three sit below (the loops move up to DRAM). Counts that move to or from the buffer's inputs then differ
    (their tile shrinks: halos are refetched); every other count equals its own, but for the output scratchpad's
    writes, where it fills read-back partial sums (as Timeloop does)."""
    peer = json.loads((ROOT / "tests" / "data" / "accelforge" / "alexnet-conv1.json").read_text())
    layer = conv("CONV1", 96, 3, 227, 11, stride=4)
    shape = {"p": 55, "q": 55, "m": 96, "c": 3, "r": 11, "s": 11, "n": 1}
    axes = {"reuse_weight": "X", "reuse_output": "Y"}
    with pytest.raises(ValueError, match="uneven mapping: GlobalBuffer"):
        ac.mapping_yaml(peer["mapping_nodes"], shape, {k: k for k in LEVELS}, axes, KEEPS)
    arch = load_arch(ARCH)
    text = ac.mapping_yaml(peer["mapping_nodes"], shape, {k: k for k in LEVELS}, axes, KEEPS, uneven="deepest")
    mapping = load_mapping_yaml(text, arch)
    # it reserves 11 input words per PE (one step of its sliding window); our tile rule needs 27 = (5 - 1) * 4 + 11
    with pytest.raises(StationaryError, match="tiles need 27 words"):
        load_mapping_yaml(text, arch, layer)
    counts = evaluate(layer, arch, mapping, validate=False).counts

    def words(component, tensor, action):
        n = peer["actions_by_component_tensor_action"].get(f"{component}/{tensor}/{action}", 0)
        return ac.words(n, 64 if component == "GlobalBuffer" else 1, 16)

    assert counts.macs == words("MAC", "None", "compute") * 16 == 96 * 3 * 11 * 11 * 55 * 55
    for level, t in (("MainMemory", "W"), ("GlobalBuffer", "W"), ("WeightScratchpad", "W"),
                     ("InputScratchpad", "I")):
        c = counts.at(level, LETTER[t])
        assert (c.reads, c.fills) == (words(level, t, "read"), words(level, t, "write"))
    for level in ("MainMemory", "GlobalBuffer"):
        c = counts.at(level, Tensor.PSUM)
        assert (c.reads + c.drains, c.fills + c.updates) == (words(level, "O", "read"), words(level, "O", "write"))
    spad = counts.at("OutputScratchpad", Tensor.PSUM)
    assert spad.reads + spad.drains == words("OutputScratchpad", "O", "read")
    assert spad.fills + spad.updates < words("OutputScratchpad", "O", "write")
