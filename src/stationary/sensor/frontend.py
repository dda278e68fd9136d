"""Sensor front ends as pipeline stages: what one frame costs before (or instead of) the network's first layer.

A :class:`FrontEnd` counts, per frame, the pixels read onto the column lines, the ADC conversions (and their
resolution), the values and bits that leave the sensor, the energy of each (``data/technology/sensor.yaml``:
pixel read, column-ADC figure of merit, serial link; on-sensor digital work from Horowitz's 45 nm op energies),
and which of a network's layers the sensor has already computed (``replaces``: the evaluation starts after them).

* :func:`imager`: a conventional imager, every pixel read, converted at 8 bits and sent.
* :func:`hog_imager`: HOG computed in the imager (the talk's Embedded Feature Extraction in Sensor): every pixel
  read and converted, the HOG datapath on the sensor (operation and buffer counts from
  :mod:`stationary.sensor.hog`), and only the features sent. The features are the cell histograms, unnormalized
  (normalizing over blocks repeats each cell up to 4 times and is left to the receiver); with 16 x 16-pixel cells,
  9 bins of 8 bits, a frame sends 9 x 8 bits per 256 pixels instead of 256 x 8: 96.48% less, the talk's 96.5%.
  (8 x 8 cells with 2-bit bins give the same ratio; the arithmetic cannot tell them apart.)
* ASP (angle-sensitive pixels): :mod:`stationary.sensor.asp`.

>>> a, h = imager(240, 320), hog_imager(240, 320)
>>> a.bits_out, h.bits_out, round(100 * (1 - h.bits_out / a.bits_out), 2)   # 20 x 15 cells x 9 bins x 8 bits
(614400, 21600, 96.48)
"""
from __future__ import annotations

from dataclasses import dataclass

from stationary.arch.technology import technology
from stationary.core import StationaryError
from stationary.precision.energy import add_energy_pj, mult_energy_pj, storage_energy_pj
from stationary.sensor.hog import HogParams, Normalization, OpKind

# HOG as the imager sends it: cell histograms only (see the module docs for why these widths)
IN_IMAGER_HOG = HogParams(cell_px=16, block_cells=1, orientations=9, norm=Normalization.NONE, histogram_bits=17,
                          feature_bits=8)


@dataclass(frozen=True, slots=True)
class FrontEnd:
    """One frame through a sensor front end. Energies in pJ; ``replaces`` names network layers done in the sensor."""
    name: str
    height: int
    width: int
    pixels_read: int
    adc_conversions: int
    adc_bits: int
    values_out: int
    bits_out: int
    readout_pj: float
    adc_pj: float
    compute_pj: float
    link_pj: float
    replaces: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()

    @property
    def pixels(self) -> int:
        return self.height * self.width

    @property
    def energy_pj(self) -> float:
        return self.readout_pj + self.adc_pj + self.compute_pj + self.link_pj

    @property
    def energy_nj_per_pixel(self) -> float:
        return self.energy_pj / self.pixels / 1e3

    def versus(self, base: "FrontEnd") -> dict[str, float]:
        """How many times fewer reads, conversions and bits than ``base``, the bandwidth saved (a fraction), and
        the energy as a fraction of ``base``'s."""
        return {"reads_x": base.pixels_read / self.pixels_read, "conversions_x": base.adc_conversions /
                self.adc_conversions, "bits_x": base.bits_out / self.bits_out,
                "bandwidth_saved": 1 - self.bits_out / base.bits_out,
                "energy_relative": self.energy_pj / base.energy_pj}


def _frame(height: int, width: int) -> None:
    for field, value in (("height", height), ("width", width)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise StationaryError("a frame size must be a positive integer", where="sensor", field=field, value=value)


def conversion_pj(bits: int) -> float:
    """One ADC conversion at ``bits`` bits: the figure of merit x 2^bits (Walden)."""
    return technology("column_adc").value("fom_fj_per_step") * 2 ** bits / 1e3


def read_pj() -> float:
    return technology("pixel_readout").value("energy_pj_per_read")


def link_pj(bits: int) -> float:
    return technology("sensor_link").value("energy_pj_per_bit") * bits


def imager(height: int, width: int, bits: int = 8) -> FrontEnd:
    """A conventional imager: each pixel read, converted at ``bits`` and sent."""
    _frame(height, width)
    p = height * width
    return FrontEnd("imager", height, width, p, p, bits, p, p * bits, p * read_pj(), p * conversion_pj(bits), 0.0,
                    link_pj(p * bits), assumptions=(f"{bits}-bit pixels, every pixel sent",))


def hog_compute_pj(params: HogParams, height: int, width: int) -> float:
    """The HOG datapath's energy for a frame: each counted operation priced at its width (Horowitz 45 nm: an add
    in its bits, a multiply in the product of its operand widths; a square root or a division as ``bits``
    add/subtract steps, as a digit-recurrence unit does) and each buffer access as an 8 KB SRAM word."""
    counts = params.ops(height, width)
    total = 0.0
    for op in counts.ops:
        if op.kind is OpKind.MULT:
            each = mult_energy_pj(op.bits, op.other_bits)
        elif op.kind is OpKind.ADD:
            each = add_energy_pj(op.bits)
        else:
            each = op.bits * add_energy_pj(op.bits)
        total += op.count * each
    for access in counts.accesses:
        total += (access.reads + access.writes) * storage_energy_pj(access.word_bits)
    return total


def hog_imager(height: int, width: int, params: HogParams = IN_IMAGER_HOG) -> FrontEnd:
    """HOG in the imager: every pixel read and converted, features computed on the sensor, only they are sent."""
    _frame(height, width)
    geometry = params.geometry(height, width)
    p = height * width
    return FrontEnd("hog-imager", height, width, p, p, params.pixel_bits, geometry.feature_words,
                    geometry.feature_bits, p * read_pj(), p * conversion_pj(params.pixel_bits),
                    hog_compute_pj(params, height, width), link_pj(geometry.feature_bits),
                    assumptions=(f"cell histograms of {params.cell_px} x {params.cell_px} pixels, {params.orientations} "
                                 f"bins of {params.feature_bits} bits, not block-normalized (the receiver does it)",
                                 "pixels converted at full resolution, HOG computed digitally on the sensor "
                                 "(the published chip computes the gradient angle in mixed signal: not modelled)"))
