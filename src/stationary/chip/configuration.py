"""The row-stationary configuration the Eyeriss chip would run for one layer, derived in closed form.

The rules (Chen et al., JSSC 2017, Sec. IV-V; the names n, p, q, r, t are the paper's):

* The logical PE set is R x E (filter rows down the array, output rows across it).
* Strip-mining: when E exceeds the array's 14 columns, E is cut into near-equal strips of at most 14
  (CONV2's 27 -> 14 + 13). When only one set fits in the array's height (R > 12 / 2) the strip is halved to 7 so
  that two sets sit side by side on the same ifmap rows, each on its own filters (CONV1's 55 -> strips of 7, the
  last 6). The second rule reproduces the paper's CONV1 shape; the paper's own reason for it (its optimizer's
  choice) is not derived here.
* p (filters per PE pass) and q (channels per PE pass) fill the scratchpads: q*S <= 12 ifmap words,
  p <= 24 psum words, p*q*S <= 224 filter words; q divides C and p divides M (per group), largest first.
* r (sets across channels) stack vertically, so their psums keep accumulating down the column; what is left of
  the array's height, and the sets side by side, take filters: t (sets across filters).
* n (images per pass): the largest divisor of N whose ifmap strip and psums fit the 100 kB buffer.

>>> from stationary.workload import conv
>>> c3 = configure(conv("CONV3", 384, 256, 15, 3, batch=4))
>>> c3.set_shape, c3.strips, (c3.n, c3.p, c3.q, c3.r, c3.t), c3.active_pes
((3, 13), (13,), (4, 16, 4, 4, 1), 156)
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from stationary.core import StationaryError, divisors
from stationary.workload.layer import Layer, LayerKind


@dataclass(frozen=True, slots=True)
class ChipLimits:
    """The Eyeriss chip's array, scratchpads, buffer and natively supported shapes (JSSC 2017, Table I)."""
    rows: int = 12
    cols: int = 14
    filter_spad_words: int = 224
    ifmap_spad_words: int = 12
    psum_spad_words: int = 24
    glb_fmap_words: int = 100 * 1024 // 2      # 100 kB of 16-bit words for ifmaps and psums
    glb_filter_words: int = 8 * 1024 // 2      # 8 kB for filters
    max_filter_height: int = 12
    max_filter_width: int = 32
    max_filters: int = 1024
    max_channels: int = 1024
    max_horizontal_stride: int = 12
    vertical_strides: tuple[int, ...] = (1, 2, 4)

    @property
    def pes(self) -> int:
        return self.rows * self.cols


EYERISS = ChipLimits()


