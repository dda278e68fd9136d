"""The pipelines run here on real data: HOG + a linear classifier, and the project's CNNs on the same split.

HOG + linear: descriptors from scikit-image (parameters per data set in :mod:`stationary.features.data`), a
linear SVM (scikit-learn ``LinearSVC``, C = 0.1, seeded) trained on the training split; held-out accuracy is
measured on the fixed-point pipeline the energy prices: features quantized to ``feature_bits`` (unsigned, on
[0, 1]; normalized HOG values lie there) and weights to 8 bits (symmetric, one scale). Energy per pixel: HOG's
counts for one image plus one dot product per class (one for two classes), priced in 65 nm
(:mod:`stationary.features.energy`).

CNN: LeNet-5 (MNIST, faces padded to 28 x 28) or digits-cnn (8x8 digits) trained with torch (seeded), accuracy
from the numpy reference forward; energy from the Eyeriss model (the mapper's best row-stationary mapping per
layer, scaled by the densities measured on the test images, priced with the 65 nm pJ table:
:func:`stationary.pruning.energy.estimate`), divided by the pixels of the original image.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from stationary.core import StationaryError
from stationary.features.data import CNN, PARAMS, pad_to
from stationary.features.energy import LinearClassifier, PipelineEnergy, classifier_energy, hog_energy
from stationary.features.hog import EXTRA, describe
from stationary.features.points import Kind, Point
from stationary.infer.datasets import Dataset
from stationary.sensor.hog import HogParams

WEIGHT_BITS = 8
SVM_C = 0.1


def quantize_unsigned(x: np.ndarray, bits: int) -> np.ndarray:
    """Round to ``bits``-bit unsigned fixed point on [0, 1] (values outside clip)."""
    levels = (1 << bits) - 1
    return np.round(np.clip(x, 0.0, 1.0) * levels) / levels


def quantize_symmetric(w: np.ndarray, bits: int) -> np.ndarray:
    """Round to ``bits``-bit signed integers times one scale (max |w| maps to 2^(bits-1) - 1)."""
    top = float(np.abs(w).max()) or 1.0
    step = top / ((1 << (bits - 1)) - 1)
    return np.round(w / step) * step


@dataclass(frozen=True, slots=True)
class LinearModel:
    """A trained linear classifier: ``coef`` (outputs x features) and ``intercept``; one output for two classes."""
    coef: np.ndarray = field(repr=False)
    intercept: np.ndarray = field(repr=False)
    classes: np.ndarray = field(repr=False)

    def predict(self, features: np.ndarray, coef: np.ndarray | None = None) -> np.ndarray:
        scores = features @ (self.coef if coef is None else coef).T + self.intercept
        if scores.shape[1] == 1:
            return self.classes[(scores[:, 0] > 0).astype(int)]
        return self.classes[scores.argmax(1)]


def fit_linear(features: np.ndarray, labels: np.ndarray, seed: int = 0) -> LinearModel:
    try:
        from sklearn.svm import LinearSVC
    except ImportError:
        raise StationaryError(f"the linear classifier needs scikit-learn ({EXTRA})", field="package",
                              value="scikit-learn") from None
    clf = LinearSVC(C=SVM_C, random_state=seed, max_iter=20000).fit(features, labels)
    return LinearModel(np.asarray(clf.coef_, np.float64), np.asarray(clf.intercept_, np.float64), clf.classes_)


@dataclass(frozen=True, slots=True)
class HogRun:
    """HOG + linear on one data set: the features, the classifier, accuracies, energy."""
    params: HogParams
    train_features: np.ndarray = field(repr=False)
    test_features: np.ndarray = field(repr=False)
    model: LinearModel = field(repr=False)
    accuracy_float: float
    accuracy: float
    energy: PipelineEnergy

    @property
    def quantized_coef(self) -> np.ndarray:
        return quantize_symmetric(self.model.coef, WEIGHT_BITS)


def run_hog_linear(data: Dataset, params: HogParams | None = None, *, seed: int = 0,
                   progress: bool = False) -> HogRun:
    params = params or PARAMS[data.name]
    f_train = describe(data.x_train, params, progress=progress)
    f_test = describe(data.x_test, params, progress=progress)
    model = fit_linear(f_train, data.y_train, seed)
    acc_float = float(np.mean(model.predict(f_test) == data.y_test))
    q_test = quantize_unsigned(f_test, params.feature_bits)
    acc = float(np.mean(model.predict(q_test, quantize_symmetric(model.coef, WEIGHT_BITS)) == data.y_test))
    h, w = data.x_test.shape[-2:]
    clf = LinearClassifier(f_test.shape[1], model.coef.shape[0], params.feature_bits, WEIGHT_BITS)
    energy = hog_energy(params, h, w) + classifier_energy(clf, h * w)
    return HogRun(params, f_train, f_test, model, acc_float, acc, energy)


def hog_point(run: HogRun, data: str) -> Point:
    e = run.energy
    breakdown = {s.name: s.energy_pj / e.pixels / 1000 for s in e.compute + e.memory}
    p = run.params
    return Point("hog+linear", Kind.MEASURED, data, run.accuracy, "accuracy on the test split", e.nj_per_pixel,
                 e.ops / e.pixels, "run here", breakdown,
                 f"HOG {p.cell_px}-px cells, {p.block_cells}x{p.block_cells} blocks, {p.orientations} bins, "
                 f"{p.norm.value}; linear SVM at {p.feature_bits}-bit features, {WEIGHT_BITS}-bit weights "
                 f"(float accuracy {run.accuracy_float:.4f})")


@dataclass(frozen=True, slots=True)
class CnnRun:
    network: str
    accuracy: float
    rows: tuple = field(repr=False)
    pixels: int

    @property
    def energy_pj(self) -> float:
        return float(sum(r.total for r in self.rows))


def cnn_inputs(data: Dataset, network: str) -> Dataset:
    """The data set as the CNN takes it (faces padded to LeNet-5's 28 x 28)."""
    if network == "lenet5" and data.x_train.shape[-1] != 28:
        return Dataset(data.name, pad_to(data.x_train, 28), data.y_train, pad_to(data.x_test, 28), data.y_test)
    return data


def run_cnn(data: Dataset, *, epochs: int, seed: int = 0, energy_images: int = 100, weights: str | None = None,
            progress: bool = False) -> CnnRun:
    """Train the data set's CNN (or load ``weights``), measure its accuracy and its energy on test images."""
    from stationary.arch.presets import preset
    from stationary.chip.figures import pj_arch
    from stationary.infer import accuracy, build
    from stationary.pruning.energy import estimate
    name = CNN[data.name]
    net_data = cnn_inputs(data, name)
    if weights:
        from stationary.infer.weights import load_model
        model, _ = load_model(weights, build(name, seed))
    else:
        from stationary.infer.train import TrainConfig, train

        def report(log):
            if progress:
                print(f"  {name} epoch {log.epoch}/{epochs}: test accuracy {log.test_accuracy:.4f}", flush=True)
        model = train(build(name, seed), net_data, TrainConfig(epochs=epochs, seed=seed), on_epoch=report).model
    acc = accuracy(model, net_data.x_test, net_data.y_test)
    rows = estimate(model, pj_arch(preset("eyeriss")), net_data.x_test[:energy_images])
    h, w = data.x_test.shape[-2:]
    return CnnRun(name, acc, rows, h * w)


def cnn_point(run: CnnRun, data: str) -> Point:
    macs = sum(r.macs for r in run.rows)
    breakdown = {r.layer: r.total / run.pixels / 1000 for r in run.rows}
    return Point(run.network, Kind.MEASURED, data, run.accuracy, "accuracy on the test split",
                 run.energy_pj / run.pixels / 1000, 2 * macs / run.pixels, "run here", breakdown,
                 "Eyeriss model (mapper, row stationary) at 16 bits, densities measured on the test images; "
                 "ops = 2 x MACs")
