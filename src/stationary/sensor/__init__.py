"""Sensor front ends: feature extraction where the pixels are (HOG in the imager, and its counts per frame).

>>> from stationary.sensor import HogParams
>>> HogParams().geometry(64, 128).feature_words   # 7 x 15 blocks of 2 x 2 cells x 9 bins
3780
"""
from stationary.sensor.hog import (Access, Buffer, HogCounts, HogGeometry, HogParams, Normalization, OpCount,
                                   OpKind, Stage)

__all__ = ["Access", "Buffer", "HogCounts", "HogGeometry", "HogParams", "Normalization", "OpCount", "OpKind",
           "Stage"]
