"""The ISCA 2016 dataflow-comparison architectures: 256 PEs, the same storage area, split per dataflow.

Chen, Emer, Sze, ISCA 2016, Sec. VI-A: 256 PEs (16 x 16), 16-bit words, normalized energies (Table IV: DRAM 200,
global buffer 6, array 2, RF 1, MAC 1), and every dataflow given the storage area of Eq. 2, 256 x 512 B RF plus a
128 kB buffer, divided between the PE register files and the global buffer the way the dataflow uses them:

=========  =====================================  ===========================================================
preset     RF per PE                              global buffer
=========  =====================================  ===========================================================
rs         512 B (256 words), all tensors         128 kB (Eq. 2's baseline)
ws         2 B: one weight (WS keeps one weight)  the rest of the area: 332.0 kB
osa/b/c    2 B: one partial sum (OS accumulates   332.0 kB
           one output at a time)
nlr        none: the buffer feeds the 256 MACs    the whole area: 332.8 kB (2.6x RS's)
=========  =====================================  ===========================================================

The buffer takes the area the RFs leave (``stationary.arch.area``: an RF byte costs 1.6 SRAM bytes), rounded
down to whole words. The array cost (2) is the ``network_energy`` of the 16 x 16 fan-out into the PEs (for NLR,
the fan-out into the MACs). The paper fixes no clock; 200 MHz (Eyeriss's) is assumed for latencies.

>>> rs, nlr = isca2016("rs"), isca2016("nlr")
>>> [l.name for l in rs.levels], rs.pes, [l.name for l in nlr.levels], nlr.pes
(['DRAM', 'GLB', 'RF'], 256, ['DRAM', 'GLB'], 256)
>>> round(nlr.levels[1].size_words / rs.levels[1].size_words, 2)
2.6
"""
from __future__ import annotations

from stationary.arch.area import (AREA_SOURCE, buffer_bytes_for_area, isca2016_area_budget, storage_area_bytes)
from stationary.arch.spec import Arch, ComputeUnit, MemoryLevel, StorageKind, Unit
from stationary.arch.yaml_io import energy_table
from stationary.core import StationaryError, TENSORS, Tensor

PES_X, PES_Y = 16, 16
WORD_BITS = 16
BASELINE_RF_BYTES = 512
# per-PE register file of each dataflow: (tensors it keeps, words)
RF_SPLIT: dict[str, tuple[frozenset[Tensor], int]] = {
    "rs": (frozenset(TENSORS), BASELINE_RF_BYTES * 8 // WORD_BITS),
    "ws": (frozenset({Tensor.WEIGHT}), 1),
    "osa": (frozenset({Tensor.PSUM}), 1),
    "osb": (frozenset({Tensor.PSUM}), 1),
    "osc": (frozenset({Tensor.PSUM}), 1),
    "nlr": (frozenset(), 0),
}
_LABELS = {"rs": "RS", "ws": "WS", "osa": "OS SOC-MOP", "osb": "OS MOC-MOP", "osc": "OS MOC-SOP", "nlr": "NLR"}


def buffer_words(dataflow: str) -> int:
    """Global-buffer words left for a dataflow once its register files take their share of Eq. 2's area."""
    _, rf_words = RF_SPLIT[dataflow]
    pes = PES_X * PES_Y
    rf_area = pes * storage_area_bytes(StorageKind.RF, rf_words * WORD_BITS / 8) if rf_words else 0.0
    left = buffer_bytes_for_area(isca2016_area_budget(pes, BASELINE_RF_BYTES) - rf_area)
    return int(left * 8 // WORD_BITS + 1e-9)


def isca2016(dataflow: str) -> Arch:
    """The comparison architecture for one dataflow (``ws``, ``osa``, ``osb``, ``osc``, ``nlr``, ``rs``)."""
    key = str(dataflow).strip().lower()
    if key not in RF_SPLIT:
        raise StationaryError(f"no ISCA 2016 setup for this dataflow (expected {', '.join(RF_SPLIT)})",
                              field="dataflow", value=dataflow)
    cost, energy_source = energy_table("isca2016_normalized")
    every = frozenset(TENSORS)
    levels = [
        MemoryLevel("DRAM", StorageKind.DRAM, every, read_energy=cost["DRAM"], write_energy=cost["DRAM"]),
        MemoryLevel("GLB", StorageKind.BUFFER, every, size_words=buffer_words(key),
                    read_energy=cost["buffer"], write_energy=cost["buffer"]),
    ]
    keeps, rf_words = RF_SPLIT[key]
    if rf_words:
        levels.append(MemoryLevel("RF", StorageKind.RF, keeps, size_words=rf_words, fanout_x=PES_X,
                                  fanout_y=PES_Y, read_energy=cost["RF"], write_energy=cost["RF"],
                                  network_energy=cost["array"]))
        mac = ComputeUnit(mac_energy=cost["MAC"])
    else:  # NLR: no RF; the buffer fans out to the MACs over the array
        mac = ComputeUnit(mac_energy=cost["MAC"], fanout_x=PES_X, fanout_y=PES_Y, network_energy=cost["array"])
    return Arch(name=f"isca2016-{key}", levels=tuple(levels), mac=mac, unit=Unit.MAC, word_bits=WORD_BITS,
                clock_mhz=200.0,
                source=f"{_LABELS[key]} setup of Chen, Emer, Sze, ISCA 2016, Sec. VI-A (256 PEs, equal storage "
                       f"area, Eq. 2); energies: {energy_source}; area: {AREA_SOURCE}")


def _builder(dataflow: str):
    def build() -> Arch:
        return isca2016(dataflow)
    build.__doc__ = f"ISCA 2016 comparison setup for {_LABELS[dataflow]} (see stationary.arch.isca2016)."
    return build


ISCA2016_PRESETS = {f"isca2016-{key}": _builder(key) for key in RF_SPLIT}