@dataclass(frozen=True, slots=True)
class RSConfig:
    """One layer's configuration. ``strips`` are the widths (output rows) of the set's strips, in order."""
    layer: Layer
    logical: tuple[int, int]          # R x E
    strips: tuple[int, ...]
    n: int                            # images per processing pass
    p: int                            # filters per PE pass
    q: int                            # channels per PE pass
    r: int                            # sets across channels
    t: int                            # sets across filters
    sets_vertical: int
    sets_horizontal: int
    glb_fmap_words: int               # ifmap strip + psums of one pass, in the 100 kB part
    glb_filter_words: int             # filters of one pass, in the 8 kB part
    splits: tuple[str, ...]           # how the layer departs from native support, and how it is split
    notes: tuple[str, ...] = ()       # other remarks (a strip that streams through the buffer)

    @property
    def set_shape(self) -> tuple[int, int]:
        return (self.logical[0], self.strips[0])

    @property
    def sets(self) -> int:
        return self.r * self.t

    def active_pes_of(self, width: int) -> int:
        return self.logical[0] * width * self.sets

    @property
    def active_pes(self) -> int:
        """Active PEs averaged over the work (each strip weighted by its output rows), rounded."""
        e = sum(self.strips)
        return round(sum(self.active_pes_of(w) * w for w in self.strips) / e)

    @property
    def passes(self) -> int:
        """Processing passes: strips x filter groups x channel groups x image groups (per group G)."""
        L = self.layer
        return (len(self.strips) * math.ceil(L.M // L.G / (self.p * self.t)) * math.ceil(L.C / (self.q * self.r))
                * math.ceil(L.N / self.n) * L.G)

    @property
    def native(self) -> bool:
        return not self.splits

    @property
    def peak_active_pes(self) -> int:
        return self.active_pes_of(self.strips[0])


def native_issues(layer: Layer, limits: ChipLimits = EYERISS) -> list[str]:
    """Where a layer leaves the chip's natively supported shapes, each with the split that runs it anyway."""
    out = []
    mg = layer.M // layer.G
    if layer.R > limits.max_filter_height:
        out.append(f"filter height {layer.R} > {limits.max_filter_height}: not runnable as one set")
    if layer.S > limits.max_filter_width:
        out.append(f"filter width {layer.S} > {limits.max_filter_width}: split S into "
                   f"{math.ceil(layer.S / limits.max_filter_width)} parts accumulated as extra channels")
    if mg > limits.max_filters:
        out.append(f"{mg} filters > {limits.max_filters}: run as {math.ceil(mg / limits.max_filters)} "
                   f"layers of at most {limits.max_filters} filters")
    if layer.C > limits.max_channels:
        out.append(f"{layer.C} channels > {limits.max_channels}: run as {math.ceil(layer.C / limits.max_channels)}"
                   f" partial layers whose psums are accumulated through the buffer")
    if layer.U > limits.max_horizontal_stride:
        out.append(f"horizontal stride {layer.U} > {limits.max_horizontal_stride}")
    if layer.U not in limits.vertical_strides:
        out.append(f"vertical stride {layer.U} not in {limits.vertical_strides}: run at stride 1 and keep every "
                   f"{layer.U}th output row")
    return out


def _largest(n: int, ok) -> int:
    return max(d for d in divisors(n) if ok(d))


def configure(layer: Layer, limits: ChipLimits = EYERISS) -> RSConfig:
    """The chip's RS configuration of a CONV (or FC, as a 1 x 1 CONV) layer."""
    where = f"layer {layer.name}"
    if layer.kind is LayerKind.MATMUL:
        raise StationaryError("the chip runs CONV and FC layers only", where=where, field="kind", value="matmul")
    splits, notes = native_issues(layer, limits), []
    if layer.R > limits.rows:
        raise StationaryError(f"a filter taller than the array's {limits.rows} rows has no RS set on the chip",
                              where=where, field="R", value=layer.R)
    R, E, mg = layer.R, layer.E, layer.M // layer.G
    sets_v = limits.rows // R
    if E <= limits.cols:
        width = E
    elif sets_v == 1:
        width = limits.cols // 2
    else:
        width = math.ceil(E / math.ceil(E / limits.cols))
    strips = tuple([width] * (E // width) + ([E % width] if E % width else []))
    sets_h = limits.cols // width
    q = _largest(layer.C, lambda d: d * layer.S <= limits.ifmap_spad_words) \
        if layer.S <= limits.ifmap_spad_words else 1
    p = _largest(mg, lambda d: d <= limits.psum_spad_words and d * q * layer.S <= limits.filter_spad_words)
    r = _largest(layer.C // q, lambda d: d <= sets_v)
    t = _largest(mg // p, lambda d: d <= (sets_v // r) * sets_h)
    rows_in = (width - 1) * layer.U + layer.dilation * (R - 1) + 1

    def fmap_words(n: int) -> int:
        return n * (q * r * rows_in * layer.W + p * t * width * layer.F)

    fitting = [d for d in divisors(layer.N) if fmap_words(d) <= limits.glb_fmap_words]
    n = max(fitting) if fitting else 1
    if not fitting:
        notes.append(f"one image's ifmap strip and psums ({fmap_words(1)} words) exceed the buffer's "
                     f"{limits.glb_fmap_words}: the strip streams through the buffer")
    if layer.S > limits.ifmap_spad_words:
        notes.append(f"filter width {layer.S} > the ifmap scratchpad's {limits.ifmap_spad_words} words: "
                     f"the window streams through it")
    return RSConfig(layer, (R, E), strips, n, p, q, r, t, sets_v, sets_h, fmap_words(n),
                    p * t * q * r * R * layer.S, tuple(splits), tuple(notes))


def describe(config: RSConfig) -> str:
    """The configuration in one line of words."""
    R, E = config.logical
    if len(config.strips) == 1:
        shape = f"set {R} x {E}"
    else:
        widths = sorted(set(config.strips), reverse=True)
        split = " + ".join(f"{config.strips.count(w)} x ({R} x {w})" for w in widths)
        shape = f"set {R} x {E} strip-mined into {split}"
    text = (f"{config.layer.name}: {shape}; {config.sets} set(s) ({config.r} across channels x {config.t} across "
            f"filters); n={config.n} p={config.p} q={config.q} r={config.r} t={config.t}; "
            f"{config.active_pes} active PEs; {config.passes} passes; buffer {config.glb_fmap_words} + "
            f"{config.glb_filter_words} words")
    if config.splits:
        text += "; not native: " + "; ".join(config.splits)
    if config.notes:
        text += "; " + "; ".join(config.notes)
    return text
