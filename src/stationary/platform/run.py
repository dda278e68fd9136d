"""Run one (platform, technique set) on a network, or a whole cross-level grid.

>>> from stationary.platform.spec import Platform, parse_techniques
>>> r = evaluate("alexnet", Platform.parse("cim:isaac"), parse_techniques("winograd"))
>>> r.valid, r.reason.startswith("winograd:2,3 on cim:isaac")
(False, True)
"""
from __future__ import annotations

from typing import Iterable

from stationary.platform.compat import TRAINED, why_not
from stationary.platform.crosslevel import CrossLevel
from stationary.platform.result import PlatformResult, invalid
from stationary.platform.spec import Platform, PlatformKind, Technique, parse_techniques, resolve

DEFAULT_PLATFORMS = ("eyeriss", "eyeriss-lpddr", "eyeriss-hmc", "gpu:gp100", "cim:isaac")
DEFAULT_TECHNIQUES = ("none", "winograd", "fft", "int8", "prune", "asp", "winograd+prune", "int8+prune",
                      "winograd+int8")


def _network(spec):
    from stationary.workload import load_network
    from stationary.workload.network import Network
    return spec if isinstance(spec, Network) else load_network(spec, 1)


def evaluate(network, platform: Platform, techniques: tuple[Technique, ...] = (), trained=None, *,
             jobs: int = 1, budget_s: float = 3.0, samples: int | None = None) -> PlatformResult:
    """One cell: ``network`` on ``platform`` under ``techniques`` (an invalid row with the reason when they do not
    compose). ``trained`` (:func:`stationary.platform.trained.trained`) brings real weights and digits."""
    net = _network(network)
    techniques = resolve(techniques, net)
    reason = why_not(platform, techniques, net.name)
    if reason is None and platform.kind is PlatformKind.CIM and trained is None:
        reason = "a CIM design runs real weights: give the trained network (crosslevel trains LeNet-5 itself)"
    if reason:
        return invalid(platform.name, platform.kind.value, tuple(str(t) for t in techniques), net.name, reason)
    if platform.kind is PlatformKind.ACCELERATOR:
        from stationary.platform import accelerator
        return accelerator.run(net, platform, techniques, trained, jobs=jobs)
    if platform.kind is PlatformKind.PROCESSOR:
        from stationary.platform import processor
        return processor.run(net, platform, techniques, trained, budget_s=budget_s)
    from stationary.platform import cim
    return cim.run(net, platform, techniques, trained, samples=samples)


def compare(network, platforms: Iterable = DEFAULT_PLATFORMS, techniques: Iterable = DEFAULT_TECHNIQUES, *,
            trained=None, jobs: int = 1, budget_s: float = 3.0, samples: int | None = None,
            progress: bool = False) -> CrossLevel:
    """Every platform under every technique set (the first platform's plain row is the baseline)."""
    net = _network(network)
    chosen = [p if isinstance(p, Platform) else Platform.parse(p) for p in platforms]
    sets = [t if isinstance(t, tuple) else parse_techniques(t) for t in techniques]
    if not chosen or not sets:
        from stationary.core import StationaryError
        raise StationaryError("nothing to compare", field="platforms" if not chosen else "techniques", value=[])
    if trained is None and net.name in TRAINED:
        from stationary.core import StationaryError
        raise StationaryError(f"{net.name} is compared with real weights: pass trained=", field="trained",
                              value=None)
    cells = [(p, s) for p in chosen for s in sets]
    if progress:
        from tqdm import tqdm
        cells = tqdm(cells, desc=f"cross-level {net.name}", unit="cell")
    rows = tuple(evaluate(net, p, s, trained, jobs=jobs, budget_s=budget_s, samples=samples) for p, s in cells)
    return CrossLevel(net.name, rows)
