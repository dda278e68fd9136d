"""The CIM macro against independent arithmetic: exact integer results when ideal, the injected noise and
variation statistics, action counts from the tiling arithmetic, energies from the published component tables."""
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from stationary.cim.actions import Actions, load_yaml, walden_adc_energy_pj
from stationary.cim.array import adc, count, drive, program, read, transfer
from stationary.cim.macro import Accumulation, Encoding, Macro, NonIdeal, VariationKind
from stationary.core import StationaryError


def _enough_adc_bits(m: Macro) -> int:
    """Bits for an ADC whose LSB is one product and whose range holds everything a column can produce."""
    scale = m.line_full_scale / 2 if m.flip_columns else m.line_full_scale
    return math.ceil(math.log2(scale + 1)) + (1 if m.signed_output else 0)


@st.composite
def macros_and_operands(draw):
    encoding = draw(st.sampled_from(Encoding))
    input_bits = draw(st.integers(1, 8))
    spec = dict(rows=draw(st.integers(1, 12)), columns=draw(st.integers(4, 16)), input_bits=input_bits,
                dac_bits=draw(st.integers(1, input_bits)), bits_per_cell=draw(st.integers(1, 3)),
                weight_bits=draw(st.integers(2 if encoding is Encoding.OFFSET else 1, 8)), encoding=encoding,
                accumulation=draw(st.sampled_from(Accumulation)),
                flip_columns=encoding is Encoding.OFFSET and draw(st.booleans()))
    cells = -(-(spec["weight_bits"] - (encoding is Encoding.DIFFERENTIAL and spec["weight_bits"] > 1))
              // spec["bits_per_cell"])
    assume(cells <= spec["columns"])
    probe = Macro(adc_bits=16, **spec)
    bits = _enough_adc_bits(probe)
    assume(bits <= 16 and probe.cells_per_weight <= probe.columns)
    m = Macro(adc_bits=bits, **spec)
    k, n, p = draw(st.integers(1, 40)), draw(st.integers(1, 6)), draw(st.integers(1, 5))
    assume(bits > 1 or k <= m.rows)                    # a comparator's decision cannot be accumulated
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    low, high = m.weight_range
    w = rng.integers(low, high + 1, (k, n))
    if m.weight_bits == 1:
        w = np.where(w == 0, 1, w)
    x = rng.integers(0, 1 << m.input_bits, (p, k))
    return m, w, x


@settings(max_examples=150, deadline=None)
@given(macros_and_operands())
def test_ideal_macro_with_enough_adc_bits_equals_the_integer_product(case):
    m, w, x = case
    y, _ = read(program(m, w), x)
    assert np.array_equal(y, (x @ w).astype(float))


def test_a_coarse_adc_rounds_to_its_lsb_and_clips_outside_its_range():
    m = Macro(rows=8, columns=4, input_bits=3, dac_bits=3, weight_bits=3, bits_per_cell=2, adc_bits=4)
    # a column can reach 8 x 7 x 3 = 168 > 15 at 4 bits: the ADC's LSB widens to 168 / 15 = 11.2
    assert m.adc_lsb() == pytest.approx(168 / 15)
    v = np.linspace(0, 168, 1001)
    q = adc(m, v)
    assert np.all(np.abs(q - v) <= m.adc_lsb() / 2 + 1e-9) and len(np.unique(q)) == 16
    clip = Macro(rows=8, columns=4, input_bits=3, dac_bits=3, weight_bits=3, bits_per_cell=2, adc_bits=4,
                 adc_full_scale=15.0)
    v = adc(clip, np.array([100.0, 7.0, -3.0]))
    assert v.tolist() == [15.0, 7.0, 0.0]          # clipped at the top code, exact inside, floored at 0


def test_read_noise_error_matches_the_injected_gaussian():
    sigma = 3.0
    m = Macro(rows=16, columns=8, input_bits=4, dac_bits=4, weight_bits=3, bits_per_cell=2, adc_bits=12,
              encoding=Encoding.DIFFERENTIAL, nonideal=NonIdeal(noise=sigma, seed=5))
    rng = np.random.default_rng(1)
    w = rng.integers(-3, 4, (16, 8))
    x = rng.integers(0, 16, (4000, 16))
    y, _ = read(program(m, w), x)
    err = (y - x @ w).ravel()
    expected = math.sqrt(sigma ** 2 + 1 / 12)            # the noise, then the ADC's rounding (uniform, LSB 1)
    assert abs(err.mean()) < 4 * expected / math.sqrt(err.size)
    assert abs(err.std() / expected - 1) < 0.03
    kurtosis = np.mean((err - err.mean()) ** 4) / err.var() ** 2
    assert abs(kurtosis - 3) < 0.15                    # Gaussian tails (a uniform would give 1.8)


def test_noise_propagates_through_shift_and_add_with_the_bit_weights():
    sigma = 2.0
    m = Macro(rows=8, columns=8, input_bits=2, dac_bits=1, weight_bits=4, bits_per_cell=2, adc_bits=10,
              nonideal=NonIdeal(noise=sigma, seed=9))
    rng = np.random.default_rng(2)
    w, x = rng.integers(-8, 8, (8, 3)), rng.integers(0, 4, (6000, 8))
    err = (read(program(m, w), x)[0] - x @ w).ravel()
    # each output sums 2 input slices (weights 1, 2) x 2 cells (weights 1, 4) of independent reads
    gain = sum((2 ** t * 4 ** c) ** 2 for t in range(2) for c in range(2))
    assert abs(err.std() / math.sqrt(gain * (sigma ** 2 + 1 / 12)) - 1) < 0.03


@pytest.mark.parametrize("kind", VariationKind)
def test_variation_is_fixed_at_fabrication_and_has_the_injected_spread(kind):
    sigma = 0.2
    m = Macro(rows=64, columns=64, input_bits=1, dac_bits=1, weight_bits=2, bits_per_cell=2, adc_bits=16,
              encoding=Encoding.DIFFERENTIAL, nonideal=NonIdeal(variation=sigma, variation_kind=kind, seed=3))
    w = np.ones((64, 64), np.int64)
    a, b = program(m, w), program(m, w)
    assert np.array_equal(a.pos, b.pos)                 # the same seed: the same chip
    factors = a.pos.ravel().astype(float)
    if kind is VariationKind.LOGNORMAL:
        assert abs(np.log(factors).std() / sigma - 1) < 0.05
    else:
        assert abs(factors.std() / sigma - 1) < 0.05 and abs(factors.mean() - 1) < 0.01
    other = program(Macro(**{**{f: getattr(m, f) for f in m.__slots__}, "nonideal": NonIdeal(
        variation=sigma, variation_kind=kind, seed=4)}), w)
    assert not np.array_equal(a.pos, other.pos)


def test_nonlinearity_compresses_and_is_identity_at_zero():
    m = Macro(rows=4, columns=4, input_bits=5, dac_bits=5, weight_bits=2, bits_per_cell=1, adc_bits=8,
              accumulation=Accumulation.CURRENT, nonideal=NonIdeal(nonlinearity=1.0))
    u = np.linspace(0, m.line_full_scale, 5)
    assert np.all(transfer(m, u)[1:] < u[1:]) and transfer(m, u)[-1] == pytest.approx(u[-1] / 2)
    sram = Macro(rows=4, columns=4, input_bits=5, dac_bits=5, weight_bits=1, bits_per_cell=1, adc_bits=1,
                 encoding=Encoding.DIFFERENTIAL, accumulation=Accumulation.DISCHARGE,
                 nonideal=NonIdeal(nonlinearity=2.0))
    x = np.arange(32, dtype=np.float64)
    d = drive(sram, x)
    assert d[0] == 0 and np.all(np.diff(d) > 0) and np.all(d[1:] < x[1:])   # monotonic, saturating
    assert np.array_equal(transfer(sram, x), x)


def test_action_counts_from_the_tiling_arithmetic():
    # ISAAC's FC1 of LeNet-5: K = 400, N = 120 on 128 x 128 crossbars, 16-bit weights in 8 two-bit cells,
    # 16 bit-serial input slices
    m = Macro(rows=128, columns=128, input_bits=16, dac_bits=1, weight_bits=16, bits_per_cell=2, adc_bits=8,
              flip_columns=True)
    prog = program(m, np.zeros((400, 120), np.int64))
    a = count(prog, 1)
    row_tiles, col_tiles, columns = 4, 8, 120 * 8           # ceil(400/128), ceil(960/128)
    assert (prog.row_tiles, prog.column_tiles) == (row_tiles, col_tiles)
    assert a.adc_conversions == 16 * row_tiles * columns
    assert a.array_reads == 16 * row_tiles * col_tiles
    assert a.dac_conversions == 16 * 400 * col_tiles
    assert a.cell_ops == 16 * 400 * columns
    assert a.buffer_reads == 400 * col_tiles and a.buffer_writes == 120
    # the switched-capacitor layer: 4 x 4 windows of 8 x 8 x 3 on 9 filters, one 6-bit read each
    sc = Macro(rows=192, columns=9, input_bits=6, dac_bits=6, weight_bits=3, bits_per_cell=2, adc_bits=6,
               encoding=Encoding.DIFFERENTIAL, accumulation=Accumulation.CHARGE_SHARING, arrays=1)
    a = count(program(sc, np.ones((192, 9), np.int64)), 16)
    assert a.adc_conversions == 4 * 4 * 9 == 144 and 32 * 32 * 3 == 3072
    assert a.digital_adds == 0 and a.dac_conversions == 16 * 192


def test_energy_tables_follow_the_published_components():
    isaac = load_yaml("isaac_isca2016.yaml")
    comp, energy = isaac["components"], isaac["energy_pj"]
    reads_per_s = 1e9 / isaac["crossbar_read_ns"]
    assert energy["adc_conversion"] == pytest.approx(comp["adc"]["power_mw"] * 1e-3 / (8 * 1.2e9) * 1e12, rel=1e-4)
    assert energy["array_read"] == pytest.approx(comp["crossbar"]["power_mw"] * 1e-3 / (8 * reads_per_s) * 1e12)
    assert energy["dac_conversion"] == pytest.approx(comp["dac"]["power_mw"] * 1e-3 / (1024 * reads_per_s) * 1e12,
                                                     rel=1e-3)
    assert energy["digital_add"] == pytest.approx(comp["shift_add"]["power_mw"] * 1e-3 / (8 * 1.2e9) * 1e12, rel=1e-2)
    # the tile is its 12 IMAs plus the tile-level components (Table 2's totals)
    assert comp["tile_total"]["area_mm2"] == pytest.approx(comp["ima_total"]["area_mm2"] + comp["edram"]["area_mm2"]
                                                           + comp["edram_bus"]["area_mm2"] + comp["router"]["area_mm2"]
                                                           + 0.0042, abs=0.002)
    lee = load_yaml("lee_wong_jssc2017.yaml")
    per_mac = 2 / lee["published"]["tops_per_w"]           # pJ per MAC at 8.7 TOPS/W (2 ops per MAC)
    assert lee["energy_pj"]["cell_op"] + 144 * lee["energy_pj"]["adc_conversion"] / 27648 == pytest.approx(per_mac,
                                                                                                          rel=2e-3)
    assert lee["energy_pj"]["adc_conversion"] == pytest.approx(walden_adc_energy_pj(6))
    assert load_yaml("zhang_verma_jssc2017.yaml")["energy_pj"]["array_read"] == 630


@pytest.mark.parametrize("spec, field", [
    (dict(adc_bits=0), "adc_bits"), (dict(adc_bits=17), "adc_bits"), (dict(dac_bits=5), "dac_bits"),
    (dict(weight_bits=1), "weight_bits"), (dict(adc_full_scale=-1.0), "adc_full_scale"),
])
def test_bad_macros_name_the_field(spec, field):
    base = dict(rows=8, columns=8, input_bits=4, dac_bits=4, weight_bits=4, bits_per_cell=2, adc_bits=8)
    with pytest.raises(StationaryError, match=f"'{field}'"):
        Macro(**{**base, **spec})


@pytest.mark.parametrize("spec", [dict(variation=-0.1), dict(variation=5.0), dict(nonlinearity=float("nan")),
                                  dict(noise=-1.0)])
def test_bad_nonidealities_name_the_field(spec):
    with pytest.raises(StationaryError, match=f"'{next(iter(spec))}'"):
        NonIdeal(**spec)


def test_untileable_layers_are_clear_errors():
    comparator = Macro(rows=128, columns=128, input_bits=5, dac_bits=5, weight_bits=1, bits_per_cell=1, adc_bits=1,
                       encoding=Encoding.DIFFERENTIAL, arrays=1)
    with pytest.raises(StationaryError, match="cannot be accumulated"):
        program(comparator, np.ones((200, 4), np.int64))
    one_array = Macro(rows=192, columns=9, input_bits=6, dac_bits=6, weight_bits=3, bits_per_cell=2, adc_bits=6,
                      encoding=Encoding.DIFFERENTIAL, arrays=1)
    with pytest.raises(StationaryError, match="'arrays'"):
        program(one_array, np.ones((192, 16), np.int64))
    with pytest.raises(StationaryError, match="'weights'"):
        program(one_array, np.full((4, 2), 5))             # 3-bit sign-magnitude holds -3..3


def test_actions_add_and_scale():
    a = Actions(adc_conversions=2, digital_adds=4)
    assert (a + a).scaled(0.25) == Actions(adc_conversions=1, digital_adds=2)


def test_a_cell_is_the_same_cell_whatever_matrix_is_stored():
    m = Macro(rows=16, columns=16, input_bits=2, dac_bits=2, weight_bits=1, bits_per_cell=1, adc_bits=1,
              encoding=Encoding.DIFFERENTIAL, nonideal=NonIdeal(variation=0.3, seed=1))
    w = np.where(np.random.default_rng(0).random((16, 40)) > 0.5, 1, -1)
    wide, narrow = program(m, w), program(m, w[:, :5])
    assert np.array_equal(wide.pos[:, :, :5], narrow.pos) and np.array_equal(wide.neg[:, :, :5], narrow.neg)
