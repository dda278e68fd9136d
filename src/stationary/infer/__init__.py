"""Run networks with real weights on real data: models, the numpy reference forward, data sets shipped in
packages, training with torch (optional), weight files and per-layer activation statistics.

>>> from stationary.infer import build, forward
>>> import numpy as np
>>> acts = forward(build("digits-cnn"), np.zeros((2, 1, 8, 8), np.float32))
>>> [a.ofmap.shape for a in acts]
[(2, 16, 4, 4), (2, 128), (2, 64), (2, 10)]
"""
from stationary.infer.datasets import Dataset, load, load_digits, load_mnist
from stationary.infer.forward import LayerActivations, accuracy, forward, predict, run
from stationary.infer.model import Model, Op, OpKind, avgpool, flatten, init_model, maxpool, relu
from stationary.infer.nets import build, dataset_for, digits_cnn, lenet5
from stationary.infer.stats import Histogram, LayerStats, activation_stats
from stationary.infer.weights import load_model, load_weights, save_weights

__all__ = ["Dataset", "load", "load_digits", "load_mnist", "LayerActivations", "accuracy", "forward", "predict",
           "run", "Model", "Op", "OpKind", "avgpool", "flatten", "init_model", "maxpool", "relu", "build",
           "dataset_for", "digits_cnn", "lenet5", "Histogram", "LayerStats", "activation_stats", "load_model",
           "load_weights", "save_weights"]
