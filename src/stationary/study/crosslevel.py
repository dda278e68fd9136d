"""The cross-level comparison as a point kind: each design point is one (network, platform, technique set), so a
study file can sweep them locally or on a Dask cluster into the results store and the HTML report.

Settings: ``network`` (a zoo name), ``platform`` (``eyeriss``, ``eyeriss-hmc``, ``tetris``, ``gpu:gp100``,
``cim:isaac``...), ``techniques`` (``none``, ``winograd``, ``int8+prune``...), and for trained networks
``samples`` (test images accuracy is measured on) and ``cache_dir`` (where LeNet-5 is trained once; default the
system's temp folder/stationary, shared by the workers of one machine). See ``examples/studies/crosslevel.yaml``.

>>> d = describe({"network": "lenet5", "platform": "cim:isaac", "techniques": "fft+prune"}, "s.yaml", ".")
>>> d["platform"], d["techniques"]
('cim:isaac', ['fft', 'prune'])
>>> evaluate(d)["totals"]["valid"]
False
"""
from __future__ import annotations

import os
import tempfile

from stationary.core import StationaryError
from stationary.study.kinds import PointKind

SETTINGS = ("network", "platform", "techniques", "samples", "cache_dir")
MEASURES = ()


def describe(settings: dict, source: str, base_dir: str) -> dict:
    """The point's complete description (platform and techniques parsed, so an error names the study file)."""
    from stationary.platform.spec import Platform, parse_techniques
    for key in settings:
        if key not in SETTINGS:
            raise StationaryError(f"unknown setting (settings: {', '.join(SETTINGS)})", source=source, field=key,
                                  value=settings[key])
    for key in ("network", "platform"):
        if key not in settings:
            raise StationaryError("missing setting (fixed or an axis)", source=source, field=key)
    samples = settings.get("samples", 2000)
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise StationaryError("must be a positive integer", source=source, field="samples", value=samples)
    try:
        platform = Platform.parse(settings["platform"])
        techniques = parse_techniques(settings.get("techniques"))
    except StationaryError as err:
        raise err.located(source) from None
    cache = settings.get("cache_dir") or os.path.join(tempfile.gettempdir(), "stationary")
    return {"network": str(settings["network"]), "platform": platform.name,
            "techniques": [str(t) for t in techniques], "samples": samples,
            "cache_dir": os.path.join(base_dir, cache) if not os.path.isabs(cache) else cache}


def measure(description: dict) -> dict:
    return {}


def reference(fixed: dict, source: str, base_dir: str, name: str) -> dict:
    raise StationaryError("cross-level points have no area or PE measures to constrain", source=source,
                          field="constraints", value=name)


_TRAINED: dict = {}


def evaluate(description: dict) -> dict:
    """The point's row (``stationary.platform.run.evaluate``): totals are the row's JSON; layers its components."""
    from stationary.platform.compat import TRAINED
    from stationary.platform.run import evaluate as run_cell
    from stationary.platform.spec import Platform, parse_techniques
    d = description
    real = None
    if d["network"] in TRAINED:
        key = (d["network"], d["cache_dir"], d["samples"])
        if key not in _TRAINED:
            from stationary.platform.trained import trained
            _TRAINED[key] = trained(d["network"], cache_dir=d["cache_dir"], samples=d["samples"])
        real = _TRAINED[key]
    row = run_cell(d["network"], Platform.parse(d["platform"]), parse_techniques("+".join(d["techniques"])), real,
                   samples=d["samples"])
    out = row.json()
    components = out.pop("energy_by_component_pj")
    totals = {**out, "techniques": "+".join(row.techniques) or "none", "notes": "; ".join(row.notes),
              "energy": row.energy_pj, "energy_unit": "pJ", "energy_per_mac": row.energy_pj_per_mac}
    layers = [{"layer": name, "energy": e, "energy_unit": "pJ"} for name, e in components.items()]
    return {"totals": totals, "layers": layers}


KIND = PointKind("crosslevel", describe, measure, evaluate, reference, MEASURES)
