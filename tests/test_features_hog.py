"""HOG on real images: the numpy implementation against scikit-image's hog, and what only numpy covers."""
import sys

import numpy as np
import pytest

from stationary.core import StationaryError
from stationary.features.hog import describe, hog_numpy, hog_skimage
from stationary.sensor import HogParams

skdata = pytest.importorskip("skimage.data")

# real images shipped inside scikit-image, cropped to keep the test fast
IMAGES = {"camera": lambda: skdata.camera()[100:196, 150:278] / 255.0,
          "coins": lambda: skdata.coins()[:90, :120] / 255.0,
          "text": lambda: skdata.text()[40:112, 100:220] / 255.0,
          "lfw face": lambda: skdata.lfw_subset()[0]}
PARAMS = [dict(), dict(cell_px=4, block_cells=3, orientations=6, norm="L1"),
          dict(cell_px=5, block_cells=2, orientations=12, norm="L2"),
          dict(cell_px=7, block_cells=1, norm="L1-sqrt"), dict(cell_px=3, orientations=8)]


@pytest.mark.parametrize("image", sorted(IMAGES))
@pytest.mark.parametrize("kwargs", PARAMS, ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items()) or "default")
def test_numpy_hog_equals_scikit_image_on_real_images(image, kwargs):
    im, p = IMAGES[image](), HogParams(**kwargs)
    ours, theirs = hog_numpy(im, p), hog_skimage(im, p)
    assert ours.shape == theirs.shape
    assert ours.size == p.geometry(*im.shape).feature_words
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-6)   # scikit-image sums cells in single precision
    assert ours.max() > 0.05


def test_block_stride_is_the_stride_one_descriptor_subsampled():
    im = IMAGES["camera"]()
    one = hog_numpy(im, HogParams(cell_px=4, block_cells=3))
    two = hog_numpy(im, HogParams(cell_px=4, block_cells=3, block_stride_cells=2))
    np.testing.assert_array_equal(two, one[::2, ::2])


def test_signed_bins_separate_opposite_gradients_by_hand():
    ramp = np.tile(np.arange(16.0)[:, None], (1, 16))        # brighter downwards: d_row = 2, angle 90 degrees
    for image, signed_bin in ((ramp, 4), (ramp[::-1], 13)):  # 20-degree bins: 90 -> 4, 270 -> 13
        unsigned = hog_numpy(image, HogParams(cell_px=8, block_cells=1, norm="none"))
        signed = hog_numpy(image, HogParams(cell_px=8, block_cells=1, orientations=18, signed=True, norm="none"))
        assert np.argmax(unsigned[0, 0, 0, 0]) == 4
        assert np.argmax(signed[0, 0, 0, 0]) == signed_bin
        # cell (0, 0): rows 1..7 have d_row = 2 (row 0 is the border), 8 columns: 7 x 8 x 2 / 64
        assert signed[0, 0, 0, 0, signed_bin] == pytest.approx(7 * 8 * 2 / 64)


def test_describe_flattens_a_batch():
    faces = skdata.lfw_subset()[:3, None]
    out = describe(faces, HogParams(cell_px=5))
    assert out.shape == (3, 4 * 4 * 36) and out.dtype == np.float32


@pytest.mark.parametrize("kwargs, field", [(dict(signed=True, orientations=18), "signed"),
                                           (dict(block_stride_cells=2, block_cells=2), "block_stride_cells"),
                                           (dict(norm="none"), "norm")])
def test_what_scikit_image_cannot_do_is_named(kwargs, field):
    with pytest.raises(StationaryError, match=f"field '{field}'.*numpy backend"):
        hog_skimage(np.zeros((32, 32)), HogParams(**kwargs))


def test_image_too_small_for_a_block_names_the_field():
    with pytest.raises(StationaryError, match="field 'width' = 12"):
        hog_numpy(np.zeros((32, 12)), HogParams())
    with pytest.raises(StationaryError, match="field 'image'"):
        hog_numpy(np.zeros((2, 32, 32)), HogParams())
    with pytest.raises(StationaryError, match="field 'backend'"):
        describe(np.zeros((1, 32, 32)), HogParams(), backend="opencv")


def test_missing_scikit_image_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "skimage.feature", None)
    with pytest.raises(StationaryError, match=r"pip install 'stationary\[features\]'"):
        hog_skimage(np.zeros((32, 32)), HogParams())
