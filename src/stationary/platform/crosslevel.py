"""The cross-level comparison: every (platform, technique set) on one network, its saving against a baseline, each
technique's saving on each platform side by side, and technique pairs against the product of their separate
savings (an interaction is where the pair is not the product).

>>> from stationary.platform.result import PlatformResult as R
>>> rows = (R("a", "accelerator", (), "n", 10, 100.0), R("a", "accelerator", ("x",), "n", 10, 50.0),
...         R("a", "accelerator", ("y",), "n", 10, 80.0), R("a", "accelerator", ("x", "y"), "n", 10, 25.0))
>>> c = CrossLevel("n", rows)
>>> c.saving(rows[3]), [(i.pair, round(i.expected, 2), round(i.measured, 2)) for i in c.interactions()]
(4.0, [(('x', 'y'), 2.5, 4.0)])
"""
from __future__ import annotations

from dataclasses import dataclass

from stationary.platform.result import PlatformResult


@dataclass(frozen=True, slots=True)
class Interaction:
    """On one platform: the saving of a technique pair, against the product of the two savings alone."""
    platform: str
    pair: tuple[str, str]
    alone: tuple[float, float]
    measured: float

    @property
    def expected(self) -> float:
        return self.alone[0] * self.alone[1]

    @property
    def ratio(self) -> float:
        """Measured over expected: above 1 the pair helps each other, below 1 one takes away from the other."""
        return self.measured / self.expected


@dataclass(frozen=True, slots=True)
class CrossLevel:
    """The rows of a comparison; the baseline is the first valid row without techniques."""
    network: str
    rows: tuple[PlatformResult, ...]

    @property
    def baseline(self) -> PlatformResult | None:
        return next((r for r in self.rows if r.valid and not r.techniques and r.energy_pj), None)

    def row(self, platform: str, techniques: tuple[str, ...] = ()) -> PlatformResult | None:
        return next((r for r in self.rows if r.platform == platform and r.techniques == tuple(techniques)), None)

    def saving(self, row: PlatformResult) -> float | None:
        """Baseline energy over this row's (2.0: half the energy)."""
        base = self.baseline
        if base is None or not row.valid or not row.energy_pj:
            return None
        return base.energy_pj / row.energy_pj

    def technique_saving(self, platform: str, techniques: tuple[str, ...]) -> float | None:
        """On ``platform``: its own baseline's energy over the energy with ``techniques``."""
        base, row = self.row(platform), self.row(platform, techniques)
        if base is None or row is None or not base.valid or not row.valid or not row.energy_pj:
            return None
        return base.energy_pj / row.energy_pj

    @property
    def platforms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.platform for r in self.rows))

    @property
    def single_techniques(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.techniques[0] for r in self.rows if len(r.techniques) == 1))

    def interactions(self) -> list[Interaction]:
        """Every pair measured on a platform where both techniques alone were measured too."""
        out = []
        for r in self.rows:
            if len(r.techniques) != 2 or not r.valid:
                continue
            a, b = r.techniques
            alone = (self.technique_saving(r.platform, (a,)), self.technique_saving(r.platform, (b,)))
            both = self.technique_saving(r.platform, r.techniques)
            if None not in alone and both is not None:
                out.append(Interaction(r.platform, (a, b), alone, both))
        return out

    def json(self) -> list[dict]:
        """The rows, each with ``saving_vs_baseline`` (null where not valid)."""
        return [{**r.json(), "saving_vs_baseline": self.saving(r)} for r in self.rows]
