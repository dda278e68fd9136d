"""One entry for the three designs: the trained network for a design, a run, and a sweep of one non-ideality.

``stationary.api.cim`` and ``stationary cim`` call these; the digital baseline is the caller's (it comes from the
mapper, which lives above this package).

>>> parse_sweep("variation=0:0.3:7")
('variation', (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3))
>>> parse_sweep("adc_bits=4:8:5")
('adc_bits', (4, 5, 6, 7, 8))
>>> parse_sweep("speed=0:1:3")
Traceback (most recent call last):
...
stationary.core.StationaryError: field 'sweep' = 'speed=0:1:3': expected NAME=START:STOP:COUNT with NAME one of variation, nonlinearity, noise, adc_bits
"""
from __future__ import annotations

import dataclasses
import re
from typing import Callable

import numpy as np

from stationary.cim import isaac, sram, switched_cap
from stationary.cim.common import Design, Settings
from stationary.cim.result import Baseline, CimResult
from stationary.core import StationaryError
from stationary.infer.datasets import Dataset
from stationary.infer.model import Model
from stationary.workload import Network, fc

SWEEPABLE = ("variation", "nonlinearity", "noise", "adc_bits")
_SWEEP = re.compile(r"^\s*(\w+)\s*=\s*([-+0-9.eE]+):([-+0-9.eE]+):(\d+)\s*$")
DEFAULT_NETWORK = {Design.SRAM_BINARY: "mnist-9x9-binary", Design.SWITCHED_CAP: "sc-mnist", Design.ISAAC: "lenet5"}


def parse_sweep(text: str) -> tuple[str, tuple]:
    """``NAME=START:STOP:COUNT`` -> (name, COUNT evenly spaced values; integers for adc_bits)."""
    match = _SWEEP.match(str(text))
    if not match or match.group(1) not in SWEEPABLE:
        raise StationaryError(f"expected NAME=START:STOP:COUNT with NAME one of {', '.join(SWEEPABLE)}",
                              field="sweep", value=text)
    name, start, stop, count = match.group(1), float(match.group(2)), float(match.group(3)), int(match.group(4))
    if count < 1 or count > 64:
        raise StationaryError("COUNT must be 1 to 64", field="sweep", value=text)
    values = np.linspace(start, stop, count)
    if name == "adc_bits":
        return name, tuple(int(round(v)) for v in values)
    return name, tuple(round(float(v), 10) for v in values)


def network_for(design: Design, network: str | None) -> str:
    """The network a design runs: its fixed one (SRAM, switched-cap) or a trainable one (ISAAC)."""
    fixed = DEFAULT_NETWORK[design]
    if network is None:
        return fixed
    name = str(network).strip().lower()
    if design is Design.ISAAC:
        from stationary.infer.nets import NETS
        if name not in NETS:
            raise StationaryError(f"ISAAC runs a trained network (one of {', '.join(sorted(NETS))})",
                                  field="network", value=network)
        return name
    if name != fixed:
        raise StationaryError(f"the {design.value} design fixes its network ({fixed}); a different network does "
                              "not fit its array and cannot be tiled onto it", field="network", value=network)
    return name


def shapes(design: Design, network: str) -> Network:
    """The layer shapes the digital baseline maps (the same work the CIM design does)."""
    if design is Design.SRAM_BINARY:
        return Network(network, (fc("WEAK", sram.CLASSES * sram.DEFAULT_WEAK, sram.FEATURES),))
    if design is Design.SWITCHED_CAP:
        return switched_cap.network()
    from stationary.infer.nets import build
    return build(network).network


@dataclasses.dataclass(frozen=True, slots=True)
class Prepared:
    """What a design runs on: the data and, where it has one, the digitally trained model (or SRAM classifier)."""
    design: Design
    data: Dataset
    model: Model | None = None
    plain: sram.Classifier | None = None


def prepare(design: Design, network: str, *, weights: str | None = None, epochs: int | None = None,
            seed: int = 0, train_samples: int | None = None, log: Callable[[str], None] | None = None) -> Prepared:
    """Load the data set and train (or load) the digital model the design deploys."""
    from stationary.infer.datasets import load_mnist
    say = log or (lambda _: None)
    mnist = load_mnist()
    if design is Design.SRAM_BINARY:
        if weights:
            raise StationaryError("the SRAM classifier is trained by boosting here; it takes no weight file",
                                  field="weights", value=weights)
        x, y = sram.features(mnist.x_train), mnist.y_train
        if train_samples is not None:
            from stationary.cim.common import sample_subset
            x, y = sample_subset(x, y, train_samples, seed + 1)
        say("training the 9x9 binary-weight classifier by boosting (exact arithmetic)")
        return Prepared(design, mnist, plain=sram.train(x, y, sram.DEFAULT_WEAK, None))
    if design is Design.SWITCHED_CAP:
        data = switched_cap.dataset(mnist)
        model = _weights_or_train(switched_cap.classifier(seed), data, weights, epochs or 4, seed, say)
        return Prepared(design, data, model)
    from stationary.infer import build, dataset_for, load
    from stationary.infer.nets import default_epochs
    data = load(dataset_for(network))
    model = _weights_or_train(build(network, seed), data, weights, epochs or default_epochs(network), seed, say)
    return Prepared(design, data, model)


def _weights_or_train(model: Model, data: Dataset, weights: str | None, epochs: int, seed: int, say) -> Model:
    if weights:
        from stationary.infer import load_model
        return load_model(weights, model)[0]
    from stationary.infer.train import TrainConfig, train
    say(f"no weights given: training {model.network.name} for {epochs} epochs (stationary.infer.train)")
    return train(model, data, TrainConfig(epochs=epochs, seed=seed)).model


def run(prepared: Prepared, settings: Settings, baseline: Baseline, *, progress: bool = False,
        train_samples: int | None = None) -> CimResult:
    """One run of a prepared design under ``settings``."""
    if prepared.design is Design.SRAM_BINARY:
        return sram.run(prepared.data, settings, baseline, plain=prepared.plain, train_samples=train_samples)
    if prepared.design is Design.SWITCHED_CAP:
        return switched_cap.run(prepared.model, prepared.data, settings, baseline, progress=progress)
    return isaac.run(prepared.model, prepared.data, settings, baseline, progress=progress)


def sweep(prepared: Prepared, settings: Settings, name: str, values, baseline: Baseline, *,
          train_samples: int | None = None, progress: bool = False) -> tuple[CimResult, ...]:
    """``run`` at every value of one setting (the others as in ``settings``)."""
    from tqdm import tqdm
    out = []
    for value in tqdm(values, desc=f"sweep {name}", disable=not progress, leave=False):
        point = dataclasses.replace(settings, **{name: value})
        out.append(run(prepared, point, baseline, train_samples=train_samples))
    return tuple(out)
