"""Programming integer weights into a macro's arrays ("fabrication": the per-cell variation is drawn once
here, from the macro's seed) and reading them with integer inputs: the analog matrix product, tile by tile,
through the transfer function, read noise and the ADC, then shift-and-add in digital.

A ``K x N`` weight matrix occupies ``ceil(K / rows)`` row tiles by ``ceil(N * cells_per_weight / columns)``
column tiles of arrays; weight ``n``'s cells sit in columns ``n * cells_per_weight + c`` (least significant
first). ``read`` returns the ``P x N`` result in LSB products (exact integers for an ideal macro with enough
ADC bits) and the counted :class:`Actions`.

>>> import numpy as np
>>> from stationary.cim.macro import Macro, Encoding
>>> m = Macro(rows=4, columns=8, input_bits=3, dac_bits=1, weight_bits=4, bits_per_cell=2, adc_bits=5)
>>> w = np.array([[3, -8], [-1, 7], [0, 2], [5, -4], [1, 1]])           # K = 5 rows > 4: two row tiles
>>> x = np.array([[7, 1, 0, 3, 5]])
>>> y, acts = read(program(m, w), x)
>>> y.tolist(), (x @ w).tolist()
([[40.0, -56.0]], [[40, -56]])
>>> acts.adc_conversions, acts.array_reads              # 3 input bits x 2 row tiles x 4 columns; 6 reads
(24, 6)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from stationary.cim.actions import Actions
from stationary.cim.macro import Accumulation, Encoding, Macro, VariationKind
from stationary.core import StationaryError


@dataclass(frozen=True, slots=True)
class Programmed:
    """A weight matrix written into a macro: per row tile, each line's effective cell values (variation applied)."""
    macro: Macro
    k: int
    n: int
    pos: np.ndarray = field(repr=False)            # row tiles x rows x (n * cells_per_weight)
    neg: np.ndarray | None = field(repr=False)     # the second line of differential columns
    flipped: np.ndarray = field(repr=False)        # row tiles x columns used: stored inverted (ISAAC)
    rows_used: tuple[int, ...]

    @property
    def row_tiles(self) -> int:
        return len(self.rows_used)

    @property
    def columns_used(self) -> int:
        return self.n * self.macro.cells_per_weight

    @property
    def column_tiles(self) -> int:
        return -(-self.columns_used // self.macro.columns)

    @property
    def arrays(self) -> int:
        return self.row_tiles * self.column_tiles


def tiles_needed(macro: Macro, k: int, n: int) -> tuple[int, int]:
    """(row tiles, column tiles) a ``k x n`` weight matrix takes."""
    return -(-k // macro.rows), -(-(n * macro.cells_per_weight) // macro.columns)


def check_fits(macro: Macro, k: int, n: int, where: str = "") -> None:
    """Raise a clear error when a ``k x n`` matrix cannot be mapped onto the macro."""
    rt, ct = tiles_needed(macro, k, n)
    if rt > 1 and macro.adc_bits == 1:
        raise StationaryError(f"a reduction of {k} rows needs {rt} arrays of {macro.rows} rows, and a 1-bit "
                              "(comparator) output cannot be accumulated across arrays", where=where or None,
                              field="rows", value=k)
    if macro.arrays is not None and rt * ct > macro.arrays:
        raise StationaryError(f"a {k} x {n} weight matrix needs {rt} x {ct} arrays of {macro.rows} x "
                              f"{macro.columns}; the design has {macro.arrays}", where=where or None,
                              field="arrays", value=rt * ct)


def _cells(macro: Macro, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per weight, its cells' stored values (K x N x cells, least significant first) and its sign."""
    if macro.encoding is Encoding.OFFSET:
        mag, sign = w + (1 << (macro.weight_bits - 1)), np.ones_like(w)
    else:
        mag, sign = np.abs(w), np.where(w < 0, -1, 1)
    shifts = macro.bits_per_cell * np.arange(macro.cells_per_weight)
    cells = (mag[..., None] >> shifts) & ((1 << macro.bits_per_cell) - 1)
    return cells, sign


def program(macro: Macro, w: np.ndarray, *, seed_offset: int = 0, where: str = "") -> Programmed:
    """Write the integer weight matrix ``w`` (K x N, codes within ``macro.weight_range``) into the arrays."""
    w = np.asarray(w)
    if w.ndim != 2 or not np.issubdtype(w.dtype, np.integer):
        raise StationaryError("weights must be a K x N matrix of integer codes", where=where or None,
                              field="weights", value=getattr(w, "shape", None))
    low, high = macro.weight_range
    if w.size and (w.min() < low or w.max() > high or (macro.weight_bits == 1 and np.any(w == 0))):
        raise StationaryError(f"weight codes must lie in [{low}, {high}]" + (" and be +/-1" if macro.weight_bits == 1
                              else ""), where=where or None, field="weights", value=(int(w.min()), int(w.max())))
    k, n = w.shape
    check_fits(macro, k, n, where)
    rt = -(-k // macro.rows)
    cells, sign = _cells(macro, w.astype(np.int64))
    cols = n * macro.cells_per_weight
    stored = np.zeros((rt * macro.rows, cols))
    stored[:k] = cells.reshape(k, cols)
    sign_cols = np.zeros((rt * macro.rows, cols))
    sign_cols[:k] = np.repeat(sign, macro.cells_per_weight, axis=1)
    stored = stored.reshape(rt, macro.rows, cols)
    sign_cols = sign_cols.reshape(rt, macro.rows, cols)
    flipped = np.zeros((rt, cols), bool)
    if macro.flip_columns:
        top = (1 << macro.bits_per_cell) - 1
        flipped = stored.sum(axis=1) > macro.rows * top / 2
        real = np.zeros_like(stored, bool)
        real.reshape(rt * macro.rows, cols)[:k] = True
        stored = np.where(flipped[:, None, :] & real, top - stored, stored)
    stored = (stored * _variation(macro, stored.shape, seed_offset)).astype(_dtype(macro))
    if macro.encoding is Encoding.DIFFERENTIAL:
        pos, neg = np.where(sign_cols > 0, stored, 0.0), np.where(sign_cols < 0, stored, 0.0)
    else:
        pos, neg = stored, None
    used = tuple(min(macro.rows, k - r * macro.rows) for r in range(rt))
    return Programmed(macro, k, n, pos, neg, flipped, used)


def _dtype(macro: Macro) -> type:
    """float32 where it holds every integer sum a line can reach exactly (twice as fast), else float64."""
    return np.float32 if macro.line_full_scale < 1 << 24 else np.float64


def _variation(macro: Macro, shape: tuple[int, int, int], seed_offset: int) -> np.ndarray:
    """Per-cell multiplicative factors, fixed at fabrication: each physical array (row tile r, column tile c)
    draws its own ``rows x columns`` cells from (seed, r, c), whatever is later stored in it, and independently
    of the read noise."""
    spec = macro.nonideal
    if spec.variation == 0:
        return np.ones(shape)
    rt, rows, cols = shape
    ct = -(-cols // macro.columns)
    z = np.concatenate([np.stack([np.random.default_rng([spec.seed, 1, seed_offset, r, c]).standard_normal(
        (rows, macro.columns)) for r in range(rt)]) for c in range(ct)], axis=2)[:, :, :cols]
    if spec.variation_kind is VariationKind.LOGNORMAL:
        return np.exp(spec.variation * z)
    return np.maximum(1.0 + spec.variation * z, 0.0)


def drive(macro: Macro, x: np.ndarray) -> np.ndarray:
    """What a row contributes per unit cell for DAC code ``x``: the code itself, except in a bit-line-discharge
    array, where the bit cell's discharge current saturates with its word-line voltage:
    ``X (1 - exp(-k x / X)) / k`` with ``X`` the full code (slope 1 at 0)."""
    k = macro.nonideal.nonlinearity
    if k == 0 or macro.accumulation is not Accumulation.DISCHARGE:
        return x
    top = (1 << macro.dac_bits) - 1
    return (top * -np.expm1(-k * x / top) / k).astype(x.dtype)


def transfer(macro: Macro, u: np.ndarray) -> np.ndarray:
    """A line's analog value for its sum ``u`` (LSB products): ``u / (1 + k |u| / fs)`` for charge sharing
    (parasitic attenuation) and current summing (IR drop, I-V compression); discharge arrays are nonlinear in
    their drive instead (see ``drive``: a common monotonic compression of both bit lines would not change a
    comparator's decision)."""
    k = macro.nonideal.nonlinearity
    if k == 0 or macro.accumulation is Accumulation.DISCHARGE:
        return u
    return u / (1.0 + k * np.abs(u) / macro.line_full_scale)


def adc(macro: Macro, v: np.ndarray) -> np.ndarray:
    """Quantize (and clip) analog column values to the ADC's levels, returned in LSB products."""
    lsb = macro.adc_lsb()
    if macro.signed_output:
        if macro.adc_bits == 1:
            return np.where(v > 0, lsb, -lsb)
        half = 1 << (macro.adc_bits - 1)
        return np.clip(np.rint(v / lsb), -half, half - 1) * lsb
    return np.clip(np.rint(v / lsb), 0, (1 << macro.adc_bits) - 1) * lsb


def read(prog: Programmed, x: np.ndarray, rng: np.random.Generator | None = None) -> tuple[np.ndarray, Actions]:
    """``x`` (P x K unsigned input codes) times the programmed weights: (P x N result in LSB products, actions)."""
    m = prog.macro
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[1] != prog.k or not np.issubdtype(x.dtype, np.integer):
        raise StationaryError(f"inputs must be a P x {prog.k} matrix of integer codes", field="inputs",
                              value=getattr(x, "shape", None))
    if x.size and (x.min() < 0 or x.max() >= 1 << m.input_bits):
        raise StationaryError(f"input codes must lie in [0, {(1 << m.input_bits) - 1}]", field="inputs",
                              value=(int(x.min()), int(x.max())))
    if rng is None:
        rng = np.random.default_rng([m.nonideal.seed, 2])
    p, s = x.shape[0], m.input_slices
    shifts = (np.arange(s) * m.dac_bits)[:, None, None]
    top = (1 << m.bits_per_cell) - 1
    acc = np.zeros((p, prog.columns_used))
    for r, used in enumerate(prog.rows_used):
        xr = x[:, r * m.rows:r * m.rows + used].astype(np.int32)
        xs = ((xr[None] >> shifts) & ((1 << m.dac_bits) - 1)).astype(_dtype(m)).reshape(s * p, used)
        if prog.flipped[r].any():
            ones = top * xs.sum(axis=1, keepdims=True)
        xs = drive(m, xs)
        v = transfer(m, xs @ prog.pos[r][:used])
        if prog.neg is not None:
            v = v - transfer(m, xs @ prog.neg[r][:used])
        if m.nonideal.noise:
            v = v + m.nonideal.noise * rng.standard_normal(v.shape, dtype=v.dtype)
        v = adc(m, v)
        if prog.flipped[r].any():
            v = np.where(prog.flipped[r], ones - v, v)
        acc += v if s == 1 else np.tensordot(2.0 ** (np.arange(s) * m.dac_bits), v.reshape(s, p, -1), axes=1)
    weights = 2.0 ** (m.bits_per_cell * np.arange(m.cells_per_weight))
    y = (acc.reshape(p, prog.n, m.cells_per_weight) * weights).sum(axis=2)
    if m.encoding is Encoding.OFFSET:
        y -= float(1 << (m.weight_bits - 1)) * x.sum(axis=1, keepdims=True)
    return y, count(prog, p)


def count(prog: Programmed, p: int) -> Actions:
    """The actions of reading ``p`` input vectors: arithmetic on the tiling alone (no data involved)."""
    m = prog.macro
    s, ct, cols, rows = m.input_slices, prog.column_tiles, prog.columns_used, sum(prog.rows_used)
    terms = s * prog.row_tiles * m.cells_per_weight        # ADC outputs summed into one output
    adds = p * prog.n * (terms - 1)
    if m.encoding is Encoding.OFFSET:
        adds += p * (prog.k - 1) + p * prog.n             # sum of the inputs, then the correction
    flips = int(prog.flipped.sum())
    if flips:
        adds += p * s * (sum(prog.rows_used) - prog.row_tiles) + p * s * flips
    return Actions(dac_conversions=p * s * rows * ct, row_activations=p * s * rows * ct,
                   cell_ops=p * s * rows * cols, array_reads=p * s * prog.row_tiles * ct,
                   adc_conversions=p * s * prog.row_tiles * cols, digital_adds=adds,
                   buffer_reads=p * prog.k * ct, buffer_writes=p * prog.n)
