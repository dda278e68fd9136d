"""A whole network under one algorithm: per layer the plan, its error and its energy; totals over the
network with the layers the algorithm cannot run counted as direct (and listed as skipped, with why).

>>> from stationary.workload import zoo
>>> r = run_network(zoo.get("vgg16"), "winograd:2,3", error=False)
>>> round(r.layers[0].plan.multiplication_saving, 2), len(r.skipped)   # the 3 FC layers are skipped
(2.25, 3)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stationary.algo.counts import OpCounts
from stationary.algo.energy import Buffer, OpEnergy, price
from stationary.algo.error import ErrorStats, describe, measure, random_tensors, sample_layer
from stationary.algo.numeric import PRECISIONS, Precision
from stationary.algo.plan import AlgoPlan, plan
from stationary.algo.spec import Algorithm, parse_algorithm
from stationary.core import StationaryError
from stationary.workload.network import Network


@dataclass(frozen=True, slots=True)
class AlgoLayerResult:
    plan: AlgoPlan
    errors: tuple[ErrorStats, ...]     # empty when not measured or not applicable
    error_data: str                    # what the error was measured on ("" when not measured)
    energy: OpEnergy | None            # None when the algorithm does not apply
    direct_energy: OpEnergy

    @property
    def layer(self) -> str:
        return self.plan.layer.name

    @property
    def counts(self) -> OpCounts:
        """The counts that run: the algorithm's, or direct where it does not apply."""
        return self.plan.counts if self.plan.applicable else self.plan.direct

    def error(self, precision: Precision) -> ErrorStats | None:
        return next((e for e in self.errors if e.precision is Precision.parse(precision)), None)


@dataclass(frozen=True, slots=True)
class AlgoNetworkResult:
    network: str
    algorithm: Algorithm
    energy_precision: Precision
    buffer: Buffer
    layers: tuple[AlgoLayerResult, ...]

    @property
    def skipped(self) -> tuple[AlgoLayerResult, ...]:
        return tuple(r for r in self.layers if not r.plan.applicable)

    @property
    def counts(self) -> OpCounts:
        return sum((r.counts for r in self.layers), OpCounts(0, 0))

    @property
    def direct(self) -> OpCounts:
        return sum((r.plan.direct for r in self.layers), OpCounts(0, 0))

    @property
    def multiplication_saving(self) -> float:
        return self.direct.multiplications / self.counts.multiplications

    @property
    def energy_pj(self) -> float:
        return sum((r.energy or r.direct_energy).total_pj for r in self.layers)

    @property
    def direct_energy_pj(self) -> float:
        return sum(r.direct_energy.total_pj for r in self.layers)


def run_network(network: Network, algorithm: "Algorithm | str", *, error: bool = True, precisions=PRECISIONS,
                model=None, inputs: np.ndarray | None = None, data: str = "", seed: int = 0,
                energy_precision: Precision = Precision.FLOAT32, buffer: Buffer = Buffer.SRAM,
                progress: bool = False) -> AlgoNetworkResult:
    """Plan every layer; with ``error`` measure each applicable layer's error in ``precisions``.

    Error data: with a ``model`` (a :class:`stationary.infer.Model` of this network) and ``inputs``, each
    layer's real input (the forward pass in float64) and trained weights, described by ``data``; otherwise
    seeded random tensors on a crop of each layer (:mod:`stationary.algo.error`).
    """
    a = parse_algorithm(algorithm)
    acts = _activations(model, inputs) if model is not None and error else None
    rows = []
    layers = network.layers
    if progress:
        from tqdm import tqdm
        layers = tqdm(layers, desc=f"{a.spec} on {network.name}", unit="layer")
    for layer in layers:
        p = plan(layer, a)
        errors, label = (), ""
        if error and p.applicable:
            if acts is not None:
                x, w = acts[layer.name]
                errors, label = measure(plan(layer.with_batch(len(x)), a), x, w, precisions), \
                    describe(layer.with_batch(len(x)), data or "given inputs, trained weights")
            else:
                small = sample_layer(layer)
                sp = plan(small, a)
                if sp.applicable:
                    x, w = random_tensors(small, seed)
                    errors, label = measure(sp, x, w, precisions), describe(small, f"random, seed {seed}")
        energy = price(p.counts, energy_precision, buffer) if p.applicable else None
        rows.append(AlgoLayerResult(p, errors, label, energy, price(p.direct, energy_precision, buffer)))
    return AlgoNetworkResult(network.name, a, energy_precision, Buffer.parse(buffer), tuple(rows))


def _activations(model, inputs) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    from stationary.infer.forward import forward
    if inputs is None:
        raise StationaryError("measuring on a model needs its inputs", field="inputs", value=None)
    records = forward(model, np.asarray(inputs), dtype=np.float64)
    return {r.name: (r.ifmap, np.asarray(model.weights[r.name][0], np.float64)) for r in records}
