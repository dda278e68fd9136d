"""The bit-width scaling rule against Horowitz's ISSCC 2014 45 nm table, and scheme parsing."""
import pytest

from stationary.core import StationaryError
from stationary.precision import (FP32_MAC_PJ, HOROWITZ_45NM, Method, Scheme, add_energy_pj, mac_energy_pj,
                                  mult_energy_pj, storage_energy_pj)

# Horowitz, "Computing's Energy Problem", ISSCC 2014, 45 nm (pJ), as in shared/reference/published.yaml
TABLE = {"int8_add": 0.03, "int16_add": 0.05, "int32_add": 0.1, "int8_mult": 0.2, "int32_mult": 3.1,
         "fp32_add": 0.9, "fp32_mult": 3.7, "sram_64b_read_8KB": 10}


def test_data_file_holds_the_published_table():
    for key, value in TABLE.items():
        assert HOROWITZ_45NM[key] == value
    assert FP32_MAC_PJ == pytest.approx(3.7 + 0.9)


def test_rule_reproduces_the_table_within_its_stated_error():
    assert mult_energy_pj(8, 8) == pytest.approx(0.2)
    assert mult_energy_pj(32, 32) == pytest.approx(3.1, rel=0.05)      # 3.2: bits^2 scaling
    assert add_energy_pj(16) == pytest.approx(0.05)
    assert add_energy_pj(32) == pytest.approx(0.1)
    assert add_energy_pj(8) == pytest.approx(0.03, rel=0.2)            # 0.025
    assert storage_energy_pj(64) == 10 and storage_energy_pj(16) == 2.5


def test_mac_energy_by_arithmetic():
    assert mac_energy_pj(8, 8) == pytest.approx(0.2 + 0.1 * 24 / 32)          # 24-bit accumulator
    assert mac_energy_pj(4, 4) == pytest.approx(0.2 * 16 / 64 + 0.1 * 16 / 32)
    assert mac_energy_pj(4, 8, log_weights=True) == pytest.approx(0.1 * 8 / 32 + 0.1 * 20 / 32)
    assert mac_energy_pj(1, 1) < mac_energy_pj(2, 8) < mac_energy_pj(8, 8) < mac_energy_pj(16, 16) < FP32_MAC_PJ
    with pytest.raises(StationaryError, match="bit width"):
        mac_energy_pj(0, 8)


@pytest.mark.parametrize("text, method, w, a, pc, label", [
    ("float", Method.FLOAT, 32, 32, False, "float"),
    ("fixed8", Method.FIXED, 8, 8, False, "fixed8"),
    ("FIXED4pc/8", Method.FIXED, 4, 8, True, "fixed4pc/8"),
    ("ternary", Method.TERNARY, 2, 8, False, "ternary"),
    ("binary", Method.BINARY, 1, 8, False, "binary"),
    ("xnor", Method.XNOR, 1, 1, False, "xnor"),
    ("log4", Method.LOG2, 4, 8, False, "log4"),
])
def test_scheme_parse_and_label(text, method, w, a, pc, label):
    s = Scheme.parse(text)
    assert (s.method, s.weight_bits, s.act_bits, s.per_channel, s.label) == (method, w, a, pc, label)
    assert Scheme.parse(s.label) == s


@pytest.mark.parametrize("text", ["fixed", "fixed1", "int8", "log", "binary4", "fixed8/40", "xnor/8"])
def test_bad_schemes_are_errors(text):
    with pytest.raises(StationaryError):
        Scheme.parse(text)
