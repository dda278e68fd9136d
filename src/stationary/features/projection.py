"""Sparsity by basis projection (the talk's "Sparsity with Basis Projection"): a trained linear classifier's
weights, block by block, written in a learned basis in which they are sparse.

The talk's identity: ``<H, W> = <H, sum_d S_d a_d> = sum_d <H, S_d> a_d = sum_d P_d a_d``. The classifier's
weight vector for each class is cut into its blocks' segments (``v = block_cells^2 x orientations`` values each);
an orthonormal basis of ``atoms`` vectors ``S`` (v-dimensional) is learned from all segments of all classes (their
leading singular vectors, so the projected weights concentrate in few coefficients), the segments are projected
(``a = S w_b``) and pruned: the largest ``kept`` fraction (of the dense weight count) of all projected weights
stays, the rest is zero (a pruned projection). Scoring then projects each block's features once, ``P = S x_b`` (``atoms x v``
multiplications per block, shared by every class), and takes sparse dot products with the codes ``a``.

Multiplications are counted in two settings:

* **per image** (the classifier as run here): ``classes x features`` dense against
  ``blocks x atoms x v + nnz(a)`` projected;
* **sliding window** (the detector's setting, where the talk's figure comes from): each block position of a frame
  is read by every window that covers it and by every class's template, so per block position it is
  ``classes x window_blocks x v`` dense against ``atoms x v + nnz(a)``, the projection paid once.

Each point is compared with magnitude pruning in the original basis at the same number of non-zero weights (is the
basis what helps?). Accuracy is measured on the test split with the fixed-point features the energy assumes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stationary.core import StationaryError
from stationary.features.energy import TABLE_65NM, OpTable, price
from stationary.features.pipelines import WEIGHT_BITS, HogRun, quantize_symmetric, quantize_unsigned
from stationary.sensor.counts import Access, Buffer, HogCounts, OpCount, OpKind, Stage

TALK_REDUCTION = 1.8   # "Reduce the number of multiplications by projecting onto a basis that increases sparsity
#                         (>1.8x power reduction)", the talk's slide "Sparsity with Basis Projection"


@dataclass(frozen=True, slots=True)
class ProjectionPoint:
    """One (atoms, kept) setting: multiplications, energy and accuracy against the dense classifier."""
    atoms: int
    kept: float
    nnz_weights: int
    dense_mults_per_image: int
    projected_mults_per_image: int
    dense_mults_per_position: int
    projected_mults_per_position: int
    dense_energy_pj: float
    projected_energy_pj: float
    accuracy_dense: float
    accuracy_projected: float
    accuracy_pruned: float

    @property
    def reduction_per_image(self) -> float:
        return self.dense_mults_per_image / self.projected_mults_per_image

    @property
    def reduction_per_position(self) -> float:
        return self.dense_mults_per_position / self.projected_mults_per_position

    @property
    def energy_reduction_per_position(self) -> float:
        return self.dense_energy_pj / self.projected_energy_pj

    @property
    def accuracy_lost(self) -> float:
        return self.accuracy_dense - self.accuracy_projected

    def json(self) -> dict:
        out = {k: getattr(self, k) for k in self.__slots__}
        out.update(reduction_per_image=self.reduction_per_image, reduction_per_position=self.reduction_per_position,
                   energy_reduction_per_position=self.energy_reduction_per_position,
                   accuracy_lost=self.accuracy_lost, energy_unit="pJ per block position")
        return out


def learn_basis(segments: np.ndarray, atoms: int) -> np.ndarray:
    """``atoms`` x v orthonormal basis: the segments' leading right singular vectors (their principal directions,
    without centring), the directions that carry most of the weights' energy."""
    _, _, vt = np.linalg.svd(segments, full_matrices=False)
    if atoms > vt.shape[0]:
        raise StationaryError(f"at most {vt.shape[0]} basis vectors for these weights", field="atoms", value=atoms)
    return vt[:atoms]


