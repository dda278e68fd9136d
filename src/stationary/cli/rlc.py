"""`stationary rlc FILE.npy`: code a 16-bit array with the Eyeriss chip's run-length code and print its size in
bits and 64-bit words, the compression ratio (raw bits / coded bits) and the overhead over the entropy limit.

Integer arrays of any width are accepted when every value fits int16 (or else uint16); others exit with status 2.
"""
from __future__ import annotations

import numpy as np

from stationary.cli._common import print_json
from stationary.validation import load_npy
from stationary.core import StationaryError
from stationary.sparsity.rlc import WORD_BITS, coded_bits
from stationary.sparsity.stats import sparsity_stats


def register(sub) -> None:
    p = sub.add_parser("rlc", help="size of a 16-bit .npy array under the Eyeriss run-length code",
                       description=__doc__)
    p.add_argument("file", metavar="FILE.npy", help="a NumPy .npy file of integers that fit in 16 bits")
    p.add_argument("--json", action="store_true", help='print JSON: {"bits", "words", "ratio", ...}')
    p.set_defaults(run=run)


def load_16bit(path: str) -> np.ndarray:
    """The array in ``path`` as int16 (uint16 when it needs 0..65535); StationaryError when it is not integers
    that fit in 16 bits."""
    arr = load_npy(path, kinds="iu")   # RLC codes integers: the header is checked before any data is read
    if arr.dtype in (np.int16, np.uint16) or arr.size == 0:
        return arr if arr.dtype in (np.int16, np.uint16) else arr.astype(np.int16)
    lo, hi = int(arr.min()), int(arr.max())
    for kind in (np.int16, np.uint16):
        info = np.iinfo(kind)
        if info.min <= lo and hi <= info.max:
            return arr.astype(kind)
    raise StationaryError("values do not fit in 16 bits (int16 -32768..32767 or uint16 0..65535)", source=path,
                          field="range", value=f"{lo}..{hi}")


def run(args) -> int:
    values = load_16bit(args.file)
    bits = coded_bits(values)
    stats = sparsity_stats(values)
    overhead = stats.overhead(bits)
    ratio = stats.raw_bits / bits if bits else None
    out = {"bits": bits, "words": bits // WORD_BITS, "ratio": ratio, "values": stats.count,
           "raw_bits": stats.raw_bits, "density": stats.density,
           "entropy_limit_bits": stats.entropy_limit_bits, "overhead": overhead,
           "excess_of_raw": stats.excess_of_raw(bits)}
    if args.json:
        print_json(out)
        return 0
    print(f"values: {stats.count:,} of 16 bits ({stats.raw_bits:,} bits), density {stats.density:.1%}")
    print(f"coded:  {bits:,} bits in {bits // WORD_BITS:,} words of 64 bits")
    print(f"ratio:  {ratio:.3f}x (raw bits / coded bits)" if ratio else "ratio:  n/a (empty array)")
    limit = f"{stats.entropy_limit_bits:,.0f} bits (run entropy + 16 bits per non-zero)"
    print(f"entropy limit: {limit}; RLC overhead " + (f"{overhead:+.1%}" if overhead is not None else "n/a")
          + (f", {stats.excess_of_raw(bits):.1%} of the raw size" if bits else ""))
    return 0
