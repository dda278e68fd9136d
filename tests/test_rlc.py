"""The Eyeriss RLC: bit layout by hand, a plain-Python reference encoder, round trips, sizes, bad streams."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stationary.core import StationaryError
from stationary.sparsity.rlc import RlcStream, coded_bits, compression_ratio, decode, encode, pair_count


def reference_words(values) -> list[int]:
    """An independent, one-value-at-a-time encoder of the layout in the module's docs (bit strings, MSB first)."""
    pairs, run = [], 0
    for i, v in enumerate(values):
        last = i == len(values) - 1
        if v == 0 and not last:
            run += 1
            if run == 32:                       # 31 zeros and a zero level: the (31, 0) escape
                pairs.append((31, 0))
                run = 0
            continue
        pairs.append((run, int(v) & 0xFFFF))
        run = 0
    while len(pairs) % 3:
        pairs.append((0, 0))
    words = []
    for k in range(0, len(pairs), 3):
        bits = "".join(f"{r:05b}{lv:016b}" for r, lv in pairs[k:k + 3])
        words.append(int(bits + ("1" if k + 3 == len(pairs) else "0"), 2))
    return words


def test_hand_worked_word():
    # The JSSC 2017 figure's input 0 0 12 0 0 0 0 53 0 0 22 gives pairs (2,12) (4,53) (2,22) and the last-word bit:
    #   run 00010 | level 0000000000001100 | run 00100 | level 0000000000110101 | run 00010 | level 0000000000010110 | 1
    bits = "00010" "0000000000001100" "00100" "0000000000110101" "00010" "0000000000010110" "1"
    assert len(bits) == 64
    s = encode(np.array([0, 0, 12, 0, 0, 0, 0, 53, 0, 0, 22], np.int16))
    assert s.words.dtype == np.uint64 and s.words.tolist() == [int(bits, 2)] and s.count == 11


def test_padding_and_negative_levels_by_hand():
    # -1 then 4 zeros: pairs (0, 0xFFFF) (3, 0) -- the last zero ends the second pair -- then a zero pad pair
    bits = "00000" "1111111111111111" "00011" "0000000000000000" "00000" "0000000000000000" "1"
    s = encode(np.array([-1, 0, 0, 0, 0], np.int16))
    assert s.words.tolist() == [int(bits, 2)]
    assert decode(s).tolist() == [-1, 0, 0, 0, 0]


@pytest.mark.parametrize("run, pairs", [(31, 1), (32, 2), (62, 2), (63, 2), (64, 3), (95, 3), (96, 4)])
def test_long_runs_take_escape_pairs(run, pairs):
    # a run of z zeros before a value: z // 32 pairs (31, 0), then (z % 32, value)
    values = np.zeros(run + 1, np.int16)
    values[-1] = 7
    assert pair_count(values) == pairs
    assert encode(values).words.tolist() == reference_words(values.tolist())


def test_sizes_without_zeros_and_all_zeros():
    assert coded_bits(np.arange(1, 7, dtype=np.int16)) == 128          # 6 pairs, 2 words
    assert coded_bits(np.zeros(1, np.int16)) == 64
    assert coded_bits(np.zeros(96, np.int16)) == 64 * 1                # (31,0) (31,0) (31,0): 3 pairs, one word
    assert coded_bits(np.zeros(97, np.int16)) == 64 * 2
    assert coded_bits(np.zeros(0, np.int16)) == 0 and encode(np.zeros(0, np.uint16)).words.size == 0
    assert compression_ratio(np.arange(1, 4, dtype=np.uint16)) == 48 / 64


dense = st.integers(-(1 << 15), (1 << 15) - 1)


@st.composite
def sparse_arrays(draw):
    n = draw(st.integers(0, 400))
    density = draw(st.sampled_from([0.0, 0.01, 0.05, 0.3, 0.7, 1.0]))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    signed = draw(st.booleans())
    lo, hi = (-(1 << 15), 1 << 15) if signed else (0, 1 << 16)
    values = np.where(rng.random(n) < density, rng.integers(lo, hi, n), 0)
    return values.astype(np.int16 if signed else np.uint16)


