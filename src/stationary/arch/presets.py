"""Named architectures, each with its source. ``preset(name)`` returns a frozen :class:`Arch`.

>>> "eyeriss" in PRESETS and "timeloop-eyeriss-like" in PRESETS
True
>>> preset("timeloop-eyeriss-like").pes
168
>>> preset("nnd-like").levels[1].size_words     # nn-dataflow's --gbuf 110592 bytes of 16-bit words
55296
"""
from __future__ import annotations

from typing import Callable

from stationary.arch.designs import DESIGNS
from stationary.arch.energy_tables import ISCA2016_NORMALIZED as NORM
from stationary.arch.isca2016 import ISCA2016_PRESETS
from stationary.arch.spec import Arch, ComputeUnit, MemoryLevel, StorageKind, Unit
from stationary.core import StationaryError, Tensor

W, I, O = Tensor.WEIGHT, Tensor.IFMAP, Tensor.PSUM
ALL = frozenset({W, I, O})


def eyeriss() -> Arch:
    """The Eyeriss chip (Chen et al., ISSCC 2016 / JSSC 2017): 168 PEs in 12 x 14, per-PE scratchpads of 224 filter,
    12 ifmap and 24 psum words, a 108 kB global buffer (100 kB ifmaps and psums, 8 kB filters), 16-bit words, 200 MHz.
    Energies: the ISCA 2016 normalized table (DRAM 200, buffer 6, array 2, RF 1, MAC 1)."""
    return Arch(
        name="eyeriss",
        levels=(
            MemoryLevel("DRAM", StorageKind.DRAM, ALL, read_energy=NORM["DRAM"], write_energy=NORM["DRAM"]),
            MemoryLevel("GLB", StorageKind.BUFFER, ALL, size_words=108 * 1024 // 2,
                        partitions=((frozenset({W}), 8 * 1024 // 2), (frozenset({I, O}), 100 * 1024 // 2)),
                        read_energy=NORM["buffer"], write_energy=NORM["buffer"]),
            MemoryLevel("RF", StorageKind.RF, ALL, size_words=260,
                        partitions=((frozenset({W}), 224), (frozenset({I}), 12), (frozenset({O}), 24)),
                        fanout_x=14, fanout_y=12, read_energy=NORM["RF"], write_energy=NORM["RF"],
                        network_energy=NORM["array"]),
        ),
        mac=ComputeUnit(mac_energy=NORM["MAC"]),
        unit=Unit.MAC, word_bits=16, clock_mhz=200.0,
        source="Chen et al., Eyeriss, ISSCC 2016 / JSSC 2017; energies ISCA 2016 Table IV (normalized)",
    )


def timeloop_eyeriss_like() -> Arch:
    """The Eyeriss-like design of the public Timeloop/Accelergy exercises, as measured with Timeloop v3.0.3 and
    Accelergy's 45 nm tables (level names kept: DRAM, shared_glb, DummyBuffer, ifmap_spad, weights_spad, psum_spad).
    Weights bypass the global buffer; DummyBuffer holds nothing and places the 14-wide spatial loop."""
    return Arch(
        name="timeloop-eyeriss-like",
        levels=(
            MemoryLevel("DRAM", StorageKind.DRAM, ALL, read_energy=128.0, write_energy=128.0),
            MemoryLevel("shared_glb", StorageKind.BUFFER, frozenset({I, O}), size_words=65536,
                        read_energy={I: 18.67, O: 18.70}, write_energy={I: 18.67, O: 18.70}),
            MemoryLevel("DummyBuffer", StorageKind.DUMMY, frozenset(), fanout_x=14),
            MemoryLevel("ifmap_spad", StorageKind.RF, frozenset({I}), size_words=12, fanout_y=12,
                        read_energy=0.24, write_energy=0.24),
            MemoryLevel("weights_spad", StorageKind.RF, frozenset({W}), size_words=192,
                        read_energy=1.59, write_energy=1.59),
            MemoryLevel("psum_spad", StorageKind.RF, frozenset({O}), size_words=16,
                        read_energy=0.25, write_energy=0.25),
        ),
        mac=ComputeUnit(mac_energy=2.20),
        unit=Unit.PJ, word_bits=16, clock_mhz=200.0,
        source="Timeloop v3.0.3 + Accelergy 45 nm, Eyeriss-like exercise design (see docs/architecture.md, Cross-check with Timeloop)",
    )


def nnd_like() -> Arch:
    """The design nn-dataflow 2.1 searched in benchmarks/bench_mapper.py (its command line ``--word 16 --array 12
    14 --regf 512 --gbuf 110592``, default costs): the eyeriss levels and costs with a 256-word RF and a
    55,296-word global buffer, each shared by every tensor (no partitions). Derived from that command line."""
    import dataclasses
    base = eyeriss()
    dram, glb, rf = base.levels
    return dataclasses.replace(base, name="nnd-like", levels=(
        dram, dataclasses.replace(glb, partitions=(), size_words=110592 // 2),
        dataclasses.replace(rf, partitions=(), size_words=512 // 2)),
        source="nn-dataflow 2.1 command line --word 16 --array 12 14 --regf 512 --gbuf 110592, default costs "
               "(derived from the eyeriss preset)")


def zigzag_like() -> Arch:
    """The design given to ZigZag 3.9.1 in benchmarks/bench_mapper.py (benchmarks/peers/zigzag/eyeriss_like.yaml):
    the eyeriss RF partitions (12/224/24 words), a 108 kB buffer for inputs and outputs only (weights straight
    from DRAM), no array network cost. Derived from that file."""
    import dataclasses
    base = eyeriss()
    dram, glb, rf = base.levels
    return dataclasses.replace(base, name="zigzag-like", levels=(
        dram, dataclasses.replace(glb, keeps=frozenset({I, O}), partitions=(), size_words=110592 // 2),
        dataclasses.replace(rf, network_energy=0.0)),
        source="benchmarks/peers/zigzag/eyeriss_like.yaml (ZigZag 3.9.1 input: RF 12/224/24 words, 108 kB buffer "
               "for I and O; derived from the eyeriss preset)")


def accelforge_eyeriss() -> Arch:
    """AccelForge 1.0.467's example Eyeriss (its examples/arches/eyeriss.yaml) as our arch, for its mapper and ours
    on one design (benchmarks/bench_accelforge.py): a 1 Mb buffer, 14 x 12 PEs with 12/192/16-word scratchpads,
    energies per 16-bit word derived from its 65 nm component models. The file, with every figure's source:
    ``stationary/data/arch/accelforge-eyeriss.yaml``.

    >>> a = accelforge_eyeriss()
    >>> a.pes, a.levels[1].size_words, a.levels[0].read_cost(I)    # LPDDR4 at 8 pJ/bit
    (168, 65536, 128.0)
    """
    from importlib import resources

    from stationary.arch.yaml_io import arch_from_yaml
    path = "data/arch/accelforge-eyeriss.yaml"
    return arch_from_yaml(resources.files("stationary").joinpath(path).read_text(encoding="utf-8"),
                          source=f"stationary/{path}")


PRESETS: dict[str, Callable[[], Arch]] = {
    "eyeriss": eyeriss,
    "timeloop-eyeriss-like": timeloop_eyeriss_like,
    "nnd-like": nnd_like,
    "zigzag-like": zigzag_like,
    "accelforge-eyeriss": accelforge_eyeriss,
    **ISCA2016_PRESETS,
    **DESIGNS,   # built from the memory technologies: eyeriss-lpddr, eyeriss-hmc, tetris, dadiannao-*, eyeriss-reram
}


def preset(name: str) -> Arch:
    try:
        return PRESETS[str(name).strip().lower()]()
    except KeyError:
        raise StationaryError(f"unknown architecture preset (presets: {', '.join(sorted(PRESETS))})",
                              field="arch", value=name) from None
