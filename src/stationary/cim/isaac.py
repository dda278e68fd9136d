"""An ISAAC-style ReRAM crossbar accelerator (Shafiee et al., ISCA 2016) running a trained network.

As in the paper: 128 x 128 crossbars of 2-bit cells, 16-bit weights over 8 cells, 16-bit inputs fed one bit per
100 ns read through 1-bit DACs, currents summed on the bit lines, an 8-bit ADC per column read (shared by a
crossbar's 128 columns in the chip), shift-and-add in digital, weights stored with an offset of 2^15 (the bias
subtracted in digital) and the paper's column flipping, which keeps every column's stored sum at most half its
range so that 8 ADC bits resolve 128 rows x 1 bit x 3 exactly. Non-idealities the paper does not model and we
add: log-normal conductance variation per cell (fixed at programming, seeded), current-summing compression and
read noise. Energy: the per-action figures derived from ISAAC's component table (data/cim/isaac_isca2016.yaml);
area: the tiles the network occupies, from the same table.

>>> m = macro(Settings(adc_bits=8))
>>> m.cells_per_weight, m.input_slices, m.adc_lsb()           # 8 bits span the 192 a flipped column can reach
(8, 16, 1.0)
>>> round(energy_table_for(6).costs_pj["adc_conversion"], 4)  # 1.6667 pJ at 8 bits x 2^(6 - 8)
0.4167
"""
from __future__ import annotations

import numpy as np

from stationary.cim.actions import EnergyTable, load_yaml
from stationary.cim.array import tiles_needed
from stationary.cim.common import Settings, energy_table, model_on_macro, sample_subset
from stationary.cim.layers import weight_matrix
from stationary.cim.macro import Accumulation, Encoding, Macro, NonIdeal, VariationKind
from stationary.cim.result import Baseline, CimResult
from stationary.infer.datasets import Dataset
from stationary.infer.forward import accuracy
from stationary.infer.model import Model

FILE = "isaac_isca2016.yaml"
DEFAULT_ADC_BITS = 8


def macro(settings: Settings, ideal: bool = False) -> Macro:
    doc = load_yaml(FILE)["published"]
    spec = NonIdeal() if ideal else NonIdeal(settings.pick("variation", 0.0), settings.pick("nonlinearity", 0.0),
                                            settings.pick("noise", 0.0), VariationKind.LOGNORMAL, settings.seed)
    return Macro(rows=128, columns=128, input_bits=int(doc["input_bits"]), dac_bits=1,
                 weight_bits=int(doc["weight_bits"]), bits_per_cell=2,
                 adc_bits=settings.pick("adc_bits", DEFAULT_ADC_BITS), encoding=Encoding.OFFSET,
                 accumulation=Accumulation.CURRENT, nonideal=spec, flip_columns=True)


def energy_table_for(adc_bits: int) -> EnergyTable:
    """ISAAC's per-action energies with the ADC scaled from its 8 bits at a constant Walden FoM."""
    table = energy_table(FILE, "isaac")
    adc = table.costs_pj["adc_conversion"] * 2.0 ** (adc_bits - DEFAULT_ADC_BITS)
    return table.with_energy(adc_conversion=adc)


def area_mm2(model: Model, m: Macro) -> tuple[int, float]:
    """Crossbars the network's weights occupy and the area of the tiles holding them (ISAAC's Table 2)."""
    doc = load_yaml(FILE)
    crossbars = 0
    for layer in model.network.layers:
        k, n = weight_matrix(np.asarray(model.weights[layer.name][0])).shape
        rt, ct = tiles_needed(m, k, n)
        crossbars += rt * ct
    imas = -(-crossbars // int(doc["crossbars_per_ima"]))
    tiles = -(-imas // int(doc["imas_per_tile"]))
    return crossbars, tiles * float(doc["components"]["tile_total"]["area_mm2"])


def run(model: Model, data: Dataset, settings: Settings, baseline: Baseline, *,
        progress: bool = False) -> CimResult:
    """LeNet-5 (or any chain of ungrouped conv/FC layers with ReLU inputs) on ISAAC, on the test set."""
    from stationary.precision import calibrate
    x, y = sample_subset(data.x_test, data.y_test, settings.samples, settings.seed)
    input_max = calibrate(model, data.x_train[:500]).max_abs
    real = macro(settings)
    acc, actions = model_on_macro(model, real, input_max, x, y, progress="ISAAC" if progress else None)
    acc_ideal = acc if real.nonideal.ideal else \
        model_on_macro(model, macro(settings, ideal=True), input_max, x, y)[0]
    table = energy_table_for(real.adc_bits)
    crossbars, area = area_mm2(model, real)
    macs = sum(layer.macs for layer in model.network.layers)
    published = load_yaml(FILE)["published"]
    return CimResult(
        design="isaac", network=model.network.name, source=table.source, accuracy=acc, accuracy_ideal=acc_ideal,
        samples=len(y), macs_per_inference=macs, actions=actions, energy_pj_per_inference=table.energy_pj(actions),
        breakdown_pj=tuple(table.breakdown_pj(actions).items()), baseline=baseline,
        settings=(("variation", real.nonideal.variation), ("nonlinearity", real.nonideal.nonlinearity),
                  ("noise", real.nonideal.noise), ("adc_bits", real.adc_bits), ("seed", settings.seed)),
        figures=(("accuracy_float", accuracy(model, x, y)), ("crossbars", crossbars), ("area_mm2", area)),
        paper=(("energy_pj_per_mac", 2e3 / float(published["power_efficiency_gops_per_w"])),
               ("power_efficiency_gops_per_w", float(published["power_efficiency_gops_per_w"]))),
        energy_source=table.source + "; per-action energies derived from it (see data/cim/isaac_isca2016.yaml)")

