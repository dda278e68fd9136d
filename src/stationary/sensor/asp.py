"""Angle-sensitive pixels (ASP): the first convolution computed by the optics, and the readout it allows.

An ASP has two diffraction gratings over its photodiode; its response to the light's angle is a sinusoid, which in
the focal plane acts as a Gabor-like filter of the scene (Wang & Molnar; Chen et al., ASP Vision, CVPR 2016). A
tile of ASPs with different grating orientations and phases computes a fixed bank of such filters: a CNN's first
layer, replaced (:func:`gabor_bank`: ``orientations`` x ``phases`` filters of ``size`` x ``size``).

The talk: 10x less read bandwidth, 10x fewer ADC conversions. Reproduced here by arithmetic, with these
assumptions stated (none of them is a measured property of a chip):

1. complementary pixels (phases 180 degrees apart) are subtracted in the analog domain before readout, the way
   ASPs are built to cancel the unmodulated light: two pixels give one value (x2);
2. edge responses are sparse: only a response above ``threshold`` x full scale (full scale: the filter's
   absolute sum on a white-to-black edge, pixels in [0, 1]) is read and converted, a column comparator deciding
   before the ADC; the fraction kept is *measured* on real photographs (:func:`kept_fraction`, scikit-image's
   sample images) and its reciprocal multiplies the saving;
3. a value sent carries ``run_bits`` of run length (the positions skipped since the last value sent).

With ``threshold`` at 1.95% of full scale, 8 photographs keep 20.0% of the responses: 2 x 5 = 10x fewer reads
and conversions, the talk's figure (:func:`threshold_for` finds the threshold for any target). The accuracy cost
of the same fixed bank and threshold is measured in :mod:`stationary.sensor.accuracy`.

>>> bank = gabor_bank(AspParams())
>>> bank.shape, bool(abs(bank.sum(axis=(1, 2))).max() < 1e-12)      # zero-mean: a flat scene gives nothing
((6, 5, 5), True)
>>> a = asp_sensor(240, 320, AspParams(), kept=0.2)
>>> a.pixels_read, a.adc_conversions, 320 * 240 // a.pixels_read       # 76,800 pixels -> 7,680 reads
(7680, 7680, 10)
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from stationary.core import StationaryError
from stationary.sensor.frontend import FrontEnd, _frame, conversion_pj, link_pj, read_pj

NATURAL_IMAGES = ("camera", "astronaut", "coffee", "chelsea", "rocket", "coins", "moon", "clock")


@dataclass(frozen=True, slots=True)
class AspParams:
    """The filter bank ASP tiles compute and the readout (see the module docs for the assumptions)."""
    orientations: int = 3
    phases: int = 2               # independent phases (0 and 90 degrees); their complements are the pixel pairs
    size: int = 5
    wavelength_px: float = 4.0
    sigma_px: float = 1.5
    differential: bool = True
    threshold: float = 0.0195     # of full scale (threshold_for(10): 10x on the photographs); 0 reads all
    value_bits: int = 8
    run_bits: int = 4

    def __post_init__(self):
        for field in ("orientations", "phases", "size", "value_bits"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise StationaryError("must be a positive integer", where="ASP parameters", field=field, value=value)
        if isinstance(self.run_bits, bool) or not isinstance(self.run_bits, int) or self.run_bits < 0:
            raise StationaryError("must be a non-negative integer", where="ASP parameters", field="run_bits",
                                  value=self.run_bits)
        for field in ("wavelength_px", "sigma_px"):
            if not getattr(self, field) > 0:
                raise StationaryError("must be positive", where="ASP parameters", field=field,
                                      value=getattr(self, field))
        if not 0 <= self.threshold < 1:
            raise StationaryError("must be a fraction of full scale in [0, 1)", where="ASP parameters",
                                  field="threshold", value=self.threshold)

    @property
    def filters(self) -> int:
        return self.orientations * self.phases


def gabor_bank(params: AspParams) -> np.ndarray:
    """The fixed filters, ``filters x size x size``: a Gaussian envelope times a cosine across the orientation,
    orientations and phases each evenly over 180 degrees (a phase's complement, 180 degrees on, is its
    pixel pair), each filter made zero-mean."""
    r = np.arange(params.size) - (params.size - 1) / 2
    y, x = np.meshgrid(r, r, indexing="ij")
    envelope = np.exp(-(x ** 2 + y ** 2) / (2 * params.sigma_px ** 2))
    out = []
    for i in range(params.orientations):
        theta = math.pi * i / params.orientations
        u = x * math.cos(theta) + y * math.sin(theta)
        for j in range(params.phases):
            g = envelope * np.cos(2 * math.pi * u / params.wavelength_px + math.pi * j / params.phases)
            out.append(g - g.mean())
    return np.stack(out)


def full_scale(bank: np.ndarray) -> np.ndarray:
    """Each filter's largest response to pixels in [0, 1]: the sum of its positive taps (a matched edge)."""
    return np.clip(bank, 0, None).sum(axis=(1, 2))


