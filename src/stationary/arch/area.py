"""Storage area, relative: the unit is the area of one byte of global-buffer SRAM (``area_sram_bytes``).

Chen, Emer and Sze (ISCA 2016, Sec. VI-A, Eq. 2) compare dataflows at the same total storage area,
``#PE x Area(512 B RF) + Area(#PE x 512 B global buffer)``, but print no area per byte. The paper's text gives two
facts about the splits that follow (for 256 PEs): the global buffer sizes differ by up to 2.6x between dataflows,
and the total on-chip storage by up to 80 kB. This model takes from them the one number it needs:

* SRAM buffer: area proportional to size (1 unit per byte). Assumed: the buffers compared are all 128 kB or more,
  where the periphery is a small, amortized share; the paper gives no size dependence.
* Register file: area proportional to size at ``RF_AREA_PER_BYTE`` units per byte (a register file is an array of
  flip-flops, linear in its bits; assumed, as the paper gives one size, 512 B).
* ``RF_AREA_PER_BYTE = 1.6``: NLR has no RF, so its buffer takes the whole area, 128 kB + 256 x 512 B x k; the
  largest buffer being 2.6x RS's 128 kB gives k = 1.6. Check against the second fact: NLR then holds 332.8 kB on
  chip against RS's 256 kB, 76.8 kB more, matching "up to 80 kB".

DRAM is off chip (no area); a dummy level holds nothing (no area). A level built in another memory technology
(``MemoryLevel.technology``: eDRAM, ReRAM) holds ``density_vs_sram`` times more bytes in the same area (the figure
comes from ``data/technology/memories.yaml`` with its source). The MACs have an area too
(:func:`logic_area_bytes`: a 16-bit MAC is ``mac16_area_sram_bytes`` SRAM bytes, ``data/technology/logic.yaml``), and
:func:`area_mm2` turns the relative unit into mm^2 through the 65 nm SRAM cell (storage and MACs only: no control,
no I/O, no clock tree).

>>> round(storage_area_bytes(StorageKind.RF, 512) / storage_area_bytes(StorageKind.BUFFER, 512), 2)
1.6
>>> int(buffer_bytes_for_area(isca2016_area_budget(256) - 256 * storage_area_bytes(StorageKind.RF, 512))) // 1024
128
"""
from __future__ import annotations

from stationary.arch.spec import Arch, MemoryLevel, StorageKind
from stationary.arch.technology import technology
from stationary.core import StationaryError

SRAM_AREA_PER_BYTE = 1.0
RF_AREA_PER_BYTE = 1.6
AREA_SOURCE = ("relative area per byte derived from Chen, Emer, Sze, ISCA 2016, Sec. VI-A (Eq. 2; buffer sizes "
               "differ by up to 2.6x, total storage by up to 80 kB); linear in size (assumed)")


def area_per_byte(kind: StorageKind, size_bytes: float) -> float:
    """Area of one byte in a storage of this kind and size, in SRAM-byte units (constant in the range modelled)."""
    if size_bytes < 0:
        raise StationaryError("a storage size cannot be negative", field="size_bytes", value=size_bytes)
    if kind is StorageKind.RF:
        return RF_AREA_PER_BYTE
    if kind is StorageKind.BUFFER:
        return SRAM_AREA_PER_BYTE
    return 0.0  # DRAM is off chip; a dummy level stores nothing


def storage_area_bytes(kind: StorageKind, size_bytes: float) -> float:
    """Area of one storage instance of ``size_bytes`` bytes."""
    return area_per_byte(kind, size_bytes) * size_bytes


def buffer_bytes_for_area(area: float) -> float:
    """The SRAM buffer that fills ``area`` (the inverse of :func:`storage_area_bytes` for a buffer)."""
    if area < 0:
        raise StationaryError("the storage budget is exhausted before the buffer", field="area", value=area)
    return area / SRAM_AREA_PER_BYTE


def isca2016_area_budget(pes: int, rf_bytes: int = 512) -> float:
    """Eq. 2 of ISCA 2016: ``#PE x Area(512 B RF) + Area(#PE x 512 B global buffer)``."""
    return pes * storage_area_bytes(StorageKind.RF, rf_bytes) + storage_area_bytes(StorageKind.BUFFER,
                                                                                   pes * rf_bytes)


def arch_area(arch: Arch) -> float:
    """Total on-chip storage area of an architecture (every instance of every level), in SRAM-byte units.

    >>> from stationary.arch.presets import preset
    >>> round(arch_area(preset("isca2016-rs")) / isca2016_area_budget(256), 6)
    1.0
    """
    total = 0.0
    for i, level in enumerate(arch.levels):
        if level.size_words is None or level.kind in (StorageKind.DRAM, StorageKind.DUMMY):
            continue
        total += arch.instances(i) * level_area_bytes(level, arch.word_bits)
    return total


def density_vs_sram(name: str) -> float:
    """Bytes of this technology in the area of one SRAM byte (1 for SRAM and for a level with no technology)."""
    if not name:
        return 1.0
    tech = technology(name)
    return tech.value("density_vs_sram") if "density_vs_sram" in tech.quantities else 1.0


def level_area_bytes(level: MemoryLevel, word_bits: int) -> float:
    """Area of one instance of a level, in SRAM-byte units, its technology's density applied."""
    if level.size_words is None or level.kind in (StorageKind.DRAM, StorageKind.DUMMY):
        return 0.0
    return storage_area_bytes(level.kind, level.size_words * word_bits / 8) / density_vs_sram(level.technology)


def mac_area_bytes(word_bits: int = 16) -> float:
    """Area of one MAC in SRAM-byte units (a 16-bit MAC's, scaled with the square of the width: the multiplier)."""
    return technology("logic_45nm").value("mac16_area_sram_bytes") * (word_bits / 16) ** 2


def logic_area_bytes(arch: Arch) -> float:
    """Area of the MACs of one node."""
    return arch.pes * mac_area_bytes(arch.word_bits)


def sram_byte_mm2() -> float:
    """The area of one SRAM byte at 65 nm (the designs' node), in mm^2: 8 cells over the array efficiency."""
    sram = technology("sram_65nm")
    return 8 * sram.value("cell_area_um2") / sram.value("array_efficiency") * 1e-6


def area_mm2(arch: Arch) -> float:
    """Storage plus MAC area of every node, in mm^2 at 65 nm (no control, I/O or clock tree: a floor).

    >>> from stationary.arch.presets import preset
    >>> round(area_mm2(preset("eyeriss")), 2)     # the chip's core is 12.25 mm^2 (JSSC 2017): storage and MACs are 14%
    1.72
    """
    return arch.nodes * (arch_area(arch) + logic_area_bytes(arch)) * sram_byte_mm2()


def on_chip_bytes(arch: Arch) -> float:
    """On-chip storage capacity in bytes, every instance counted (DRAM left out)."""
    return sum(arch.instances(i) * level.size_words * arch.word_bits / 8 for i, level in enumerate(arch.levels)
               if level.size_words is not None and level.kind is not StorageKind.DRAM)
