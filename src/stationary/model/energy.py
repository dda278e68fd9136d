"""Energy = access counts x the architecture's per-access costs: the one product, in one place.

Reads and drains are charged at the level's read cost, fills and updates at its write cost, network transfers
at the fan-out's network cost, MACs at the MAC cost. Results are in the arch's unit (pJ or normalized MACs).

>>> from stationary.arch import preset
>>> from stationary.model.counts import AccessCounts, LevelCounts
>>> from stationary.core import Tensor
>>> c = AccessCounts("x", macs=10, steps=10, units_used=1, network=(),
...                  levels=(LevelCounts("DRAM", Tensor.WEIGHT, reads=2), LevelCounts("RF", Tensor.WEIGHT, reads=10)))
>>> energy(c, preset("eyeriss")).total      # 10 MACs x 1 + 2 x 200 + 10 x 1
420.0
"""
from __future__ import annotations

from dataclasses import dataclass

from stationary.arch.spec import Arch, StorageKind, Unit
from stationary.core import Tensor
from stationary.model.counts import AccessCounts


# network counts at this pseudo-level are words moved between the nodes of an array of engines (Arch.nodes)
NODES = "nodes"
# the ISCA 2016 breakdown's category for each kind of storage level
CATEGORY_OF_KIND = {StorageKind.DRAM: "DRAM", StorageKind.BUFFER: "buffer", StorageKind.RF: "RF", StorageKind.DUMMY: "buffer"}


@dataclass(frozen=True, slots=True)
class EnergyEntry:
    level: str        # a storage level's name, "<level> network" for a fan-out, or "MAC"
    tensor: Tensor | None
    energy: float


@dataclass(frozen=True, slots=True)
class Energy:
    unit: Unit
    macs: int
    mac_energy: float   # the cost of one MAC, to normalize
    entries: tuple[EnergyEntry, ...]

    @property
    def total(self) -> float:
        return sum(e.energy for e in self.entries)

    @property
    def per_mac(self) -> float:
        """Energy per MAC, normalized to one MAC's energy (the ISCA 2016 unit)."""
        return self.total / (self.macs * self.mac_energy) if self.macs and self.mac_energy else float("nan")

    @property
    def total_pj(self) -> float | None:
        return self.total if self.unit is Unit.PJ else None

    def at(self, level: str, tensor: Tensor | None) -> float:
        """Energy of one entry: a level (or "<level> network", or "MAC") and a tensor."""
        return sum(e.energy for e in self.entries if e.level == level and e.tensor is tensor)

    def by_level(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for e in self.entries:
            out[e.level] = out.get(e.level, 0.0) + e.energy
        return out

    def by_category(self, arch: Arch) -> dict[str, float]:
        """The ISCA 2016 breakdown: ALU, RF, array (fan-out networks), buffer, DRAM; and inter-node, when words
        moved between the nodes of an array of engines."""
        kinds = {level.name: level.kind for level in arch.levels}
        out = {"ALU": 0.0, "RF": 0.0, "array": 0.0, "buffer": 0.0, "DRAM": 0.0}
        for e in self.entries:
            if e.level == "MAC":
                out["ALU"] += e.energy
            elif e.level == f"{NODES} network":
                out["inter-node"] = out.get("inter-node", 0.0) + e.energy
            elif e.level.endswith(" network"):
                out["array"] += e.energy
            else:
                out[CATEGORY_OF_KIND[kinds[e.level]]] += e.energy
        return out

    def by_tensor(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for e in self.entries:
            key = e.tensor.value if e.tensor else "compute"
            out[key] = out.get(key, 0.0) + e.energy
        return out


def energy(counts: AccessCounts, arch: Arch, *, used_instances: tuple[int, ...] | None = None) -> Energy:
    """With ``used_instances`` (Timeloop's convention), each used instance pays whole blocks: its reads, fills and
    updates are each rounded up to a multiple of the level's ``block_words``."""
    levels = {level.name: level for level in arch.levels}
    index = {level.name: i for i, level in enumerate(arch.levels)}
    entries = [EnergyEntry("MAC", None, counts.macs * arch.mac.mac_energy)]
    for c in counts.levels:
        level = levels[c.level]
        reads, fills, updates = c.reads + c.drains, c.fills, c.updates
        if used_instances is not None and level.block_words > 1:
            n, block = used_instances[index[c.level]], level.block_words
            reads, fills, updates = (-(-(words // n) // block) * block * n for words in (reads, fills, updates))
        e = reads * level.read_cost(c.tensor) + (fills + updates) * level.write_cost(c.tensor)
        entries.append(EnergyEntry(c.level, c.tensor, e))
    for n in counts.network:
        if n.level == NODES:
            cost = arch.node_network_energy
        else:
            cost = arch.mac.network_energy if n.level == "MAC" else levels[n.level].network_energy
        entries.append(EnergyEntry(f"{n.level} network", n.tensor, n.transfers * cost))
    return Energy(arch.unit, counts.macs, arch.mac.mac_energy, tuple(entries))
