"""The talk's full-scale points: the published chips (power / (pixels x frame rate)) and the same pipelines
modelled here from their shapes alone (HOG at 1080p with the detector's HOG parameters; AlexNet and VGG-16
CONV layers on the Eyeriss chip model at the measured batch sizes, with the stated ifmap densities).

>>> d = published_points()[0]
>>> d.pipeline, round(d.energy_nj_per_pixel, 3)        # 58.6 mW / (1920 x 1080 x 30 /s)
('HOG+DPM chip', 0.942)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from stationary.features.energy import hog_energy
from stationary.features.points import Kind, Point
from stationary.sensor.hog import HogParams

CNNS = ("alexnet", "vgg16")


def published() -> dict:
    return yaml.safe_load(resources.files("stationary").joinpath("data", "features", "published.yaml").read_text())


def detector_params() -> HogParams:
    hog = published()["detector"]["hog"]
    return HogParams(cell_px=hog["cell_px"], block_cells=hog["block_cells"], orientations=hog["orientations"])


def published_points() -> tuple[Point, ...]:
    """The detector chip and Eyeriss on AlexNet and VGG-16, energy per pixel from their measured power."""
    from stationary.chip.run import measured
    pub = published()
    det = pub["detector"]
    pixels = det["width"] * det["height"]
    points = [Point(det["pipeline"], Kind.PUBLISHED, "VOC 2007", det["accuracy"], "average precision",
                    det["power_mw"] * 1e-3 / (pixels * det["fps"]) * 1e9, None, det["source"],
                    notes=f"{det['power_mw']} mW at {det['width']}x{det['height']}, {det['fps']} fps; accuracy: "
                          f"{det['accuracy_source']}")]
    for name in CNNS:
        chip, info = measured(name), pub["eyeriss"][name]
        h, w = info["pixels"]
        points.append(Point(f"Eyeriss {name}", Kind.PUBLISHED, "VOC 2007", info["accuracy"], "average precision",
                            chip["power_mw"] * 1e-3 / (chip["fps"] * h * w) * 1e9, None, chip["source"],
                            notes=f"{chip['power_mw']} mW at {chip['fps']} fps, {h}x{w} input; accuracy: "
                                  f"{info['accuracy_source']}"))
    return tuple(points)


@dataclass(frozen=True, slots=True)
class ModelledCnn:
    network: str
    batch: int
    pixels: int
    energy_pj_per_frame: float
    macs_per_frame: int


@lru_cache(maxsize=None)
def model_cnn(network: str) -> ModelledCnn:
    """A zoo network's CONV layers on the Eyeriss chip model, at the batch the chip was measured at."""
    from stationary.workload.files import load_network
    from stationary.chip.run import measured, run_chip
    batch = int(measured(network)["batch"])
    run = run_chip(load_network(network, batch))
    net = load_network(network)
    _, h, w = net.input_shape
    return ModelledCnn(network, batch, h * w, run.total.energy_pj / batch, run.total.macs // batch)


def modelled_points(cnns=CNNS, progress: bool = False) -> tuple[Point, ...]:
    """HOG at 1080p and the CNNs on Eyeriss, priced here from shapes (no accuracy: nothing was classified)."""
    det = published()["detector"]
    params = detector_params()
    e = hog_energy(params, det["height"], det["width"])
    breakdown = {s.name: s.energy_pj / e.pixels / 1000 for s in e.compute + e.memory}
    points = [Point("HOG 1080p (model)", Kind.MODELLED, "1920x1080 frame", None, "", e.nj_per_pixel,
                    e.ops / e.pixels, "stationary.sensor.hog counts x the 65 nm table", breakdown,
                    "HOG feature extraction only, one scale; the chip adds a multi-scale pyramid and the DPM "
                    "classification")]
    from tqdm import tqdm
    for name in tqdm(cnns, desc="Eyeriss model", disable=not progress, leave=False):
        m = model_cnn(name)
        points.append(Point(f"Eyeriss {name} (model)", Kind.MODELLED, f"{name} CONV layers", None, "",
                            m.energy_pj_per_frame / m.pixels / 1000, 2 * m.macs_per_frame / m.pixels,
                            "stationary.chip.run_chip (RS configuration, 65 nm pJ table, stated densities)",
                            notes=f"batch {m.batch}, CONV layers only, {m.pixels} input pixels"))
    return tuple(points)
