"""Memory and logic technologies as sourced data: ``data/technology/*.yaml`` loaded into frozen values.

A :class:`Technology` (LPDDR3, DDR3, DDR4, HMC, HBM2, SRAM and eDRAM at a node, ReRAM, logic, wires) holds its
figures by quantity (``energy_pj_per_bit``, ``bandwidth_gb_per_s``, ``latency_ns``, ``capacity_gb``,
``cell_area_um2``, ``endurance_writes``, ...). Each quantity has one or more :class:`Figure` candidates, each with a
value, a basis (measured, published or derived), a source and a status; where sources disagree the file marks
the candidate used (``chosen``, with the reason) and keeps the others. Nothing here falls back to a default: an
unknown technology or quantity is an error.

>>> hmc = technology("hmc")
>>> hmc.value("energy_pj_per_bit"), hmc.figure("energy_pj_per_bit").basis.value
(3.7, 'published')
>>> [f.value for f in hmc.candidates("energy_pj_per_bit")]
[3.7, 10.48]
>>> technology("hmcc")
Traceback (most recent call last):
...
stationary.core.StationaryError: field 'technology' = 'hmcc': unknown technology (known: column_adc, ddr3, ...)
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from stationary.arch.yaml_io import check_keys, number, parse_yaml, text_field
from stationary.core import StationaryError

DATA_FILES = ("memories", "logic", "sensor")
_TECH_KEYS = ("label", "class", "node_nm", "figures")
_FIGURE_KEYS = ("value", "range", "basis", "status", "source", "note", "chosen")
# quantities that must be strictly positive (a zero bandwidth or density is as wrong as a negative one)
_POSITIVE = ("bandwidth", "density", "area", "capacity", "vaults", "endurance", "latency", "energy_45nm", "fom")


class Basis(enum.Enum):
    MEASURED = "measured"
    PUBLISHED = "published"
    DERIVED = "derived"


class Status(enum.Enum):
    CHECKED = "checked"    # compared with the source's text in this project
    RECALLED = "recalled"  # quoted as remembered, not re-checked here
    ARITH = "arith"        # exact arithmetic on other figures (the note shows it)


class TechClass(enum.Enum):
    OFFCHIP_DRAM = "offchip_dram"
    STACKED_DRAM = "stacked_dram"
    SRAM = "sram"
    EDRAM = "edram"
    RRAM = "rram"
    LOGIC = "logic"
    WIRE = "wire"
    SCALING = "scaling"
    PIXEL = "pixel"
    ADC = "adc"
    IO = "io"


@dataclass(frozen=True, slots=True)
class Figure:
    """One sourced number: ``value`` in the unit its quantity names; ``chosen`` says why it is the one used."""
    quantity: str
    value: float
    basis: Basis
    status: Status
    source: str
    note: str = ""
    chosen: str = ""
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True, slots=True)
class Technology:
    name: str
    label: str
    tech_class: TechClass
    node_nm: int | None
    figures: tuple[tuple[str, tuple[Figure, ...]], ...]

    @property
    def quantities(self) -> tuple[str, ...]:
        return tuple(q for q, _ in self.figures)

    def candidates(self, quantity: str) -> tuple[Figure, ...]:
        for q, figs in self.figures:
            if q == quantity:
                return figs
        raise StationaryError(f"technology {self.name} has no such figure (figures: {', '.join(self.quantities)})",
                              field="quantity", value=quantity)

    def figure(self, quantity: str) -> Figure:
        """The candidate used: the one marked chosen, or the only one."""
        figs = self.candidates(quantity)
        return next((f for f in figs if f.chosen), figs[0])

    def value(self, quantity: str) -> float:
        return self.figure(quantity).value


def _enum(cls, value, source, where, field):
    for member in cls:
        if isinstance(value, str) and value.strip().lower() == member.value:
            return member
    raise StationaryError(f"must be one of {', '.join(m.value for m in cls)}", source=source, where=where,
                          field=field, value=value, has_value=True)


def _figure(raw, quantity: str, source: str, where: str) -> Figure:
    check_keys(raw, _FIGURE_KEYS, ("value", "basis", "status", "source"), source, where)
    positive = any(quantity.startswith(p) or f"_{p}" in quantity for p in _POSITIVE)
    value = number(raw["value"], source, where, "value", positive=positive)
    low = high = None
    if "range" in raw:
        rng = raw["range"]
        if not isinstance(rng, list) or len(rng) != 2:
            raise StationaryError("must be a list [low, high]", source=source, where=where, field="range", value=rng)
        low, high = (number(v, source, where, "range") for v in rng)
        if not low <= value <= high:
            raise StationaryError(f"value {value} lies outside its range", source=source, where=where,
                                  field="range", value=rng)
    chosen = raw.get("chosen", "")
    if chosen != "":
        chosen = text_field(chosen, source, where, "chosen")
    note = raw.get("note", "")
    if note != "":
        note = text_field(note, source, where, "note")
    return Figure(quantity, value, _enum(Basis, raw["basis"], source, where, "basis"),
                  _enum(Status, raw["status"], source, where, "status"),
                  text_field(raw["source"], source, where, "source"), note, chosen, low, high)


def technologies_from_yaml(text: str, source: str = "<technology text>") -> dict[str, Technology]:
    """Parse and validate a technology file (the format of ``data/technology/memories.yaml``)."""
    data = check_keys(parse_yaml(text, source), ("source", "technologies"), ("source", "technologies"), source, None)
    techs = data["technologies"]
    if not isinstance(techs, dict) or not techs:
        raise StationaryError("must be a mapping of technology name to its figures", source=source,
                              field="technologies", value=techs, has_value=True)
    out = {}
    for name, raw in techs.items():
        where = f"technology {name}"
        check_keys(raw, _TECH_KEYS, ("label", "class", "figures"), source, where)
        node = raw.get("node_nm")
        node = int(number(node, source, where, "node_nm", positive=True)) if node is not None else None
        figures = raw["figures"]
        if not isinstance(figures, dict) or not figures:
            raise StationaryError("must be a mapping of quantity to a list of sourced figures", source=source,
                                  where=where, field="figures", value=figures, has_value=True)
        built = []
        for quantity, cands in figures.items():
            if not isinstance(cands, list) or not cands:
                raise StationaryError("must be a non-empty list of sourced figures", source=source, where=where,
                                      field=str(quantity), value=cands, has_value=True)
            figs = tuple(_figure(c, str(quantity), source, f"{where}: {quantity}[{i}]") for i, c in enumerate(cands))
            chosen = [f for f in figs if f.chosen]
            if len(figs) > 1 and len(chosen) != 1:
                raise StationaryError("sources disagree: exactly one candidate must say why it is chosen",
                                      source=source, where=f"{where}: {quantity}", field="chosen", value=len(chosen))
            built.append((str(quantity), figs))
        out[str(name)] = Technology(str(name), text_field(raw["label"], source, where, "label"),
                                    _enum(TechClass, raw["class"], source, where, "class"), node, tuple(built))
    return out


@lru_cache(maxsize=1)
def technologies() -> dict[str, Technology]:
    """Every technology shipped in ``stationary/data/technology/`` by name."""
    out: dict[str, Technology] = {}
    for name in DATA_FILES:
        path = resources.files("stationary") / "data" / "technology" / f"{name}.yaml"
        out.update(technologies_from_yaml(path.read_text(encoding="utf-8"), source=f"data/technology/{name}.yaml"))
    return out


def technology(name: str) -> Technology:
    known = technologies()
    key = str(name).strip().lower()
    if key not in known:
        raise StationaryError(f"unknown technology (known: {', '.join(sorted(known))})", field="technology",
                              value=name)
    return known[key]


def words_per_cycle(gb_per_s: float, word_bits: int, clock_mhz: float) -> float:
    """A bandwidth in GB/s as words per cycle at a clock: the unit of ``MemoryLevel.bandwidth_words_per_cycle``.

    >>> words_per_cycle(6.4, 16, 200.0)     # LPDDR3-1600 x32 at Eyeriss's clock
    16.0
    """
    return gb_per_s * 1e9 * 8 / word_bits / (clock_mhz * 1e6)
