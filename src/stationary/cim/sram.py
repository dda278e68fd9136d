"""The binary-weight classifier in a standard 6T SRAM (Zhang, Wang, Verma, VLSI 2016 / JSSC 2017).

MNIST digits downsampled to 9 x 9 = 81 pixels drive 81 word lines through 5-bit word-line DACs; each column
stores a +/-1 weight per row (the cell discharges BL or BLB), and its comparator decides the sign of
``V_BL - V_BLB ~ sum_n w_n V_WL,n``: one weak binary classifier per column. The other 47 rows hold the column's
bias (+/-1 cells driven at full scale). Ten one-vs-all strong classifiers each combine ``weak`` columns by
boosting (12 x 10 = 120 of the 128 columns by default), and the decision is the largest weighted vote, computed in
digital. Non-idealities: per-cell discharge variation (Gaussian, fixed at fabrication, seeded) and the bit line's
saturating discharge (``Accumulation.DISCHARGE``).

Training, as the paper frames it: each weak learner is a weighted least-squares fit whose signs become the
column's weights, with the bias chosen to minimise the weighted error. "Ideal" boosting measures each weak
classifier's error in exact arithmetic; the paper's remedy, error-adaptive classifier boosting (EACB), measures it
on the actual fabricated array, so later columns are trained on the errors the non-ideal ones really make.

>>> x = np.zeros((1, 1, 28, 28)); x[0, 0, :3, :3] = 1.0
>>> features(x)[0, :2].tolist(), features(x).shape
([1.0, 0.0], (1, 81))
>>> m = macro(Settings(), ideal=True)
>>> m.rows, m.columns, m.dac_bits, m.adc_bits, m.weight_range
(128, 128, 5, 1, (-1, 1))
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from stationary.cim.actions import Actions, load_yaml
from stationary.cim.array import program, read
from stationary.cim.common import Settings, energy_table, sample_subset
from stationary.cim.macro import Accumulation, Encoding, Macro, NonIdeal, VariationKind
from stationary.cim.result import Baseline, CimResult
from stationary.core import StationaryError
from stationary.infer.datasets import Dataset
from stationary.precision.quantizers import fixed_point

FILE = "zhang_verma_jssc2017.yaml"
ROWS, FEATURES, CLASSES, DAC_BITS = 128, 81, 10, 5
BIAS_ROWS = ROWS - FEATURES
DEFAULT_WEAK = 12
DEFAULT_VARIATION = 0.25      # assumed bit-cell current spread (sigma/mu); the paper measures but we do not copy it
DEFAULT_NONLINEARITY = 2.0    # bit-line discharge saturation, k of Accumulation.DISCHARGE


def features(x28: np.ndarray) -> np.ndarray:
    """28 x 28 digits -> 9 x 9 by 3 x 3 block means of the top-left 27 x 27 pixels (the border is blank)."""
    x = np.asarray(x28, np.float64)[:, 0, :27, :27]
    return x.reshape(len(x), 9, 3, 9, 3).mean(axis=(2, 4)).reshape(len(x), FEATURES)


def row_codes(x81: np.ndarray) -> np.ndarray:
    """Word-line DAC codes: 5-bit pixels (stationary.precision.fixed_point), then the bias rows at full scale."""
    top = (1 << DAC_BITS) - 1
    pixels = np.rint(fixed_point(np.clip(x81, 0, 1), DAC_BITS, signed=False, max_abs=1.0) * top).astype(np.int64)
    return np.hstack([pixels, np.full((len(x81), BIAS_ROWS), top, np.int64)])


def macro(settings: Settings, ideal: bool = False) -> Macro:
    spec = NonIdeal() if ideal else NonIdeal(settings.pick("variation", DEFAULT_VARIATION),
                                            settings.pick("nonlinearity", DEFAULT_NONLINEARITY),
                                            settings.pick("noise", 0.0), VariationKind.GAUSSIAN, settings.seed)
    return Macro(rows=ROWS, columns=ROWS, input_bits=DAC_BITS, dac_bits=DAC_BITS, weight_bits=1, bits_per_cell=1,
                 adc_bits=settings.pick("adc_bits", 1), encoding=Encoding.DIFFERENTIAL,
                 accumulation=Accumulation.DISCHARGE, nonideal=spec, arrays=1)


@dataclass(frozen=True, slots=True)
class Classifier:
    """Column weights (128 x columns, +/-1), each column's class and its vote weight alpha."""
    weights: np.ndarray = field(repr=False)
    classes: np.ndarray = field(repr=False)
    alphas: np.ndarray = field(repr=False)

    def decide(self, votes: np.ndarray) -> np.ndarray:
        """The 10-way decision from the columns' +/-1 outputs: the class with the largest weighted vote."""
        scores = np.zeros((len(votes), CLASSES))
        for c in range(CLASSES):
            mine = self.classes == c
            scores[:, c] = votes[:, mine] @ self.alphas[mine]
        return scores.argmax(axis=1)


