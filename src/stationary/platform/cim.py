"""A compute-in-memory design under techniques: ``stationary cim`` run on the trained network's weights.

Pruning deploys the pruned weights: accuracy is the pruned network's through the non-ideal crossbar, while the
energy stays the unpruned one's but for the input-dependent part (bit-serial inputs that are zero drive nothing),
because every row of a crossbar is driven and every column converted whether its cells hold zeros or not: only
whole rows or crossbars freed would save energy.
"""
from __future__ import annotations

import os
import tempfile

from stationary.platform.accelerator import front_end, technique
from stationary.platform.result import PlatformResult
from stationary.platform.spec import Platform, Technique, TechniqueKind
from stationary.workload.network import Network


def run(network: Network, platform: Platform, techniques: tuple[Technique, ...], trained, *,
        samples: int | None = None) -> PlatformResult:
    from stationary import api
    from stationary.infer.weights import save_weights
    from stationary.platform import trained as real
    prune = technique(techniques, TechniqueKind.PRUNING)
    model = real.pruned(trained, prune.sparsity) if prune else trained.model
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "weights.npz")
        save_weights(path, model)
        r = api.cim(platform.target, network.name, weights=path, samples=samples or trained.samples,
                    seed=trained.seed)
    notes = [f"{r.design}: {r.source}"]
    if prune:
        notes.append("pruned weights deployed: every row is still driven and every column converted")
    components = {**dict(r.breakdown_pj), "sensor": front_end(network, False, trained).energy_pj}
    return PlatformResult(platform.name, platform.kind.value, tuple(str(t) for t in techniques), network.name,
                          macs=r.macs_per_inference, energy_pj=sum(components.values()),
                          energy_by_component_pj=components, accuracy=r.accuracy,
                          source=f"stationary cim {network.name} --design {platform.target}", notes=tuple(notes))
