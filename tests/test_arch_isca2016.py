"""The ISCA 2016 comparison setups and the area model they are split by.

Figures from Chen, Emer, Sze, ISCA 2016 (Sec. VI-A and Table IV), as the paper states them:
256 PEs; 16-bit words; normalized energy DRAM 200, buffer 6, array 2, RF 1, MAC 1; Eq. 2's storage area
#PE x Area(512 B RF) + Area(#PE x 512 B buffer); "total on-chip storage differs by up to 80 kB between dataflows,
global buffer size by up to 2.6x".
"""
import pytest

from stationary.arch import preset
from stationary.arch.area import (arch_area, area_per_byte, isca2016_area_budget, on_chip_bytes,
                                  storage_area_bytes)
from stationary.arch.spec import StorageKind
from stationary.core import StationaryError, Tensor

DATAFLOWS = ("ws", "osa", "osb", "osc", "nlr", "rs")
KB = 1024


@pytest.mark.parametrize("dataflow", DATAFLOWS)
def test_common_setup(dataflow):
    arch = preset(f"isca2016-{dataflow}")
    assert arch.pes == 256 and arch.word_bits == 16
    dram, glb = arch.levels[:2]
    assert (dram.read_cost(Tensor.WEIGHT), glb.read_cost(Tensor.IFMAP), arch.mac.mac_energy) == (200, 6, 1)
    if dataflow != "nlr":
        rf = arch.levels[2]
        assert (rf.fanout_x, rf.fanout_y, rf.read_cost(next(iter(rf.keeps))), rf.network_energy) == (16, 16, 1, 2)


@pytest.mark.parametrize("dataflow", DATAFLOWS)
def test_every_dataflow_has_eq2_area(dataflow):
    arch = preset(f"isca2016-{dataflow}")
    budget = isca2016_area_budget(256)
    # the buffer is rounded down to whole 16-bit words: at most 2 bytes of area left over
    assert budget - 2 < arch_area(arch) <= budget


def test_rs_is_eq2_baseline():
    rs = preset("isca2016-rs")
    assert rs.levels[1].size_words * 2 == 128 * KB      # 128 kB buffer
    assert rs.levels[2].size_words * 2 == 512           # 512 B RF per PE, every tensor
    assert rs.levels[2].keeps == frozenset(Tensor)


def test_nlr_has_no_rf_and_fans_out_to_the_macs():
    nlr = preset("isca2016-nlr")
    assert [level.kind for level in nlr.levels] == [StorageKind.DRAM, StorageKind.BUFFER]
    assert (nlr.mac.fanout_x, nlr.mac.fanout_y, nlr.mac.network_energy) == (16, 16, 2)


def test_ws_and_os_keep_a_small_rf_of_their_stationary_tensor():
    assert preset("isca2016-ws").levels[2].keeps == {Tensor.WEIGHT}
    for v in ("osa", "osb", "osc"):
        assert preset(f"isca2016-{v}").levels[2].keeps == {Tensor.PSUM}


def test_splits_agree_with_the_papers_spread():
    """Both of the paper's statements about the splits hold: buffers differ by up to 2.6x, storage by <= 80 kB."""
    buffers = {d: preset(f"isca2016-{d}").levels[1].size_words * 2 for d in DATAFLOWS}
    totals = {d: on_chip_bytes(preset(f"isca2016-{d}")) for d in DATAFLOWS}
    assert max(buffers.values()) / min(buffers.values()) == pytest.approx(2.6, abs=0.005)
    spread_kb = (max(totals.values()) - min(totals.values())) / KB
    assert 70 < spread_kb <= 80
    assert max(buffers, key=buffers.get) == "nlr" and min(totals, key=totals.get) == "rs"


def test_area_model():
    assert area_per_byte(StorageKind.RF, 512) / area_per_byte(StorageKind.BUFFER, 128 * KB) == pytest.approx(1.6)
    assert storage_area_bytes(StorageKind.DRAM, 10**9) == 0
    assert storage_area_bytes(StorageKind.BUFFER, 2 * KB) == 2 * storage_area_bytes(StorageKind.BUFFER, KB)
    with pytest.raises(StationaryError, match="size_bytes"):
        area_per_byte(StorageKind.RF, -1)