def column_votes(m: Macro, weights: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, Actions]:
    """Every column's comparator decision (+1 / -1) on every input, read from the (fabricated) array."""
    values, actions = read(program(m, weights), codes)
    return np.where(values > 0, 1, -1), actions


def _weak_learner(x: np.ndarray, codes: np.ndarray, target: np.ndarray, d: np.ndarray) -> np.ndarray:
    """+/-1 weights for the pixels from a weighted least-squares fit, and the bias rows that minimise the
    weighted error of sign(w . x + bias) in exact arithmetic."""
    a = np.hstack([x, np.ones((len(x), 1))])
    beta = np.linalg.solve(a.T @ (a * d[:, None]) + 1e-3 * np.eye(a.shape[1]), a.T @ (d * target))
    w = np.where(beta[:FEATURES] >= 0, 1, -1)
    score = codes[:, :FEATURES].astype(np.float64) @ w
    top = (1 << DAC_BITS) - 1
    bias = (2 * np.arange(BIAS_ROWS + 1) - BIAS_ROWS) * top            # what 0..47 "+1" bias cells add
    says_yes = score[None, :] + bias[:, None] > 0                          # biases x samples
    errors = np.where(says_yes, (target < 0) * d, (target > 0) * d).sum(axis=1)
    n_plus = int(np.argmin(errors))
    return np.concatenate([w, np.ones(n_plus, np.int64), -np.ones(BIAS_ROWS - n_plus, np.int64)])


def _bias_on_chip(m: Macro, weights: np.ndarray, column: int, codes: np.ndarray, target: np.ndarray,
                  d: np.ndarray) -> np.ndarray:
    """EACB's bias: of the 48 settings of the bias rows (0..47 cells at +1), the one whose decisions on the
    fabricated column have the least weighted error. The column's analog value is linear in its cells (the
    discharge nonlinearity acts on the word-line drive), so the 48 settings are scored from one read of the
    pixel rows and each bias cell's own (varied) contribution."""
    from stationary.cim.array import drive
    prog = program(m, weights)
    cells = prog.pos[0][:, column] + prog.neg[0][:, column]          # each cell's strength; its sign picks the line
    drives = drive(m, codes.astype(np.float64))
    w = weights[:FEATURES, column]
    pixels = drives[:, :FEATURES] @ (w * cells[:FEATURES])
    bias_cells = drives[0, FEATURES:] * cells[FEATURES:]               # the bias rows' drive is constant
    ahead = np.concatenate([[0.0], np.cumsum(bias_cells)])             # first n cells at +1 ...
    behind = ahead[-1] - ahead                                         # ... the rest at -1
    says_yes = pixels[None, :] + (ahead - behind)[:, None] > 0
    errors = np.where(says_yes, (target < 0) * d, (target > 0) * d).sum(axis=1)
    n_plus = int(np.argmin(errors))
    return np.concatenate([w, np.ones(n_plus, np.int64), -np.ones(BIAS_ROWS - n_plus, np.int64)])


