"""The Eyeriss chip's run-length code (RLC) for 16-bit feature maps in DRAM (Chen et al., ISSCC 2016 / JSSC 2017).

A 64-bit word holds three (run, level) pairs and one flag: ``run`` (5 bits) counts the zeros before ``level``
(16 bits, the value's raw bits); 3 x (5 + 16) + 1 = 64. The fields sit in the order of the paper's figure, first
pair in the most significant bits::

    63..59 run0 | 58..43 level0 | 42..38 run1 | 37..22 level1 | 21..17 run2 | 16..1 level2 | 0 last

* A pair ``(r, v)`` decodes to ``r`` zeros followed by ``v``, whatever ``v`` is (0 included).
* A run longer than 31: each pair ``(31, 0)`` stands for 32 zeros (31 of the run, then the zero level), so a run
  of ``z`` zeros before a value takes ``z // 32`` such pairs and then ``(z % 32, value)``. Runs of 31, 32 and 62
  code as ``(31, v)``; ``(31, 0) (0, v)``; ``(31, 0) (30, v)``.
* Trailing zeros code the same way with a zero level: the array's last value ends the last pair.
* The last word has bit 0 set (and only it); its unused pair slots are zero bits (``(0, 0)``), which is why the
  stream carries the number of values: the decoder stops there and requires the rest of the word to be zero.
  An empty array is an empty stream (no words).

Values are read flattened in C order; int16 and uint16 levels are their raw 16 bits.

>>> s = encode(np.array([0, 0, 12, 0, 0, 0, 0, 53, 0, 0, 22], np.int16))   # the JSSC 2017 figure's input
>>> len(s.words), s.count, hex(int(s.words[0]))
(1, 11, '0x100061000d44002d')
>>> decode(s).tolist()
[0, 0, 12, 0, 0, 0, 0, 53, 0, 0, 22]
>>> coded_bits(np.zeros(100, np.uint16)), round(compression_ratio(np.zeros(100, np.uint16)), 2)   # 4 pairs
(128, 12.5)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stationary.core import StationaryError
from stationary.sparsity.stats import groups

RUN_BITS, LEVEL_BITS, PAIRS_PER_WORD, WORD_BITS = 5, 16, 3, 64
MAX_RUN = (1 << RUN_BITS) - 1                       # 31
PAIR_BITS = RUN_BITS + LEVEL_BITS                   # 21
_SHIFTS = np.array([43, 22, 1], np.uint64)          # where each pair's 21 bits start (pair 0 in the top bits)
_PAIR_MASK = np.uint64((1 << PAIR_BITS) - 1)


@dataclass(frozen=True, slots=True, eq=False)
class RlcStream:
    """Coded words (np.uint64) and the number of values they hold; ``signed`` says how to read levels back."""
    words: np.ndarray
    count: int
    signed: bool = True

    @property
    def bits(self) -> int:
        return WORD_BITS * int(self.words.size)

    @property
    def raw_bits(self) -> int:
        return LEVEL_BITS * self.count

    @property
    def compression_ratio(self) -> float:
        """Raw bits / coded bits (inf for an empty stream)."""
        return self.raw_bits / self.bits if self.bits else float("inf")


def _as16(values: np.ndarray) -> tuple[np.ndarray, bool]:
    arr = np.asarray(values)
    if arr.dtype not in (np.int16, np.uint16):
        raise StationaryError("RLC codes 16-bit values: give an int16 or uint16 array", field="dtype",
                              value=str(arr.dtype))
    return arr.ravel().view(np.uint16), arr.dtype == np.int16


def _pairs(flat16: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Escapes per group, the group's last-pair run, and its level."""
    runs, ends, _ = groups(flat16)
    return runs >> RUN_BITS, runs & MAX_RUN, flat16[ends]


def pair_count(values: np.ndarray) -> int:
    """How many (run, level) pairs the code spends on ``values`` (int16/uint16)."""
    flat, _ = _as16(values)
    runs, _, _ = groups(flat)
    return int(runs.size + np.sum(runs >> RUN_BITS))


def coded_bits(values: np.ndarray) -> int:
    """Size of the coded stream in bits (whole 64-bit words), without building it."""
    return WORD_BITS * -(-pair_count(values) // PAIRS_PER_WORD)


def compression_ratio(values: np.ndarray) -> float:
    """Raw bits (16 per value) / coded bits."""
    bits = coded_bits(values)
    return LEVEL_BITS * np.asarray(values).size / bits if bits else float("inf")


def encode(values: np.ndarray) -> RlcStream:
    """Code an int16/uint16 array (any shape, C order) into the chip's 64-bit words."""
    flat, signed = _as16(values)
    escapes, last_run, level = _pairs(flat)
    per_group = escapes + 1
    n_pairs = int(per_group.sum())
    n_words = -(-n_pairs // PAIRS_PER_WORD)
    pairs = np.zeros(n_words * PAIRS_PER_WORD, np.uint64)
    pairs[:n_pairs] = np.uint64(MAX_RUN << LEVEL_BITS)           # escape pairs (31, 0) by default
    last = np.cumsum(per_group) - 1
    pairs[last] = (last_run.astype(np.uint64) << np.uint64(LEVEL_BITS)) | level.astype(np.uint64)
    words = np.bitwise_or.reduce(pairs.reshape(n_words, PAIRS_PER_WORD) << _SHIFTS, axis=1) \
        if n_words else np.zeros(0, np.uint64)
    if n_words:
        words[-1] |= np.uint64(1)
    return RlcStream(words.astype(np.uint64), int(flat.size), signed)


def decode(stream: RlcStream) -> np.ndarray:
    """The values back, 1-D, int16 (or uint16 when the stream is unsigned); checks the flag and the padding."""
    words = np.asarray(stream.words, np.uint64).ravel()
    out = np.zeros(stream.count, np.uint16)
    if words.size == 0:
        if stream.count:
            raise StationaryError("an empty RLC stream holds no values", field="count", value=stream.count)
        return out.view(np.int16) if stream.signed else out
    flags = (words & np.uint64(1)).astype(bool)
    wrong = np.flatnonzero(flags != (np.arange(words.size) == words.size - 1))
    if wrong.size:
        raise StationaryError("the last-word bit must be set on the last word and only there",
                              where=f"RLC word {int(wrong[0])}", field="last", value=int(flags[wrong[0]]))
    pairs = ((words[:, None] >> _SHIFTS) & _PAIR_MASK).ravel()
    run = (pairs >> np.uint64(LEVEL_BITS)).astype(np.int64)
    level = (pairs & np.uint64(0xFFFF)).astype(np.uint16)
    ends = np.cumsum(run + 1) - 1
    used = int(np.searchsorted(ends, stream.count - 1, side="right")) if stream.count else 0
    if stream.count and (used == 0 or ends[used - 1] != stream.count - 1):
        raise StationaryError("the pairs do not end exactly at the stream's count", where="RLC stream",
                              field="count", value=stream.count)
    if used <= pairs.size - PAIRS_PER_WORD or np.any(pairs[used:]):
        raise StationaryError("padding after the last value must be zero pairs within the last word",
                              where="RLC stream", field="count", value=stream.count)
    out[ends[:used]] = level[:used]
    return out.view(np.int16) if stream.signed else out
