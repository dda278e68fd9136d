"""The actions a CIM macro performs, counted, and their energy: counts x a per-action table, one product.

Actions (each an integer count):

* ``dac_conversions``: one per row driven per array read (a 1-bit "DAC" in bit-serial designs counts too);
* ``row_activations``: rows driven per array read (equal to the DAC conversions: every array has its DACs);
* ``cell_ops``: analog cell operations, one per row per column used per read (the in-array MACs);
* ``array_reads``: one per array per read (the crossbar or SRAM cycle);
* ``adc_conversions``: one per column used per read;
* ``digital_adds``: shift-and-adds of ADC outputs across cells, input slices and array tiles, and the digital
  corrections (offset encoding, flipped columns);
* ``buffer_reads`` / ``buffer_writes``: input words read into the arrays' input registers, output words written.

>>> a = Actions(adc_conversions=144, digital_adds=10)
>>> (a + a).adc_conversions, a.scaled(0.5).digital_adds
(288, 5.0)
>>> t = EnergyTable("toy", {"adc_conversion": 2.0, "digital_add": 0.1}, "made up for the example")
>>> round(t.energy_pj(a), 6)
289.0
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from importlib import resources

import yaml

from stationary.core import StationaryError

# per-action table keys, one per count
ACTION_KEYS = {"dac_conversions": "dac_conversion", "row_activations": "row_activation", "cell_ops": "cell_op",
               "array_reads": "array_read", "adc_conversions": "adc_conversion", "digital_adds": "digital_add",
               "buffer_reads": "buffer_read", "buffer_writes": "buffer_write"}


@dataclass(frozen=True, slots=True)
class Actions:
    dac_conversions: float = 0
    row_activations: float = 0
    cell_ops: float = 0
    array_reads: float = 0
    adc_conversions: float = 0
    digital_adds: float = 0
    buffer_reads: float = 0
    buffer_writes: float = 0

    def __add__(self, other: "Actions") -> "Actions":
        return Actions(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def scaled(self, factor: float) -> "Actions":
        """Per-input counts from a batch's (``factor`` = 1 / batch size)."""
        return Actions(*(getattr(self, f.name) * factor for f in fields(self)))

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class EnergyTable:
    """pJ per action (keys of ``ACTION_KEYS``' values; a missing action costs 0) and where the figures come from."""
    name: str
    costs_pj: dict[str, float]
    source: str

    def __post_init__(self):
        known = set(ACTION_KEYS.values())
        for key, value in self.costs_pj.items():
            if key not in known:
                raise StationaryError(f"unknown action (expected one of {', '.join(sorted(known))})",
                                      where=f"energy table {self.name}", field=key, value=value)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise StationaryError("energy must be a number >= 0 (pJ)", where=f"energy table {self.name}",
                                      field=key, value=value)

    def breakdown_pj(self, actions: Actions) -> dict[str, float]:
        """Energy per action kind, pJ."""
        return {key: getattr(actions, count) * self.costs_pj.get(key, 0.0) for count, key in ACTION_KEYS.items()}

    def energy_pj(self, actions: Actions) -> float:
        return float(sum(self.breakdown_pj(actions).values()))

    def with_energy(self, **changes: float) -> "EnergyTable":
        return EnergyTable(self.name, {**self.costs_pj, **changes}, self.source)


def load_yaml(name: str) -> dict:
    """A data file of ``stationary/data/cim/``, parsed."""
    return yaml.safe_load(resources.files("stationary").joinpath("data", "cim", name).read_text())


def walden_adc_energy_pj(bits: int) -> float:
    """One conversion of a ``bits``-bit ADC from the Walden figure of merit in data/cim/adc_walden.yaml
    (E = FoM x 2^bits, assuming an effective number of bits equal to the resolution).

    >>> round(walden_adc_energy_pj(6), 3), round(walden_adc_energy_pj(1), 3)
    (2.176, 0.068)
    """
    doc = load_yaml("adc_walden.yaml")
    return float(doc["fom_fj_per_step"]) * (1 << bits) / 1000.0
