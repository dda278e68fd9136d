"""Timeloop's ``timeloop-model.stats.txt`` read into values: per storage level and tensor the per-instance reads,
fills and updates, the instances used and the energy; per network the link transfers; the MACs, cycles and total
energy. Only what the diff needs; the file's own rounding is kept (counts print as integers, energies to 0.01 pJ).

>>> text = '''Buffer and Arithmetic Levels
... ----------------------------
... Level 0
... -------
... === mac ===
...     STATS
...     -----
...     Utilized instances      : 96
...     Computes (total)        : 115605504
...     Cycles                  : 1204224
...     Energy (total)          : 254372570.73 pJ
... Level 1
... -------
... === psum_spad ===
...     STATS
...     -----
...     Outputs:
...         Utilized instances (max)                 : 96
...         Scalar reads (per-instance)              : 1201088
...         Scalar updates (per-instance)            : 1204224
...         Scalar fills (per-instance)              : 97216
...         Energy (total)                           : 60260073.43 pJ
... Summary Stats
... -------------
... Cycles: 1204224
... Energy: 825.35 uJ
... '''
>>> stats = parse_stats(text)
>>> stats.macs, stats.cycles, stats.at("psum_spad", Tensor.PSUM).reads
(115605504, 1204224, 1201088)
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from stationary.core import StationaryError, Tensor


@dataclass(frozen=True, slots=True)
class StatsEntry:
    """One level's figures for one tensor, as Timeloop printed them (per instance, and the instances used)."""
    level: str
    tensor: Tensor
    reads: int
    fills: int
    updates: int
    instances: int
    energy_pj: float

    def total(self, action: str) -> int:
        return getattr(self, action) * self.instances


@dataclass(frozen=True, slots=True)
class TimeloopStats:
    source: str
    macs: int
    cycles: int
    mac_energy_pj: float
    energy_uj: float
    entries: tuple[StatsEntry, ...]
    link_transfers: tuple[tuple[str, Tensor, int], ...]   # (network "A <==> B", tensor, transfers)

    def at(self, level: str, tensor: Tensor) -> StatsEntry | None:
        for entry in self.entries:
            if entry.level == level and entry.tensor is tensor:
                return entry
        return None

    @property
    def levels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.level for e in self.entries))


_LEVEL = re.compile(r"^=== (\S+) ===$")
_FIELD = re.compile(r"^\s*([A-Za-z][A-Za-z ()\-]*?)\s*:\s*(-?[\d.]+(?:e[+-]?\d+)?)")
_TENSOR = re.compile(r"^\s{4}(Weights|Inputs|Outputs):\s*$")


def load_stats(path: str) -> TimeloopStats:
    """Read a stats.txt file (errors name the file)."""
    from stationary.validation import read_text_file
    return parse_stats(read_text_file(path, "stats"), str(path))


def parse_stats(text: str, source: str = "<stats text>") -> TimeloopStats:
    entries, links = [], []
    macs = cycles = None
    mac_energy = energy_uj = None
    section, level, tensor, network, fields = None, None, None, None, {}

    def flush():
        if level and tensor and fields:
            try:
                entries.append(StatsEntry(level, tensor, int(fields["Scalar reads (per-instance)"]),
                                          int(fields["Scalar fills (per-instance)"]),
                                          int(fields["Scalar updates (per-instance)"]),
                                          int(fields["Utilized instances (max)"]), float(fields["Energy (total)"])))
            except KeyError as err:
                raise StationaryError("a tensor's statistics lack a field", source=source,
                                      where=f"level {level}: {tensor.value}", field=err.args[0]) from None

    for line in text.splitlines():
        stripped = line.strip()
        if stripped in ("Buffer and Arithmetic Levels", "Networks", "Operational Intensity Stats", "Summary Stats"):
            flush()
            section, level, tensor, fields = stripped, None, None, {}
            continue
        if section == "Buffer and Arithmetic Levels":
            if match := _LEVEL.match(stripped):
                flush()
                level, tensor, fields = match.group(1), None, {}
            elif match := _TENSOR.match(line):
                flush()
                tensor, fields = Tensor.parse(match.group(1)), {}
            elif match := _FIELD.match(line):
                key, value = match.group(1).strip(), match.group(2)
                if tensor is None and key == "Computes (total)":
                    macs = int(value)
                elif tensor is None and key == "Energy (total)" and macs is not None and mac_energy is None:
                    mac_energy = float(value)
                else:
                    fields[key] = value
        elif section == "Networks":
            if "<==>" in stripped:
                network = stripped
            elif match := _TENSOR.match(line):
                tensor = Tensor.parse(match.group(1))
            elif (match := _FIELD.match(line)) and match.group(1).strip() == "Link transfers" and network:
                links.append((network, tensor, int(float(match.group(2)))))
        elif section == "Summary Stats":
            if stripped.startswith("Cycles:"):
                cycles = int(stripped.split(":")[1])
            elif stripped.startswith("Energy:"):
                energy_uj = float(stripped.split(":")[1].split()[0])
    flush()
    if macs is None or cycles is None or energy_uj is None or not entries:
        raise StationaryError("not a Timeloop stats file (no levels, computes, cycles or energy found)",
                              source=source, field="stats")
    return TimeloopStats(source, macs, cycles, mac_energy or 0.0, energy_uj, tuple(entries), tuple(links))
