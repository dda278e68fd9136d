"""HOG + linear and the CNN on real data (seeded), the basis projection, the chips' points, and the CLI."""
import json

import numpy as np
import pytest

pytest.importorskip("sklearn")
pytest.importorskip("skimage")

from stationary.cli import main  # noqa: E402
from stationary.core import StationaryError  # noqa: E402
from stationary.features.chips import model_cnn, published_points  # noqa: E402
from stationary.features.data import PARAMS, load, load_faces  # noqa: E402
from stationary.features.pipelines import hog_point, run_hog_linear  # noqa: E402
from stationary.features.projection import project  # noqa: E402
from stationary.sensor import HogParams  # noqa: E402


@pytest.fixture(scope="module")
def digits():
    return load("digits")


@pytest.fixture(scope="module")
def digits_hog(digits):
    return run_hog_linear(digits)


def test_faces_split_is_balanced_and_seeded():
    a, b = load_faces(), load_faces()
    assert (len(a.y_train), len(a.y_test)) == (140, 60)
    assert np.bincount(a.y_train).tolist() == [70, 70] and np.bincount(a.y_test).tolist() == [30, 30]
    np.testing.assert_array_equal(a.x_test, b.x_test)
    assert a.x_train.shape[1:] == (1, 25, 25)


def test_hog_linear_on_real_digits(digits, digits_hog):
    # far above chance (10 %); the fixed-point pipeline within a point of the float one
    assert digits_hog.accuracy > 0.85
    assert abs(digits_hog.accuracy - digits_hog.accuracy_float) < 0.01
    point = hog_point(digits_hog, "digits")
    hog_ops = PARAMS["digits"].ops(8, 8).total()
    assert point.ops_per_pixel == pytest.approx((hog_ops + 2 * 324 * 10) / 64)
    assert point.measured_here and point.energy_nj_per_pixel > 0


def test_hog_linear_on_real_faces():
    faces = load_faces()
    run = run_hog_linear(faces)
    assert run.accuracy > 0.9
    assert run.model.coef.shape == (1, 576)         # two classes: one dot product


def test_complete_basis_without_pruning_changes_nothing(digits, digits_hog):
    p = project(digits_hog, digits.y_test, (8, 8), atoms=36, kept=1.0)
    assert p.accuracy_projected == p.accuracy_dense
    # 3 x 3 blocks of 36 values, 10 classes: 3,240 dense multiplications per image and per block position;
    # projected: 9 blocks x 36 x 36 (once per image) or 36 x 36 (once per position), plus the kept weights
    assert p.dense_mults_per_image == 3240 and p.dense_mults_per_position == 3240
    assert p.projected_mults_per_image == 9 * 36 * 36 + p.nnz_weights
    assert p.projected_mults_per_position == 36 * 36 + p.nnz_weights


def test_the_basis_beats_pruning_in_the_original_basis(digits, digits_hog):
    p = project(digits_hog, digits.y_test, (8, 8), atoms=18, kept=0.2)
    assert p.nnz_weights == 648
    assert p.accuracy_projected > p.accuracy_pruned
    assert p.reduction_per_position == pytest.approx(3240 / (18 * 36 + 648))


@pytest.mark.parametrize("kwargs, field", [(dict(atoms=37, kept=0.5), "atoms"), (dict(atoms=9, kept=0), "kept")])
def test_bad_projection_settings_name_the_field(digits, digits_hog, kwargs, field):
    with pytest.raises(StationaryError, match=f"field '{field}'"):
        project(digits_hog, digits.y_test, (8, 8), **kwargs)


def test_published_points_from_the_chips_figures():
    det, alexnet, vgg = published_points()
    assert det.energy_nj_per_pixel == pytest.approx(58.6e-3 / (1920 * 1080 * 30) * 1e9)     # 0.942 nJ/pixel
    assert alexnet.energy_nj_per_pixel == pytest.approx(278e-3 / (34.7 * 227 * 227) * 1e9)  # 155 nJ/pixel
    assert vgg.energy_nj_per_pixel == pytest.approx(236e-3 / (0.7 * 224 * 224) * 1e9)       # 6,719 nJ/pixel
    assert not any(p.measured_here for p in (det, alexnet, vgg))


def test_modelled_alexnet_comes_within_2x_of_the_measured_chip():
    m = model_cnn("alexnet")
    assert m.macs_per_frame == 665784864            # AlexNet CONV1-5 (published.yaml, arith-checked)
    measured = published_points()[1].energy_nj_per_pixel
    assert 0.5 < m.energy_pj_per_frame / m.pixels / 1000 / measured < 2


def test_cli_json_on_digits(capsys):
    assert main(["features", "--data", "digits", "--epochs", "1", "--no-full-scale", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    names = [r["pipeline"] for r in rows]
    assert names == ["hog+linear", "digits-cnn"]
    for r in rows:
        assert {"pipeline", "accuracy", "energy_nj_per_pixel", "ops_per_pixel", "measured_here", "source"} <= set(r)
        assert r["measured_here"] and 0 < r["accuracy"] <= 1
    # the CNN costs far more per pixel than HOG + a linear classifier
    assert rows[1]["energy_nj_per_pixel"] > 10 * rows[0]["energy_nj_per_pixel"]
    assert rows[0]["basis_projection"]["sweep"]


@pytest.mark.parametrize("argv, message", [(["--data", "cifar"], "field 'data' = 'cifar'"),
                                           (["--data", "digits", "--cnn-weights", "/nonexistent.npz"],
                                            "nonexistent")])
def test_cli_bad_input_is_one_line(capsys, argv, message):
    assert main(["features", "--no-full-scale", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_frame_smaller_than_a_block_is_an_error():
    with pytest.raises(StationaryError, match="field 'height' = 8"):
        HogParams(cell_px=8).geometry(8, 64)
