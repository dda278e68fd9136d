"""Small cases counted on paper (the arithmetic is in each test's comments), held against stationary.model."""
from stationary.arch import preset
from stationary.core import Dim, Tensor
from stationary.mapping import Axis, LevelMapping, Loop, Mapping
from stationary.model import analyze, energy
from stationary.workload import conv, fc

W, I, O = Tensor.WEIGHT, Tensor.IFMAP, Tensor.PSUM
EYERISS = preset("eyeriss")  # DRAM -> GLB -> RF (fan-out 14 x 12), one MAC per PE


def counts_of(c, level, tensor):
    e = c.at(level, tensor)
    return (e.reads, e.fills, e.updates, e.drains)


def test_sliding_window_fetches_the_halo_once():
    # 1-D convolution: input row of 6, filter row of 3 (S), 4 outputs (F). GLB loops over F; the RF holds the
    # 3-word window and the 3 weights. Each F step shifts the window by one word: RF input fills = 3 + 3 x 1 = 6.
    layer = conv("row", 1, 1, (1, 6), (1, 3))
    m = Mapping((LevelMapping(), LevelMapping(temporal=(Loop(Dim.F, 4),)), LevelMapping(temporal=(Loop(Dim.S, 3),))))
    c = analyze(layer, EYERISS, m)
    assert layer.macs == 12
    assert counts_of(c, "RF", I) == (12, 6, 0, 0)       # one input read per MAC
    assert counts_of(c, "GLB", I) == (6, 6, 0, 0)       # the GLB tile is the whole row, read once per word
    assert counts_of(c, "DRAM", I) == (6, 0, 0, 0)
    assert counts_of(c, "RF", W) == (12, 3, 0, 0)       # weights never move: filled once
    # psums: one output in the RF per F step (4 residencies, each fresh: no fill); per output 3 MACs,
    # the first without a read: RF reads 12 - 4 = 8, updates 12; each residency drained to the GLB.
    assert counts_of(c, "RF", O) == (8, 0, 12, 4)
    assert counts_of(c, "GLB", O) == (0, 0, 4, 4)       # one GLB residency, drained once to DRAM
    assert counts_of(c, "DRAM", O) == (0, 0, 4, 0)


def test_multicast_and_spatial_reduction():
    # FC with M=2 outputs, C=4 inputs. GLB spreads M over 2 PEs (X) and C over 2 (Y); each PE iterates C2.
    layer = fc("fc", 2, 4)
    m = Mapping((LevelMapping(),
                 LevelMapping(spatial=(Loop(Dim.M, 2, Axis.X), Loop(Dim.C, 2, Axis.Y))),
                 LevelMapping(temporal=(Loop(Dim.C, 2),))))
    c = analyze(layer, EYERISS, m)
    assert counts_of(c, "RF", W) == (8, 8, 0, 0)        # 4 PEs x 2 distinct weights
    assert counts_of(c, "GLB", W) == (8, 8, 0, 0)       # no two PEs share a weight; filled once from DRAM
    assert counts_of(c, "RF", I) == (8, 8, 0, 0)        # 4 PEs x 2 inputs ...
    assert counts_of(c, "GLB", I) == (4, 4, 0, 0)       # ... but PEs differing in M get the same inputs: multicast
    # psums: each PE one output, one fresh residency: 2 MAC steps, 1 read; drained once per PE (4 words);
    # the two PEs differing in C are reduced on the way: the GLB is updated with 2 words.
    assert counts_of(c, "RF", O) == (4, 0, 8, 4)
    assert counts_of(c, "GLB", O) == (0, 0, 2, 2)
    # across the array: 8 weights + 8 inputs delivered, 2 reduction hops (4 drained words become 2 updates)
    assert c.transfers("RF", W) == 8 and c.transfers("RF", I) == 8 and c.transfers("RF", O) == 2


def test_partial_sums_spilled_to_dram_come_back_once():
    # FC M=2, C=2 with C outermost at DRAM, M at the GLB, the GLB bypassing outputs: the RF holds 1 output.
    # RF residencies: the first, then M steps (2) and the C step (1, which rewinds M): 4; 2 are first visits,
    # 2 continue an output and are filled from DRAM. DRAM: 4 updates + 2 reads = (2a - 1) per output with a = 2.
    layer = fc("fc", 2, 2)
    m = Mapping((LevelMapping(temporal=(Loop(Dim.C, 2),)),
                 LevelMapping(temporal=(Loop(Dim.M, 2),), bypass=frozenset({O})),
                 LevelMapping()))
    c = analyze(layer, EYERISS, m)
    assert counts_of(c, "RF", O) == (2, 2, 4, 4)        # MAC reads: 4 steps - 2 first accumulations
    assert counts_of(c, "DRAM", O) == (2, 0, 4, 0)


def test_energy_is_counts_times_costs():
    layer = fc("fc", 2, 4)
    m = Mapping((LevelMapping(),
                 LevelMapping(spatial=(Loop(Dim.M, 2, Axis.X), Loop(Dim.C, 2, Axis.Y))),
                 LevelMapping(temporal=(Loop(Dim.C, 2),))))
    e = energy(analyze(layer, EYERISS, m), EYERISS)
    # DRAM: 8 weight + 4 input reads + 2 output updates = 14 x 200; GLB: 8 + 4 reads, 8 + 4 fills, 2 updates,
    # 2 drains = 28 x 6; RF: weights 16, inputs 16, outputs 4+8+4 = 16 -> 48 x 1; array: 8 + 8 + 2 = 18 x 2; MACs 8
    assert e.total == 14 * 200 + 28 * 6 + 48 + 18 * 2 + 8
    assert e.by_level()["DRAM"] == 2800
