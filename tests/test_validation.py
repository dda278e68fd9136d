"""The shared edge checks (stationary.validation) and the regressions of issue #12 they fix: duplicate keys,
deep nesting, alias bombs, NUL bytes, pickled or oversized .npy files, bounded options, sqrt-bounded factoring."""
import argparse
import math
import time

import numpy as np
import pytest

from stationary.arch import load_arch
from stationary.core import StationaryError, prime_factors
from stationary.mapping import load_mapping_yaml
from stationary.validation import (MAX_LOOP_BOUND, MAX_YAML_DEPTH, check_float, check_int, check_npz, float_arg,
                                   int_arg, load_npy, load_yaml, read_yaml_file)
from stationary.workload.files import load_network
from stationary.workload.layer import Layer, LayerKind

EYERISS = load_arch("eyeriss")


def test_duplicate_keys_are_errors_naming_the_key_and_both_lines():
    with pytest.raises(StationaryError) as err:
        load_yaml("name: x\nword_bits: 16\nunit: MAC\nword_bits: 8\n", "arch.yaml")
    assert str(err.value) == "arch.yaml: line 4: field 'word_bits' = 8: duplicate key (first given at line 2)"


def test_duplicate_keys_in_nested_mappings_and_merges():
    with pytest.raises(StationaryError, match="line 4: field 'M' = 8: duplicate key"):
        load_yaml("layers:\n  - name: a\n    M: 4\n    M: 8\n", "n.yaml")
    # an explicit key beside a merged one is YAML's override rule, not a duplicate
    assert load_yaml("base: &b {M: 1, C: 2}\nl:\n  <<: *b\n  M: 5\n")["l"] == {"M": 5, "C": 2}


def test_duplicate_key_in_an_arch_file_is_an_error(tmp_path):
    path = tmp_path / "arch.yaml"
    from stationary.arch import arch_to_yaml
    text = arch_to_yaml(EYERISS).replace("word_bits: 16", "word_bits: 16\nword_bits: 8")
    path.write_text(text)
    with pytest.raises(StationaryError, match=r"arch.yaml: line \d+: field 'word_bits' = 8: duplicate key"):
        load_arch(str(path))


@pytest.mark.parametrize("kind", ["arch", "network", "mapping"])
def test_deep_nesting_is_refused_not_a_recursion_error(kind, tmp_path):
    path = tmp_path / f"{kind}.yaml"
    path.write_text("layers: " + "[" * 5000 + "]" * 5000 + "\n")
    loader = {"arch": load_arch, "network": load_network,
              "mapping": lambda p: load_mapping_yaml(p, EYERISS)}[kind]
    with pytest.raises(StationaryError, match=f"nested more than {MAX_YAML_DEPTH} levels deep"):
        loader(str(path))


def test_alias_bomb_is_refused_quickly():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    with pytest.raises(StationaryError, match="expands to more than"):
        load_yaml("\n".join(lines), "bomb.yaml")
    assert time.perf_counter() - start < 5


def test_nul_byte_in_a_densities_file(tmp_path):
    from stationary.chip.sparsity import from_yaml
    path = tmp_path / "d.yaml"
    path.write_bytes(b"CONV1: 0.5\x00\n")
    with pytest.raises(StationaryError, match="d.yaml: cannot read the densities file .*NUL"):
        from_yaml(str(path))


def test_binary_file_is_named(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(StationaryError, match="x.yaml: cannot read the network file"):
        read_yaml_file(path, "network")


def test_npy_pickle_and_object_arrays_are_never_loaded(tmp_path):
    path = tmp_path / "obj.npy"
    np.save(path, np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    with pytest.raises(StationaryError, match="field 'dtype' = 'object'.*pickles are never loaded"):
        load_npy(path)


def test_npy_header_claiming_huge_array_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.npy"
    header = np.lib.format.header_data_from_array_1_0(np.zeros(1, np.int16))
    header["shape"] = (10 ** 12,)
    with open(path, "wb") as handle:
        np.lib.format.write_array_header_1_0(handle, header)
        handle.write(b"\x00" * 64)
    with pytest.raises(StationaryError, match=r"field 'shape' = \(1000000000000,\): more than .* elements"):
        load_npy(path)


def test_npy_truncated_data_is_named(tmp_path):
    path = tmp_path / "short.npy"
    np.save(path, np.arange(100, dtype=np.int32))
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(StationaryError, match="the header claims 100 elements of 4 bytes"):
        load_npy(path)


def test_npz_with_object_member_is_refused(tmp_path):
    path = tmp_path / "w.npz"
    np.savez(path, good=np.ones(3), bad=np.array([None], dtype=object))
    with pytest.raises(StationaryError, match="w.npz: bad.npy: field 'dtype'"):
        check_npz(path)
    np.savez(path, good=np.ones(3))
    check_npz(path)


@pytest.mark.parametrize("text", ["0", "-1", "abc", "", "1.5", "nan", str(2 ** 31)])
def test_int_arg_refuses(text):
    with pytest.raises(argparse.ArgumentTypeError, match=f"got {text!r}"):
        int_arg(1, MAX_LOOP_BOUND)(text)


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1e400", "-0.5", "1.5", "x"])
def test_float_arg_refuses(text):
    with pytest.raises(argparse.ArgumentTypeError, match="expected a finite number from 0 to 1"):
        float_arg(0.0, 1.0)(text)


def test_api_argument_checks():
    assert check_int(np.int64(4), "batch") == 4
    for bad in (True, 1.0, "4", 0, MAX_LOOP_BOUND + 1):
        with pytest.raises(StationaryError, match="field 'batch'"):
            check_int(bad, "batch")
    assert check_float(np.float32(0.5), "density", low=0, high=1) == 0.5
    for bad in (math.nan, math.inf, True, "0.5", 2):
        with pytest.raises(StationaryError, match="field 'density'"):
            check_float(bad, "density", low=0, high=1)


def test_factoring_is_bounded_by_the_square_root():
    start = time.perf_counter()
    big_prime = 2_147_483_647                       # 2^31 - 1, a Mersenne prime: the largest loop bound
    assert prime_factors(big_prime) == [big_prime]
    assert prime_factors(2 * 3 * 3 * 65_521) == [2, 3, 3, 65_521]
    assert time.perf_counter() - start < 1


def test_a_loop_bound_beyond_the_limit_is_refused_with_the_limit_named():
    with pytest.raises(StationaryError, match="field 'N' = 1000000000000000003: must be at most 2,147,483,647"):
        Layer("c", LayerKind.CONV, M=4, C=3, H=8, R=3, N=10 ** 18 + 3)
    with pytest.raises(StationaryError, match="field 'pad_h' = 1000000000000"):
        Layer("c", LayerKind.CONV, M=4, C=3, H=8, R=3, pad_h=10 ** 12)
    with pytest.raises(StationaryError, match="field 'pad_h' = -3: a negative pad trims"):
        Layer("c", LayerKind.CONV, M=4, C=3, H=9, R=3, U=2, pad_h=-3)
