"""Hand-crafted features beside the CNNs: HOG on real images, a linear classifier on top, their energy per pixel
in 65 nm, sparsity by basis projection, and the talk's full-scale chip points (see docs/features.md).

The counts of HOG itself live one layer up, in :mod:`stationary.sensor.hog`, so the in-sensor model shares them.

>>> from stationary.features import PARAMS, hog_energy
>>> e = hog_energy(PARAMS["digits"], 8, 8)
>>> e.pixels, e.ops > 0
(64, True)
"""
from stationary.features.data import PARAMS
from stationary.features.energy import TABLE_65NM, LinearClassifier, OpTable, PipelineEnergy, hog_energy, price
from stationary.features.points import Kind, Point

__all__ = ["PARAMS", "TABLE_65NM", "LinearClassifier", "OpTable", "PipelineEnergy", "hog_energy", "price", "Kind",
           "Point"]
