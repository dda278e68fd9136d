"""Properties of the analytical model on random small layers and mappings (hypothesis).

Each property follows from the semantics in docs/semantics.md, not from the code: one weight and one input per MAC
at the innermost level, one psum update per MAC, compulsory traffic as a floor, multicast never adding reads,
energy linear in every cost.
"""
from dataclasses import replace

from hypothesis import given, settings, strategies as st

from stationary.arch.spec import Arch, ComputeUnit, MemoryLevel, StorageKind, Unit
from stationary.core import DIMS, TENSORS, Tensor, prime_factors, prod
from stationary.mapping import Axis, LevelMapping, Loop, Mapping
from stationary.model import analyze, energy
from stationary.workload import Layer, LayerKind

ALL = frozenset(TENSORS)


def _arch(rf_keeps: frozenset, glb_keeps: frozenset) -> Arch:
    return Arch("prop", (
        MemoryLevel("DRAM", StorageKind.DRAM, ALL, read_energy=200.0, write_energy=200.0),
        MemoryLevel("GLB", StorageKind.BUFFER, glb_keeps, read_energy=6.0, write_energy=6.0),
        MemoryLevel("RF", StorageKind.RF, rf_keeps, fanout_x=8, fanout_y=8, read_energy=1.0, write_energy=1.0,
                    network_energy=2.0),
    ), mac=ComputeUnit(1.0), unit=Unit.MAC)


@st.composite
def cases(draw):
    stride = draw(st.integers(1, 2))
    R, S = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    E, F = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    layer = Layer("L", LayerKind.CONV, M=draw(st.sampled_from([1, 2, 4, 6])), C=draw(st.sampled_from([1, 2, 3, 4])),
                  H=(E - 1) * stride + R, W=(F - 1) * stride + S, R=R, S=S, U=stride,
                  N=draw(st.integers(1, 2)))
    temporal = [[], [], []]
    spatial = [{}, {}, {}]  # level -> {(dim, axis): bound}
    for dim, size in layer.dims.items():
        for f in prime_factors(size):
            level = draw(st.integers(0, 2))
            if level > 0 and draw(st.booleans()):  # spatial over the fan-out into the RF (from the GLB)
                key = (dim, draw(st.sampled_from([Axis.X, Axis.Y])))
                spatial[1][key] = spatial[1].get(key, 1) * f
            else:
                temporal[level].append(Loop(dim, f))
    levels = []
    for i in range(3):
        loops = draw(st.permutations(temporal[i])) if temporal[i] else []
        sp = tuple(Loop(d, b, a) for (d, a), b in spatial[i].items())
        levels.append(LevelMapping(temporal=tuple(loops), spatial=sp))
    mapping = Mapping(tuple(levels))
    for axis in (Axis.X, Axis.Y):
        if mapping.levels[1].spatial_bound(axis) > 8:
            return draw(cases())
    rf = frozenset(draw(st.sets(st.sampled_from(TENSORS))))
    glb = frozenset(draw(st.sets(st.sampled_from(TENSORS))))
    return layer, _arch(rf, glb), mapping


def innermost(arch: Arch, tensor: Tensor) -> str:
    return [level.name for level in arch.levels if tensor in level.keeps][-1]


@settings(max_examples=150, deadline=None)
@given(cases())
def test_innermost_level_delivers_one_operand_per_mac_and_takes_one_update(case):
    # Under the innermost keeper k, MAC units that differ only in dims a tensor ignores share its word (multicast),
    # and units that differ only in C, R, S add their products before the update (spatial reduction).
    layer, arch, mapping = case
    c = analyze(layer, arch, mapping)
    for tensor in (Tensor.WEIGHT, Tensor.PSUM):
        k = innermost(arch, tensor)
        ignored = _spatial(mapping, arch.level_index(k), above=False, dims=set(DIMS) - tensor.dims)
        entry = c.at(k, tensor)
        if tensor is Tensor.WEIGHT:
            assert entry.reads * ignored == layer.macs
        else:
            assert entry.updates * ignored == layer.macs
            # every accumulation reads the psum back except the first into each output (per reduction group)
            above = _spatial(mapping, arch.level_index(k), above=True, dims=set(DIMS) - tensor.dims)
            assert entry.reads == entry.updates - layer.ofmap_words * above
    k = innermost(arch, Tensor.IFMAP)
    if _spatial(mapping, arch.level_index(k), above=False, dims=set(DIMS)) == 1:
        assert c.at(k, Tensor.IFMAP).reads == layer.macs


def _spatial(mapping: Mapping, level: int, *, above: bool, dims) -> int:
    """Product of the spatial loops over ``dims`` at levels above ``level`` (or at it and below)."""
    return prod(l.bound for i, lm in enumerate(mapping.levels) for l in lm.spatial
                if l.dim in dims and ((i < level) if above else (i >= level)))


@settings(max_examples=150, deadline=None)
@given(cases())
def test_compulsory_traffic_is_a_floor_and_multicast_never_adds(case):
    layer, arch, mapping = case
    c = analyze(layer, arch, mapping)
    assert c.at("DRAM", Tensor.WEIGHT).reads >= layer.weights
    assert c.at("DRAM", Tensor.PSUM).updates >= layer.ofmap_words
    used_rows = len({layer.U * e + r for e in range(layer.E) for r in range(layer.R)})
    used_cols = len({layer.U * f + s for f in range(layer.F) for s in range(layer.S)})
    assert c.at("DRAM", Tensor.IFMAP).reads >= layer.N * layer.C * used_rows * used_cols
    # the GLB serves the RF: a word multicast to several PEs is read once, so reads <= the PEs' fills
    for tensor in (Tensor.WEIGHT, Tensor.IFMAP):
        if tensor in arch.levels[1].keeps and tensor in arch.levels[2].keeps:
            assert c.at("GLB", tensor).reads <= c.at("RF", tensor).fills


@settings(max_examples=60, deadline=None)
@given(cases(), st.integers(0, 2), st.floats(0.5, 4.0))
def test_energy_is_linear_in_each_cost(case, index, scale):
    layer, arch, mapping = case
    counts = analyze(layer, arch, mapping)
    base = energy(counts, arch)
    level = arch.levels[index]
    bumped = replace(level, read_energy=tuple(v * scale for v in level.read_energy))
    arch2 = replace(arch, levels=arch.levels[:index] + (bumped,) + arch.levels[index + 1:])
    reads = sum((e.reads + e.drains) * level.read_cost(e.tensor) for e in counts.levels if e.level == level.name)
    assert abs(energy(counts, arch2).total - base.total - (scale - 1) * reads) < 1e-6 * max(1.0, base.total)
