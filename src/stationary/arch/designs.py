"""Accelerators built from the memory technologies (``data/technology``), for the talk's "Advanced Memory Technologies".

Every design is an Eyeriss-class engine (row-stationary PE array, per-PE scratchpads, a global buffer) priced in pJ
at 65 nm: MAC, RF, array and buffer from the project's 65 nm table (ISCA 2016 Table IV x a 1.52 pJ MAC,
``data/eyeriss_65nm_pj.yaml``), 16-bit words, 200 MHz. What changes is the memory around it, and each memory
figure is read from the technology table with its source:

* ``eyeriss-lpddr``: the Eyeriss chip (168 PEs, 108 kB buffer) over one LPDDR3-1600 x32 channel.
* ``eyeriss-hmc``: the same engine in the logic die of an HMC, reaching all 16 vaults (3.7 pJ/bit, 160 GB/s).
* ``tetris`` (Gao et al., ASPLOS 2017): 16 engines, one under each vault. Each keeps the Eyeriss engine's area
  (storage and MACs, ``arch.area``) but trades buffer for PEs, 12 x 14 -> 14 x 16 PEs, the buffer taking the area
  left; each reads its own vault (3.7 pJ/bit, 10 GB/s); a word between vaults crosses the logic die's mesh
  (wire energy x vault pitch x the mean hop count of a 4 x 4 mesh).
* ``dadiannao-edram`` (Chen et al., MICRO 2014): 4 chips, each the engine plus 32 MB of eDRAM weight storage in
  64 banks of 512 kB (DaDianNao's 16 tiles x 2 MB); layers split by output channels over the chips (inputs
  broadcast, as DaDianNao does) over chip-to-chip links; weights stay on chip when the network's fit.
* ``dadiannao-sram``: the same at equal area in SRAM: ``density_vs_sram`` fewer bytes per bank, banks of the
  same area and (by the technology table's energy rule) the same access energy.
* ``eyeriss-reram``: the engine with a 64 MB ReRAM weight store under the LPDDR channel: reads cheap, writes
  costly (and limited by endurance); weights stay when they fit.

>>> a = design("tetris")
>>> a.nodes, a.pes, a.levels[0].technology
(16, 224, 'hmc')
>>> round(design("eyeriss-hmc").levels[0].read_cost(Tensor.IFMAP), 1)     # 3.7 pJ/bit x 16 bits
59.2
"""
from __future__ import annotations

import math
from dataclasses import replace
from importlib import resources

import yaml

from stationary.arch.area import (arch_area, buffer_bytes_for_area, density_vs_sram, logic_area_bytes,
                                  mac_area_bytes, storage_area_bytes)
from stationary.arch.spec import Arch, ComputeUnit, MemoryLevel, StorageKind, Unit
from stationary.arch.technology import technology, words_per_cycle
from stationary.core import StationaryError, Tensor

W, I, O = Tensor.WEIGHT, Tensor.IFMAP, Tensor.PSUM
ALL = frozenset({W, I, O})
WORD_BITS, CLOCK_MHZ = 16, 200.0
MESH = 4                      # HMC's 16 vaults as a 4 x 4 mesh on the logic die
DADIANNAO_CHIPS = 4
EDRAM_BANK_KB, EDRAM_BANKS = 512, 64
RERAM_MB = 64


def _pj() -> tuple[float, dict[str, float]]:
    data = yaml.safe_load((resources.files("stationary") / "data" / "eyeriss_65nm_pj.yaml").read_text())
    return float(data["mac_pj"]), {k: float(v) for k, v in data["normalized"].items()}


def word_pj(tech: str, quantity: str = "energy_pj_per_bit") -> float:
    """A technology's energy per 16-bit word in pJ."""
    return technology(tech).value(quantity) * WORD_BITS


