"""Weight files: round trip, and every kind of mismatch is a StationaryError naming the file."""
import json

import numpy as np
import pytest

from stationary.core import StationaryError
from stationary.infer import build, load_model, load_weights, save_weights


def test_round_trip_keeps_every_array(tmp_path):
    m = build("lenet5", seed=7)
    path = str(tmp_path / "w.npz")
    save_weights(path, m, epoch=2)
    back, meta = load_model(path, build("lenet5"))
    assert meta["network"] == "lenet5" and meta["epoch"] == 2
    assert meta["layers"] == [layer.name for layer in m.network.layers]
    for name, (w, b) in m.weights.items():
        np.testing.assert_array_equal(back.weights[name][0], w)
        np.testing.assert_array_equal(back.weights[name][1], b)


def test_weights_of_another_network_are_refused(tmp_path):
    path = str(tmp_path / "d.npz")
    save_weights(path, build("digits-cnn"))
    with pytest.raises(StationaryError, match="another network"):
        load_weights(path, build("lenet5").network)


def _rewrite(path, change):
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    change(arrays)
    np.savez(path, **arrays)


# LeNet-5's layers by position (names come from the zoo): 0 CONV1, 1 CONV2, 2 FC 120, 3 FC 84, 4 FC 10
L = [layer.name for layer in build("lenet5").network.layers]


@pytest.mark.parametrize("change, message", [
    (lambda a: a.__setitem__(f"{L[2]}/weight", np.zeros((120, 399), np.float32)), "weight shape"),
    (lambda a: a.__setitem__(f"{L[1]}/bias", np.zeros(15, np.float32)), "bias shape"),
    (lambda a: a.pop(f"{L[4]}/weight"), "both weight and bias"),
    (lambda a: (a.pop(f"{L[4]}/weight"), a.pop(f"{L[4]}/bias")), "no weights for this layer"),
    (lambda a: a.__setitem__("FC9/weight", np.zeros(1)) or a.__setitem__("FC9/bias", np.zeros(1)),
     "does not have"),
    (lambda a: a.__setitem__("junk", np.zeros(1)), "unexpected array"),
    (lambda a: a.pop("__meta__"), "no __meta__"),
    (lambda a: a.__setitem__("__meta__", np.array(json.dumps({"format": "x"}))), "unsupported"),
])
def test_mismatches_are_errors_naming_the_file(tmp_path, change, message):
    path = str(tmp_path / "w.npz")
    save_weights(path, build("lenet5"))
    _rewrite(path, change)
    with pytest.raises(StationaryError, match=message) as err:
        load_weights(path, build("lenet5").network)
    assert str(err.value).startswith(path)


def test_missing_and_corrupt_files(tmp_path):
    net = build("lenet5").network
    with pytest.raises(StationaryError, match="no such weight file"):
        load_weights(str(tmp_path / "none.npz"), net)
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(StationaryError, match="not a readable"):
        load_weights(str(bad), net)