@settings(max_examples=150, deadline=None)
@given(sparse_arrays())
def test_round_trip_and_reference(values):
    s = encode(values)
    back = decode(s)
    assert back.dtype == values.dtype and np.array_equal(back, values)
    assert s.words.tolist() == (reference_words(values.tolist()) if values.size else [])
    assert s.bits == coded_bits(values)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 100), dense), max_size=12), st.integers(0, 70))
def test_round_trip_long_zero_runs(chunks, tail):
    # explicit runs (0..100 zeros, covering 31/32/62/63/64) before each value, then trailing zeros
    values = []
    for run, value in chunks:
        values += [0] * run + [value]
    values = np.array(values + [0] * tail, np.int16)
    assert np.array_equal(decode(encode(values)), values)
    assert encode(values).words.tolist() == (reference_words(values.tolist()) if values.size else [])


def test_multidimensional_input_is_read_in_c_order():
    values = np.array([[0, 3], [0, 0]], np.int16)
    assert decode(encode(values)).tolist() == [0, 3, 0, 0]


def test_rejects_other_dtypes():
    with pytest.raises(StationaryError, match="int16"):
        encode(np.array([1.5, 0.0]))
    with pytest.raises(StationaryError, match="int32"):
        coded_bits(np.array([1, 0], np.int32))


def test_rejects_bad_streams():
    good = encode(np.array([0, 5, 0, 9], np.int16))
    with pytest.raises(StationaryError, match="last-word bit"):
        decode(RlcStream(good.words & ~np.uint64(1), 4))
    with pytest.raises(StationaryError, match="count"):
        decode(RlcStream(good.words, 3))
    with pytest.raises(StationaryError, match="padding"):
        decode(RlcStream(good.words | np.uint64(1 << 5), 4))      # bits 16..1: the pad pair's level
    two = encode(np.arange(1, 5, dtype=np.int16))
    with pytest.raises(StationaryError, match="padding"):
        decode(RlcStream(two.words, 3))                            # a whole spare word
    with pytest.raises(StationaryError, match="empty"):
        decode(RlcStream(np.zeros(0, np.uint64), 2))


def cli(capsys, *argv):
    from stationary.cli import main
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_json_counts_words_by_hand(tmp_path, capsys):
    # 100 values: 30 x (2 zeros, 7) pairs = 30 pairs, then 10 trailing zeros = 1 pair; 31 pairs -> 11 words
    values = np.array([0, 0, 7] * 30 + [0] * 10, np.int32)
    np.save(tmp_path / "a.npy", values)
    status, out, _ = cli(capsys, "rlc", str(tmp_path / "a.npy"), "--json")
    import json
    data = json.loads(out)
    assert status == 0 and data["words"] == 11 and data["bits"] == 11 * 64
    assert data["ratio"] == pytest.approx(100 * 16 / (11 * 64))
    assert data["density"] == pytest.approx(0.3)
    status, out, _ = cli(capsys, "rlc", str(tmp_path / "a.npy"))
    assert status == 0 and "11 words" in out and "overhead" in out


@pytest.mark.parametrize("content, message", [
    (np.array([0.5, 1.0]), "integer dtype"),
    (np.array([True, False]), "integer dtype"),
    (np.array([-1, 40000]), "16 bits"),
    (np.array([70000]), "16 bits"),
])
def test_cli_rejects_non_16_bit_arrays(tmp_path, capsys, content, message):
    np.save(tmp_path / "bad.npy", content)
    status, _, err = cli(capsys, "rlc", str(tmp_path / "bad.npy"))
    assert status == 2 and message in err and "bad.npy" in err


def test_cli_missing_or_unreadable_file(tmp_path, capsys):
    status, _, err = cli(capsys, "rlc", str(tmp_path / "none.npy"))
    assert status == 2 and "none.npy" in err
    (tmp_path / "junk.npy").write_text("not numpy")
    status, _, err = cli(capsys, "rlc", str(tmp_path / "junk.npy"))
    assert status == 2 and "junk.npy" in err
    np.save(tmp_path / "u.npy", np.array([65535, 0], np.int64))       # fits uint16 only: accepted
    assert cli(capsys, "rlc", str(tmp_path / "u.npy"))[0] == 0
