"""Zero gating on the chip: a zero ifmap value skips the filter-scratchpad read and the MAC (the ifmap is still
read, to see it is zero). Cycles do not change: gating saves energy, not time.

Densities (the fraction of non-zero ifmap values per layer) come, in this order, from a value given on the command
line, a YAML file ``{layer: density}``, or the figures stated for the chip (data/eyeriss_chip_measured.yaml);
:class:`Densities` records which.

>>> from stationary.model.counts import AccessCounts, LevelCounts
>>> from stationary.core import Tensor
>>> c = AccessCounts("x", macs=100, steps=10, units_used=10, network=(),
...                  levels=(LevelCounts("RF", Tensor.WEIGHT, reads=100), LevelCounts("RF", Tensor.IFMAP, reads=100)))
>>> g = gate(c, 0.25)
>>> g.macs, g.at("RF", Tensor.WEIGHT).reads, g.at("RF", Tensor.IFMAP).reads
(25, 25, 100)
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from importlib import resources

import yaml

from stationary.core import StationaryError, Tensor
from stationary.model.counts import AccessCounts
from stationary.validation import read_yaml_file


@dataclass(frozen=True, slots=True)
class Densities:
    values: dict              # layer name -> non-zero fraction of its ifmap
    source: str
    default: float = 1.0      # for layers not listed
    path: str | None = None   # the file they were read from, if any

    def of(self, layer: str) -> float:
        return float(self.values.get(layer, self.default))

    def check_layers(self, names) -> None:
        """Every layer a densities file names must be one of ``names`` (a misspelt layer would stay dense)."""
        unknown = sorted(set(self.values) - set(names))
        if unknown and self.path is not None:
            raise StationaryError(f"no such CONV layer in the network (its CONV layers: {', '.join(names)})",
                                  source=self.path, field="layer", value=unknown[0])


def _check(value, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise StationaryError("a density is a number from 0 to 1", where=where, field=name, value=value)
    return float(value)


def chip_data() -> dict:
    text = resources.files("stationary.data").joinpath("eyeriss_chip_measured.yaml").read_text()
    return yaml.safe_load(text)


def stated(network: str) -> Densities:
    """The densities stated for the chip (1 - zeros in ifmaps); dense for a network with none stated."""
    table = chip_data()["zeros_in_ifmaps"].get(network.lower())
    if not table:
        return Densities({}, f"none stated for {network}: dense (no gating)")
    values = {k: round(1.0 - v, 6) for k, v in table.items() if k != "source"}
    return Densities(values, table["source"])


def from_yaml(path: str) -> Densities:
    data = read_yaml_file(path, "densities")
    if not isinstance(data, dict):
        raise StationaryError("expected a mapping {layer: density}", where=path, field="densities",
                              value=type(data).__name__)
    return Densities({str(k): _check(v, path, str(k)) for k, v in data.items()}, f"file {path}", path=path)


def constant(density: float) -> Densities:
    d = _check(density, "command line", "--density")
    return Densities({}, f"command line: {d:g} for every layer", d)


def gate(counts: AccessCounts, density: float) -> AccessCounts:
    """The counts with zero gating: MACs and filter-scratchpad reads (innermost level) scaled by the density."""
    _check(density, f"layer {counts.layer}", "density")
    innermost = counts.levels[-1].level if counts.levels else None   # levels are listed outermost first
    levels = tuple(replace(c, reads=round(c.reads * density))
                   if c.level == innermost and c.tensor is Tensor.WEIGHT else c for c in counts.levels)
    return replace(counts, macs=round(counts.macs * density), levels=levels)
