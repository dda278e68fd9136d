"""Hypothesis strategies for small layers, architectures and legal mappings, for any test to reuse.

``layers()`` draws strided, dilated, padded, grouped convolutions and FC layers small enough to simulate word by
word; ``archs()`` draws presets and hand-built hierarchies (1-4 levels, random keeps, fan-outs on X and Y, a MAC
fan-out, capacities or none); ``mappings(layer, arch)`` draws a legal mapping: every prime factor of every
dimension goes to a temporal or spatial slot of some level (spatial slots limited by the fan-out below), loops are
ordered at random within each level and each inner level bypasses a random subset of what it keeps.
``cases()`` draws all three together.
"""
from __future__ import annotations

from hypothesis import strategies as st

from stationary.arch import preset
from stationary.arch.spec import Arch, ComputeUnit, MemoryLevel, StorageKind
from stationary.core import DIMS, StationaryError, TENSORS, divisors
from stationary.mapping import Axis, LevelMapping, Loop, Mapping, check
from stationary.workload.layer import Layer, LayerKind

PRESET_NAMES = ("eyeriss", "timeloop-eyeriss-like")


def document_paths(node, path=()):
    """Every (path, value) in a parsed YAML/JSON document, the root included (for mutating documents)."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from document_paths(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from document_paths(value, path + (i,))


def _primes(n: int) -> list[int]:
    """Prime factors with repetition: the smallest divisor above 1, again and again."""
    out = []
    while n > 1:
        out.append(divisors(n)[1])
        n //= out[-1]
    return out


@st.composite
def layers(draw, max_dim: int = 4) -> Layer:
    """A small convolution (strided, dilated, padded, grouped at random) or FC layer."""
    if draw(st.integers(0, 5)) == 0:
        return Layer("fc", LayerKind.FC, M=draw(st.integers(1, 6)), C=draw(st.integers(1, 6)),
                     N=draw(st.integers(1, 2)))
    g = draw(st.sampled_from((1, 1, 2, 3)))
    m_per_group = draw(st.integers(1, max_dim))
    c = draw(st.integers(1, 3))
    r, s = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    u, dil = draw(st.integers(1, 3)), draw(st.sampled_from((1, 1, 2)))
    e, f = draw(st.integers(1, max_dim)), draw(st.integers(1, max_dim))
    h_padded, w_padded = (e - 1) * u + dil * (r - 1) + 1, (f - 1) * u + dil * (s - 1) + 1
    pad_h = draw(st.integers(0, min(2, h_padded - 1)))
    pad_w = draw(st.integers(0, min(2, w_padded - 1)))
    return Layer("conv", LayerKind.CONV, M=g * m_per_group, C=c, H=h_padded - pad_h, W=w_padded - pad_w, R=r,
                 S=s, U=u, N=draw(st.integers(1, 2)), G=g, pad_h=pad_h, pad_w=pad_w, dilation=dil)


@st.composite
def archs(draw) -> Arch:
    """A preset, or a hand-built hierarchy whose inner levels keep random tensors with random fan-outs."""
    if draw(st.booleans()):
        return preset(draw(st.sampled_from(PRESET_NAMES)))
    depth = draw(st.integers(1, 4))
    levels = [MemoryLevel("L0", StorageKind.DRAM, frozenset(TENSORS))]
    for i in range(1, depth):
        keeps = frozenset(t for t in TENSORS if draw(st.booleans()))
        kind = StorageKind.RF if i == depth - 1 else StorageKind.BUFFER
        levels.append(MemoryLevel(f"L{i}", kind if keeps else StorageKind.DUMMY, keeps,
                                  fanout_x=draw(st.integers(1, 4)), fanout_y=draw(st.integers(1, 3))))
    mac = ComputeUnit(fanout_x=draw(st.integers(1, 3)), fanout_y=draw(st.integers(1, 2)))
    return Arch("handmade", tuple(levels), mac=mac)


def _fanout_below(arch: Arch, level: int) -> tuple[int, int]:
    below = arch.levels[level + 1] if level + 1 < len(arch.levels) else arch.mac
    return below.fanout_x, below.fanout_y


def _ceil_parts(draw, size: int) -> list[int]:
    """Bounds whose product reaches ``size`` without dividing it in general (the mapping is fitted after)."""
    parts = [draw(st.integers(2, max(2, size - 1))) for _ in range(draw(st.integers(1, 2)))]
    total = 1
    for p in parts:
        total *= p
    if total < size:
        parts.append(-(-size // total))
    return parts


@st.composite
def _placement(draw, layer: Layer, arch: Arch, remainders: bool = False) -> Mapping:
    depth = len(arch.levels)
    room = {(i, a): lim for i in range(depth) for a, lim in zip((Axis.X, Axis.Y), _fanout_below(arch, i))}
    temporal: list[list[Loop]] = [[] for _ in range(depth)]
    spatial: list[list[Loop]] = [[] for _ in range(depth)]
    for dim in DIMS:
        size = layer.dims[dim]
        imperfect = remainders and size > 2 and draw(st.integers(0, 2)) == 0
        parts = _ceil_parts(draw, size) if imperfect else _primes(size)
        for p in parts:
            level = draw(st.integers(0, depth - 1))
            axis = draw(st.sampled_from((None, None, Axis.X, Axis.Y)))
            fits = room[(level, axis)] >= p and (imperfect or room[(level, axis)] % p == 0) if axis else False
            if fits:
                room[(level, axis)] //= p
                spatial[level].append(Loop(dim, p, axis))
            else:
                temporal[level].append(Loop(dim, p))
    levels = []
    for i in range(depth):
        t = _merge(draw, temporal[i])
        sp = _merge(draw, spatial[i])
        bypass = frozenset(x for x in arch.levels[i].keeps if i > 0 and draw(st.integers(0, 3)) == 0)
        levels.append(LevelMapping(temporal=tuple(draw(st.permutations(t))) if t else (),
                                   spatial=tuple(draw(st.permutations(sp))) if sp else (), bypass=bypass))
    mapping = Mapping(tuple(levels))
    return mapping.fitted(layer.dims) if remainders else mapping


def _merge(draw, loops: list[Loop]) -> list[Loop]:
    """Merge some loops of the same dimension (and axis) into one, so levels get both single and split loops."""
    out: list[Loop] = []
    for loop in loops:
        same = [k for k, o in enumerate(out) if o.dim is loop.dim and o.axis is loop.axis]
        if same and draw(st.booleans()):
            k = same[0]
            out[k] = Loop(loop.dim, out[k].bound * loop.bound, loop.axis)
        else:
            out.append(loop)
    return out


@st.composite
def mappings(draw, layer: Layer, arch: Arch, tries: int = 8, remainders: bool = False) -> Mapping:
    """A legal mapping of ``layer`` on ``arch``; after ``tries`` illegal draws (capacity), everything temporal at
    the outermost level, which is always legal. With ``remainders``, some dimensions are split into bounds that
    do not divide them (fitted with residuals, at any level, temporal or spatial)."""
    for _ in range(tries):
        m = draw(_placement(layer, arch, remainders))
        try:
            check(layer, arch, m)
            return m
        except StationaryError:
            continue
    top = LevelMapping(temporal=tuple(Loop(d, n) for d, n in layer.dims.items() if n > 1))
    return Mapping((top,) + tuple(LevelMapping() for _ in arch.levels[1:]))


@st.composite
def cases(draw, max_dim: int = 4, remainders: bool = False) -> tuple[Layer, Arch, Mapping]:
    layer = draw(layers(max_dim))
    arch = draw(archs())
    return layer, arch, draw(mappings(layer, arch, remainders=remainders))


def any_cases(max_dim: int = 4):
    """Cases with and without remainders, half and half."""
    return st.one_of(cases(max_dim), cases(max_dim, remainders=True))
