"""Zero gating against hand counts, unit conversions by arithmetic, and the AlexNet run's shape."""
from stationary.chip.figures import LayerFigures
from stationary.chip.sparsity import gate, stated
from stationary.core import Tensor
from stationary.model.counts import AccessCounts, LevelCounts


def test_gating_hand_count():
    c = AccessCounts("x", macs=1000, steps=100, units_used=10, network=(),
                     levels=(LevelCounts("DRAM", Tensor.WEIGHT, reads=50), LevelCounts("RF", Tensor.WEIGHT, reads=1000),
                             LevelCounts("RF", Tensor.IFMAP, reads=1000)))
    g = gate(c, 0.4)
    assert g.macs == 400 and g.at("RF", Tensor.WEIGHT).reads == 400
    assert g.at("RF", Tensor.IFMAP).reads == 1000 and g.at("DRAM", Tensor.WEIGHT).reads == 50 and g.steps == 100


def test_power_is_energy_over_time():
    # 278 mW x 115.3 ms = 32.05 mJ (the talk's AlexNet figures)
    f = LayerFigures("x", 10, 10, 278e-3 * 115.3e-3 * 1e12, 115.3e-3 * 200e6, 0.0, 0.0, 0.0, 1, 0, 200.0)
    assert abs(f.processing_latency_ms - 115.3) < 1e-9 and abs(f.power_mw - 278) < 1e-6


def test_latency_adds_the_stalls_on_the_link():
    f = LayerFigures("x", 10, 10, 1.0, 200, 7.2e6, None, 0.0, 1, 2_000_000, 200.0)   # 2e6 cycles waiting: 10 ms
    assert f.processing_latency_ms == 0.001 and abs(f.latency_ms - 10.001) < 1e-9


def test_stated_densities():
    d = stated("alexnet")
    assert abs(d.of("CONV2") - 0.613) < 1e-9 and d.of("CONV9") == 1.0 and "JSSC" in d.source
    assert stated("vgg16").of("conv1_1") == 1.0
