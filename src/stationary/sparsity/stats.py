"""Sparsity statistics of a 16-bit array and the entropy limit that the chip's run-length code is measured against.

The values (flattened in C order) split into *groups*: each non-zero value with the run of zeros before it, and,
when the array ends in zeros, a last group of those trailing zeros with no level. The runs here are uncapped (the
codec's 31-zero cap is a property of the code, not of the data).

Entropies are zeroth-order and empirical: a stream of ``N`` symbols in which symbol ``s`` occurs ``c_s`` times
carries ``sum_s c_s log2(N / c_s)`` bits, the least any code that gives each symbol a fixed codeword can spend
(the code table itself not counted).

``entropy_limit_bits`` = entropy of the run stream + ``level_bits`` (16) x non-zeros: the limit for a code that
keeps every non-zero level raw, as the chip's RLC does, and compresses only where the zeros are. On zeros placed
independently at density ``d`` it tends to ``n * H2(d) + 16 * n * d``. ``pair_entropy_bits`` (the joint (run,
level) stream) and ``level_entropy_bits`` are lower limits that also compress the levels.

>>> s = sparsity_stats(np.array([0, 5, 0, 0, 7, 0, 5], np.int16))
>>> s.count, s.nonzeros, round(s.density, 3), s.group_count
(7, 3, 0.429, 3)
>>> round(s.run_entropy_bits, 3), round(s.entropy_limit_bits, 3)    # runs 1, 2, 1: 2 log2(3/2) + log2(3)
(2.755, 50.755)
>>> histogram(np.array([0, 5, 0, 0, 7, 0, 5]))
((0, 5, 7), (4, 2, 1))
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LEVEL_BITS = 16


def entropy_bits(symbols: np.ndarray) -> float:
    """Empirical zeroth-order entropy of a symbol stream in bits, in total (not per symbol): sum c log2(N / c).

    >>> entropy_bits(np.array([3, 3, 4, 4])), entropy_bits(np.array([9, 9, 9])), entropy_bits(np.array([]))
    (4.0, 0.0, 0.0)
    """
    symbols = np.asarray(symbols).ravel()
    if symbols.size == 0:
        return 0.0
    _, counts = np.unique(symbols, return_counts=True)
    counts = counts.astype(np.float64)
    return float(np.sum(counts * np.log2(symbols.size / counts)))


def histogram(values: np.ndarray) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The distinct values in increasing order and how often each occurs."""
    vals, counts = np.unique(np.asarray(values).ravel(), return_counts=True)
    return tuple(int(v) for v in vals), tuple(int(c) for c in counts)


def groups(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(runs, ends, trailing)``: the uncapped zero run before each group's last value, the index of that value,
    and whether the last group is trailing zeros (its last value is a zero, not a level). Vectorized.

    >>> r, e, t = groups(np.array([0, 0, 12, 0, 53, 0, 0]))
    >>> r.tolist(), e.tolist(), t
    ([2, 1, 1], [2, 4, 6], True)
    """
    flat = np.asarray(values).ravel()
    n = flat.size
    ends = np.flatnonzero(flat)
    trailing = bool(n and flat[-1] == 0)
    if trailing:
        ends = np.append(ends, n - 1)
    runs = np.diff(ends, prepend=-1) - 1
    return runs.astype(np.int64), ends.astype(np.int64), trailing


@dataclass(frozen=True, slots=True)
class SparsityStats:
    """Counts and entropies of one array; see the module's docs for the definitions."""
    count: int
    nonzeros: int
    group_count: int                  # non-zeros, plus one when the array ends in zeros
    run_entropy_bits: float
    level_entropy_bits: float         # entropy of the non-zero values
    pair_entropy_bits: float          # entropy of the joint (run, level) stream (trailing run: its own level)
    level_bits: int = LEVEL_BITS

    @property
    def density(self) -> float:
        """Fraction of values that are non-zero (1.0 for an empty array)."""
        return self.nonzeros / self.count if self.count else 1.0

    @property
    def zero_fraction(self) -> float:
        return 1.0 - self.density

    @property
    def raw_bits(self) -> int:
        return self.level_bits * self.count

    @property
    def entropy_limit_bits(self) -> float:
        """Run entropy + raw levels: what a code that keeps non-zero levels at ``level_bits`` can at best reach."""
        return self.run_entropy_bits + self.level_bits * self.nonzeros

    def overhead(self, coded_bits: int) -> float | None:
        """Coded bits over the entropy limit, minus one (0.08 is 8% overhead); None when the limit is 0 bits."""
        limit = self.entropy_limit_bits
        return coded_bits / limit - 1.0 if limit > 0 else None

    def excess_of_raw(self, coded_bits: int) -> float | None:
        """Coded bits minus the entropy limit, as a fraction of the raw bits: how far the code's saving falls short
        of the limit's, in points of the uncompressed size; None for an empty array."""
        return (coded_bits - self.entropy_limit_bits) / self.raw_bits if self.raw_bits else None


def sparsity_stats(values: np.ndarray, level_bits: int = LEVEL_BITS) -> SparsityStats:
    """Density, runs and entropies of an integer array (any shape, read in C order)."""
    flat = np.asarray(values).ravel()
    runs, ends, trailing = groups(flat)
    levels = flat[ends].astype(np.int64)
    real = levels if not trailing else levels[:-1]
    # the trailing group's "level" is a symbol no value can take, so it is its own pair symbol
    tagged = levels if not trailing else np.append(levels[:-1], np.iinfo(np.int64).min)
    pairs = np.stack([runs, tagged], axis=1) if runs.size else np.empty((0, 2), np.int64)
    pair_ids = np.unique(pairs, axis=0, return_inverse=True)[1].ravel() if runs.size else runs
    return SparsityStats(int(flat.size), int(real.size), int(runs.size), entropy_bits(runs),
                         entropy_bits(real), entropy_bits(pair_ids), level_bits)
