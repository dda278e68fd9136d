"""HOG descriptors of real images: scikit-image's ``hog`` where it applies, and an independent numpy
implementation that also covers what scikit-image does not (signed gradients, a block stride above one cell).
Tests hold the two equal to float tolerance on real images for several parameter sets.

Both follow :mod:`stationary.sensor.hog`: centred differences (zero on the image border, as scikit-image),
each pixel's magnitude voted whole into the one bin ``[i w, (i + 1) w)`` holding its angle (``w = 180 / bins``
unsigned, ``360 / bins`` signed; angles in degrees from ``arctan2(d_row, d_col)``), cell histograms averaged
over the cell's pixels (as scikit-image; normalization cancels the factor up to its epsilon), then each block
normalized with ``eps = 1e-5``.

>>> import numpy as np
>>> from stationary.sensor import HogParams
>>> image = np.tile(np.arange(16.0), (16, 1))           # a horizontal ramp: every gradient points along columns
>>> d = hog_numpy(image, HogParams(cell_px=8, block_cells=1, norm="none"))
>>> d.shape, d[0, 0, 0, 0].round(3).tolist()            # bin 0 (0 degrees); border columns have no gradient
((2, 2, 1, 1, 9), [1.75, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
"""
from __future__ import annotations

import numpy as np

from stationary.core import StationaryError
from stationary.sensor.hog import HogParams, Normalization

EPS = 1e-5
EXTRA = "pip install 'stationary[features]'"


def _image(image, params: HogParams) -> np.ndarray:
    arr = np.asarray(image, dtype=np.float64)
    if arr.ndim != 2:
        raise StationaryError("HOG takes one grayscale image (height x width)", field="image", value=arr.shape)
    params.geometry(*arr.shape)
    return arr


def gradients(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centred differences along rows and columns, zero on the border."""
    d_row, d_col = np.zeros_like(image), np.zeros_like(image)
    d_row[1:-1, :] = image[2:, :] - image[:-2, :]
    d_col[:, 1:-1] = image[:, 2:] - image[:, :-2]
    return d_row, d_col


def cell_histograms(image, params: HogParams) -> np.ndarray:
    """cells_y x cells_x x orientations: each cell's mean magnitude per orientation bin."""
    image = _image(image, params)
    g = params.geometry(*image.shape)
    c, bins = params.cell_px, params.orientations
    d_row, d_col = gradients(image)
    d_row, d_col = d_row[:g.cells_y * c, :g.cells_x * c], d_col[:g.cells_y * c, :g.cells_x * c]
    magnitude = np.hypot(d_row, d_col)
    span = 360.0 if params.signed else 180.0
    angle = np.rad2deg(np.arctan2(d_row, d_col)) % span
    width = span / bins
    edges = np.array([width * (i + 1) for i in range(bins - 1)])
    which = np.searchsorted(edges, angle, side="right")
    magnitude = np.where(angle < width * bins, magnitude, 0.0)   # an angle rounded up to `span` votes nowhere
    rows = np.arange(g.cells_y * c) // c
    cols = np.arange(g.cells_x * c) // c
    index = ((rows[:, None] * g.cells_x + cols[None, :]) * bins + which).ravel()
    hist = np.bincount(index, weights=magnitude.ravel(), minlength=g.cells * bins)
    return hist.reshape(g.cells_y, g.cells_x, bins) / (c * c)


def normalize(blocks: np.ndarray, norm: Normalization) -> np.ndarray:
    """Normalize every block (the last three axes) on its own."""
    axes = (-3, -2, -1)

    def l2(x):
        return x / np.sqrt(np.sum(x ** 2, axis=axes, keepdims=True) + EPS ** 2)

    if norm is Normalization.NONE:
        return blocks
    if norm in (Normalization.L1, Normalization.L1_SQRT):
        out = blocks / (np.sum(np.abs(blocks), axis=axes, keepdims=True) + EPS)
        return np.sqrt(out) if norm is Normalization.L1_SQRT else out
    out = l2(blocks)
    return l2(np.minimum(out, 0.2)) if norm is Normalization.L2_HYS else out


def hog_numpy(image, params: HogParams) -> np.ndarray:
    """blocks_y x blocks_x x block_cells x block_cells x orientations, in numpy (any parameters)."""
    hist = cell_histograms(image, params)
    b, s = params.block_cells, params.block_stride_cells
    windows = np.lib.stride_tricks.sliding_window_view(hist, (b, b), axis=(0, 1))[::s, ::s]
    return normalize(np.moveaxis(windows, 2, -1).copy(), params.norm)   # (by, bx, b, b, bins)


def skimage_hog():
    """scikit-image's ``hog``, or a clear error naming the extra to install."""
    try:
        from skimage.feature import hog
    except ImportError:
        raise StationaryError(f"HOG needs scikit-image ({EXTRA})", field="package", value="scikit-image") from None
    return hog


def hog_skimage(image, params: HogParams) -> np.ndarray:
    """The same descriptor from ``skimage.feature.hog`` (unsigned bins, block stride 1, normalized blocks only)."""
    if params.signed:
        raise StationaryError("scikit-image's hog has unsigned bins only (use the numpy backend)", field="signed",
                              value=True)
    if params.block_stride_cells != 1:
        raise StationaryError("scikit-image's hog moves blocks one cell at a time (use the numpy backend)",
                              field="block_stride_cells", value=params.block_stride_cells)
    if params.norm is Normalization.NONE:
        raise StationaryError("scikit-image's hog always normalizes blocks (use the numpy backend)", field="norm",
                              value=params.norm.value)
    image = _image(image, params)
    return skimage_hog()(image, orientations=params.orientations, pixels_per_cell=(params.cell_px,) * 2,
                         cells_per_block=(params.block_cells,) * 2, block_norm=params.norm.value,
                         feature_vector=False)


BACKENDS = {"skimage": hog_skimage, "numpy": hog_numpy}


def describe(images, params: HogParams, backend: str = "skimage", progress: bool = False) -> np.ndarray:
    """One flattened descriptor per image of an N x H x W (or N x 1 x H x W) batch."""
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[1] == 1:
        images = images[:, 0]
    if images.ndim != 3:
        raise StationaryError("expected grayscale images N x H x W (or N x 1 x H x W)", field="images",
                              value=images.shape)
    try:
        fn = BACKENDS[backend]
    except KeyError:
        raise StationaryError(f"unknown HOG backend (expected one of {', '.join(BACKENDS)})", field="backend",
                              value=backend) from None
    from tqdm import tqdm
    rows = [fn(image, params).ravel() for image in tqdm(images, desc="HOG", disable=not progress, leave=False)]
    return np.stack(rows).astype(np.float32)