def train(x81: np.ndarray, y: np.ndarray, weak: int, hardware: Macro | None) -> Classifier:
    """One-vs-all boosting of ``weak`` columns per class. ``hardware`` None: errors in exact arithmetic (the
    conventional training); a macro: errors measured on that fabricated array (EACB)."""
    if not 1 <= weak <= ROWS // CLASSES:
        raise StationaryError(f"weak classifiers per class must be 1 to {ROWS // CLASSES} (128 columns)",
                              field="weak", value=weak)
    codes = row_codes(x81)
    weights = np.ones((ROWS, ROWS), np.int64)
    classes, alphas = np.full(ROWS, -1), np.zeros(ROWS)
    column = 0
    for c in range(CLASSES):
        target = np.where(y == c, 1, -1)
        d = np.where(target > 0, 0.5 / max((target > 0).sum(), 1), 0.5 / max((target < 0).sum(), 1))
        for _ in range(weak):
            weights[:, column] = _weak_learner(x81, codes, target, d)
            if hardware is None:
                h = np.where(codes @ weights[:, column] > 0, 1, -1)
            else:
                weights[:, column] = _bias_on_chip(hardware, weights, column, codes, target, d)
                h = column_votes(hardware, weights, codes)[0][:, column]   # this column, on the chip
            err = float(np.clip((d * (h != target)).sum() / d.sum(), 1e-6, 1 - 1e-6))
            alpha = 0.5 * np.log((1 - err) / err)
            classes[column], alphas[column] = c, alpha
            d = d * np.exp(-alpha * target * h)
            d /= d.sum()
            column += 1
    used = slice(0, column)
    return Classifier(weights[:, used], classes[used], alphas[used])


def accuracy(m: Macro, clf: Classifier, x81: np.ndarray, y: np.ndarray) -> tuple[float, Actions]:
    votes, actions = column_votes(m, clf.weights, row_codes(x81))
    return float(np.mean(clf.decide(votes) == y)), actions.scaled(1.0 / len(y))


def run(data: Dataset, settings: Settings, baseline: Baseline, *, weak: int = DEFAULT_WEAK,
        train_samples: int | None = None, plain: Classifier | None = None) -> CimResult:
    """Train (conventionally, unless ``plain`` is that classifier already, and with EACB on this run's array) on
    the 9 x 9 digits and measure the three accuracies and the energy per decision."""
    x_train, y_train = features(data.x_train), data.y_train
    if train_samples is not None:
        x_train, y_train = sample_subset(x_train, y_train, train_samples, settings.seed + 1)
    x_test, y_test = sample_subset(features(data.x_test), data.y_test, settings.samples, settings.seed)
    ideal, real = macro(settings, ideal=True), macro(settings)
    plain = plain if plain is not None else train(x_train, y_train, weak, None)
    weak = int(np.max(np.bincount(plain.classes)))
    acc_ideal, actions = accuracy(ideal, plain, x_test, y_test)
    acc_real = accuracy(real, plain, x_test, y_test)[0]
    acc_eacb = accuracy(real, train(x_train, y_train, weak, real), x_test, y_test)[0]
    voting = CLASSES * (weak - 1) + CLASSES - 1     # the alpha-weighted votes, then the argmax
    actions = actions + Actions(digital_adds=voting)
    table = energy_table(FILE, "sram-binary")
    published = load_yaml(FILE)["published"]
    columns = CLASSES * weak
    return CimResult(
        design="sram-binary", network="mnist-9x9-binary", source=table.source, accuracy=acc_real,
        accuracy_ideal=acc_ideal, samples=len(y_test), macs_per_inference=FEATURES * columns, actions=actions,
        energy_pj_per_inference=table.energy_pj(actions), breakdown_pj=tuple(table.breakdown_pj(actions).items()),
        baseline=baseline,
        settings=(("variation", real.nonideal.variation), ("nonlinearity", real.nonideal.nonlinearity),
                  ("noise", real.nonideal.noise), ("adc_bits", real.adc_bits), ("seed", settings.seed),
                  ("weak_per_class", weak)),
        figures=(("accuracy_eacb", acc_eacb), ("columns", columns)),
        paper=(("energy_pj_per_inference", float(published["energy_pj_per_decision"])),
               ("accuracy", float(published["accuracy_baseline"])),
               ("energy_ratio_vs_discrete", float(published["energy_ratio_vs_discrete"]))),
        energy_source=table.source + " (measured energy per decision, charged per array read)")