def prune_to(weights: np.ndarray, keep: int) -> np.ndarray:
    """The ``keep`` largest-magnitude weights, the rest zero."""
    flat = np.abs(weights).ravel()
    if keep >= flat.size:
        return weights
    cut = np.partition(flat, flat.size - keep)[flat.size - keep]
    return np.where(np.abs(weights) >= cut, weights, 0.0)


def _mult_energy(mults: int, weight_reads: int, weight_capacity_bits: int, feature_bits: int,
                 table: OpTable) -> float:
    acc = min(32, feature_bits + WEIGHT_BITS + 8)
    counts = HogCounts(1, (OpCount(Stage.CLASSIFIER, OpKind.MULT, WEIGHT_BITS, mults, feature_bits),
                           OpCount(Stage.CLASSIFIER, OpKind.ADD, acc, mults)),
                       (Access(Buffer.WEIGHTS, WEIGHT_BITS, max(weight_capacity_bits, 1), weight_reads, 0),))
    return price(counts, 1, table).total_pj


def project(run: HogRun, y_test: np.ndarray, image_shape: tuple[int, int], *, atoms: int, kept: float,
            table: OpTable = TABLE_65NM) -> ProjectionPoint:
    """Write the classifier's weights in an ``atoms``-vector basis and keep the largest ``kept`` fraction (of the
    dense weight count) of the projected weights."""
    g = run.params.geometry(*image_shape)
    v = g.values_per_block
    if not 0 < kept <= 1:
        raise StationaryError("must be a fraction in (0, 1]", field="kept", value=kept)
    coef = run.model.coef
    classes = coef.shape[0]
    segments = coef.reshape(classes * g.blocks, v)
    basis = learn_basis(segments, _int_atoms(atoms, v))
    codes = prune_to(segments @ basis.T, max(1, round(kept * coef.size)))
    nnz = int(np.count_nonzero(codes))
    rebuilt = (codes @ basis).reshape(coef.shape)
    x = quantize_unsigned(run.test_features, run.params.feature_bits)

    def acc(w):
        return float(np.mean(run.model.predict(x, quantize_symmetric(w, WEIGHT_BITS)) == y_test))

    fb = run.params.feature_bits
    dense_pos = classes * g.blocks * v
    proj_pos = atoms * v + nnz
    dense_e = _mult_energy(dense_pos, dense_pos, dense_pos * WEIGHT_BITS, fb, table)
    proj_e = (_mult_energy(atoms * v, atoms * v, atoms * v * WEIGHT_BITS, fb, table)
              + _mult_energy(nnz, nnz, nnz * WEIGHT_BITS, fb, table))
    return ProjectionPoint(atoms, kept, nnz, coef.size, g.blocks * atoms * v + nnz, dense_pos, proj_pos,
                           dense_e, proj_e, acc(coef), acc(rebuilt), acc(prune_to(coef, nnz)))


def _int_atoms(atoms, v: int) -> int:
    if isinstance(atoms, bool) or not isinstance(atoms, int) or not 1 <= atoms <= v:
        raise StationaryError(f"must be an integer from 1 to the block's {v} values", field="atoms", value=atoms)
    return atoms


def sweep(run: HogRun, y_test: np.ndarray, image_shape: tuple[int, int], *,
          settings: tuple[tuple[int, float], ...] | None = None) -> tuple[ProjectionPoint, ...]:
    """Several (atoms, kept) settings; by default a quarter, half and all of a complete basis (at most as many
    vectors as there are segments), each keeping 5, 10, 20 and 40 % as many projected weights as the dense
    classifier has."""
    g = run.params.geometry(*image_shape)
    v = g.values_per_block
    if settings is None:   # a basis cannot have more directions than there are segments
        rank = min(v, run.model.coef.shape[0] * g.blocks)
        atoms = sorted({min(a, rank) for a in (v // 4, v // 2, v)})
        settings = tuple((a, k) for a in atoms for k in (0.05, 0.1, 0.2, 0.4))
    return tuple(project(run, y_test, image_shape, atoms=a, kept=k) for a, k in settings)