def responses(image: np.ndarray, bank: np.ndarray) -> np.ndarray:
    """Every filter at every position where it fits (valid correlation), ``filters x H' x W'``."""
    from numpy.lib.stride_tricks import sliding_window_view
    windows = sliding_window_view(np.asarray(image, dtype=float), bank.shape[1:])
    return np.einsum("hwij,kij->khw", windows, bank)


def kept_fraction(images, params: AspParams) -> float:
    """The fraction of filter responses above ``params.threshold`` x full scale, over ``images`` (2-D, [0, 1])."""
    bank = gabor_bank(params)
    scale = full_scale(bank)[:, None, None]
    kept = total = 0
    for image in images:
        r = responses(image, bank)
        kept += int((np.abs(r) > params.threshold * scale).sum())
        total += r.size
    return kept / total


def natural_images(names=NATURAL_IMAGES) -> list[np.ndarray]:
    """scikit-image's sample photographs, grey, in [0, 1] (shipped with the package: no download)."""
    try:
        import skimage.data
        from skimage.color import rgb2gray
    except ImportError:
        raise StationaryError("the ASP sparsity measurement needs scikit-image (pip install 'stationary[features]')",
                              field="package", value="scikit-image") from None
    out = []
    for name in names:
        image = getattr(skimage.data, name)()
        out.append(rgb2gray(image[..., :3]) if image.ndim == 3 else image / 255.0)
    return out


def threshold_for(reduction: float, images, params: AspParams = AspParams(), *, steps: int = 40) -> float:
    """The threshold at which the ASP front end reads ``reduction`` x fewer values than pixels (bisection on the
    measured kept fraction, which falls as the threshold rises)."""
    pairing = 2 if params.differential else 1
    target = pairing / reduction
    if target >= 1:
        return 0.0
    lo, hi = 0.0, 0.5
    for _ in range(steps):
        mid = (lo + hi) / 2
        if kept_fraction(images, _with(params, mid)) > target:
            lo = mid
        else:
            hi = mid
    return hi


def _with(params: AspParams, threshold: float) -> AspParams:
    from dataclasses import replace
    return replace(params, threshold=threshold)


def asp_sensor(height: int, width: int, params: AspParams, kept: float, first_layer: str = "CONV1") -> FrontEnd:
    """The ASP front end for a frame, given the fraction of responses ``kept`` above the threshold (measure it with
    :func:`kept_fraction`). Reads = conversions = pixels / 2 (differential pairs) x kept; each value sent carries
    ``value_bits + run_bits``."""
    _frame(height, width)
    if not 0 < kept <= 1:
        raise StationaryError("the kept fraction must be in (0, 1]", where="ASP sensor", field="kept", value=kept)
    outputs = height * width // (2 if params.differential else 1)
    reads = max(1, round(outputs * kept))
    bits = reads * (params.value_bits + params.run_bits)
    return FrontEnd("asp", height, width, reads, reads, params.value_bits, reads, bits, reads * read_pj(),
                    reads * conversion_pj(params.value_bits), 0.0, link_pj(bits), replaces=(first_layer,),
                    assumptions=(f"{params.filters} Gabor-like filters computed optically (the first layer)",
                                 "complementary pixels subtracted before readout (2 pixels, 1 value)"
                                 if params.differential else "every ASP read",
                                 f"only responses above {params.threshold:.2%} of full scale read "
                                 f"({kept:.1%} of them, measured)",
                                 f"{params.run_bits}-bit run length with each {params.value_bits}-bit value"))