def _engine(name: str, dram: str, bandwidth_gb_s: float, dram_pj_per_bit: float, pes=(14, 12),
            glb_words: int = 108 * 1024 // 2, filter_words: int = 8 * 1024 // 2, extra=(), **arch_fields) -> Arch:
    mac_pj, norm = _pj()
    levels = [MemoryLevel("DRAM", StorageKind.DRAM, ALL, read_energy=dram_pj_per_bit * WORD_BITS,
                          write_energy=dram_pj_per_bit * WORD_BITS, technology=dram,
                          bandwidth_words_per_cycle=words_per_cycle(bandwidth_gb_s, WORD_BITS, CLOCK_MHZ)),
              *extra,
              MemoryLevel("GLB", StorageKind.BUFFER, ALL, size_words=glb_words,
                          partitions=((frozenset({W}), filter_words), (frozenset({I, O}), glb_words - filter_words)),
                          read_energy=norm["buffer"] * mac_pj, write_energy=norm["buffer"] * mac_pj,
                          technology="sram_65nm"),
              MemoryLevel("RF", StorageKind.RF, ALL, size_words=260,
                          partitions=((frozenset({W}), 224), (frozenset({I}), 12), (frozenset({O}), 24)),
                          fanout_x=pes[0], fanout_y=pes[1], read_energy=norm["RF"] * mac_pj,
                          write_energy=norm["RF"] * mac_pj, network_energy=norm["array"] * mac_pj)]
    return Arch(name=name, levels=tuple(levels), mac=ComputeUnit(mac_energy=norm["MAC"] * mac_pj), unit=Unit.PJ,
                word_bits=WORD_BITS, clock_mhz=CLOCK_MHZ, **arch_fields)


def eyeriss_lpddr() -> Arch:
    lp = technology("lpddr3")
    return replace(_engine("eyeriss-lpddr", "lpddr3", lp.value("bandwidth_gb_per_s"), lp.value("energy_pj_per_bit")),
                   source="Eyeriss (JSSC 2017) over LPDDR3-1600 x32; 65 nm pJ (ISCA 2016 Table IV x 1.52 pJ); "
                          "DRAM: data/technology/memories.yaml lpddr3")


def eyeriss_hmc() -> Arch:
    hmc = technology("hmc")
    return replace(_engine("eyeriss-hmc", "hmc", hmc.value("bandwidth_gb_per_s"), hmc.value("energy_pj_per_bit")),
                   source="Eyeriss in an HMC logic die, all 16 vaults (Tetris's 3D baseline idea); DRAM: hmc")


def mean_mesh_hops(side: int) -> float:
    """Mean Manhattan distance between two distinct nodes of a ``side`` x ``side`` mesh (exact enumeration).

    >>> round(mean_mesh_hops(4), 4)
    2.6667
    """
    nodes = [(x, y) for x in range(side) for y in range(side)]
    dists = [abs(a[0] - b[0]) + abs(a[1] - b[1]) for a in nodes for b in nodes if a != b]
    return sum(dists) / len(dists)


def vault_hop_pj() -> float:
    """Energy of one 16-bit word between two vaults: wire pJ/bit/mm x 16 x vault pitch x mean hops."""
    hmc = technology("hmc")
    pitch_mm = math.sqrt(hmc.value("logic_die_area_mm2") / hmc.value("vaults"))
    return technology("wires_40nm").value("energy_pj_per_bit_mm") * WORD_BITS * pitch_mm * mean_mesh_hops(MESH)


def tetris_glb_words(pes: int) -> int:
    """The buffer (16-bit words, rounded down) left when an Eyeriss engine's area holds ``pes`` PEs."""
    base = eyeriss_lpddr()
    budget = arch_area(base) + logic_area_bytes(base)
    rf_bytes = base.levels[-1].size_words * WORD_BITS / 8
    per_pe = storage_area_bytes(StorageKind.RF, rf_bytes) + mac_area_bytes(WORD_BITS)
    return int(buffer_bytes_for_area(budget - pes * per_pe) * 8 // WORD_BITS)


def tetris() -> Arch:
    hmc = technology("hmc")
    pes = (16, 14)
    return _engine("tetris", "hmc", hmc.value("vault_bandwidth_gb_per_s"), hmc.value("energy_pj_per_bit"),
                   pes=pes, glb_words=tetris_glb_words(pes[0] * pes[1]), nodes=int(hmc.value("vaults")),
                   node_network_energy=vault_hop_pj(),
                   source="Tetris-style (Gao et al., ASPLOS 2017): an engine under each of 16 HMC vaults, buffer "
                          "area traded for PEs at the Eyeriss engine's area; DRAM: hmc per vault; vault network: "
                          "wires_40nm x vault pitch x mean 4x4-mesh hops")


def sram_bank_pj_per_bit(kb: float) -> float:
    """SRAM read energy per bit at 65 nm for a bank of ``kb`` kB: Horowitz's 45 nm sizes, log-log interpolated
    (extrapolated past the ends on the nearest segment), scaled by ``energy_45nm_to_65nm``."""
    sram = technology("sram_45nm")
    points = [(8, sram.value("energy_pj_per_bit_8kb")), (32, sram.value("energy_pj_per_bit_32kb")),
              (1024, sram.value("energy_pj_per_bit_1mb"))]
    (k0, e0), (k1, e1) = points[:2] if kb < 32 else points[1:]
    slope = math.log(e1 / e0) / math.log(k1 / k0)
    return e0 * (kb / k0) ** slope * technology("scaling").value("energy_45nm_to_65nm")


def _weight_store(tech: str, kb_per_bank: float, banks: int) -> MemoryLevel:
    energy = sram_bank_pj_per_bit(kb_per_bank / density_vs_sram(tech)) * WORD_BITS
    return MemoryLevel("WStore", StorageKind.BUFFER, frozenset({W}), size_words=int(kb_per_bank * 1024 * 8
                       // WORD_BITS) * banks, read_energy=energy, write_energy=energy, technology=tech)


def chip_link_pj() -> float:
    """A 16-bit word over a chip-to-chip SerDes link: the HMC figure with links minus the DRAM-die figure."""
    return technology("hmc").value("link_energy_pj_per_bit") * WORD_BITS


def _dadiannao(name: str, tech: str, kb_per_bank: float) -> Arch:
    lp = technology("lpddr3")
    store = _weight_store(tech, kb_per_bank, EDRAM_BANKS)
    return _engine(name, "lpddr3", lp.value("bandwidth_gb_per_s"), lp.value("energy_pj_per_bit"), extra=(store,),
                   nodes=DADIANNAO_CHIPS, node_network_energy=chip_link_pj(), resident_weights="WStore",
                   source=f"DaDianNao-style (Chen et al., MICRO 2014): {DADIANNAO_CHIPS} chips, each an Eyeriss engine "
                          f"and {EDRAM_BANKS} x {kb_per_bank:g} kB {tech} banks for the weights; chip links: hmc "
                          "SerDes share; bank energy: sram_45nm size curve at the bank's area")


def dadiannao_edram() -> Arch:
    return _dadiannao("dadiannao-edram", "edram_22nm", EDRAM_BANK_KB)


def dadiannao_sram() -> Arch:
    return _dadiannao("dadiannao-sram", "", EDRAM_BANK_KB / density_vs_sram("edram_22nm"))


def eyeriss_reram() -> Arch:
    lp, rram = technology("lpddr3"), technology("rram")
    store = MemoryLevel("WStore", StorageKind.BUFFER, frozenset({W}), size_words=RERAM_MB * 1024 * 1024 * 8 // 16,
                        read_energy=word_pj("rram", "read_energy_pj_per_bit"),
                        write_energy=word_pj("rram", "write_energy_pj_per_bit"), technology="rram")
    return _engine("eyeriss-reram", "lpddr3", lp.value("bandwidth_gb_per_s"), lp.value("energy_pj_per_bit"),
                   extra=(store,), resident_weights="WStore",
                   source=f"Eyeriss with a {RERAM_MB} MB ReRAM weight store (rram: PRIME ISCA 2016 read energy, "
                          f"derived write energy) over LPDDR3")


DESIGNS = {"eyeriss-lpddr": eyeriss_lpddr, "eyeriss-hmc": eyeriss_hmc, "tetris": tetris,
           "dadiannao-edram": dadiannao_edram, "dadiannao-sram": dadiannao_sram, "eyeriss-reram": eyeriss_reram}


def design(name: str) -> Arch:
    try:
        return DESIGNS[str(name).strip().lower()]()
    except KeyError:
        raise StationaryError(f"unknown design (designs: {', '.join(DESIGNS)})", field="design", value=name) from None
