"""One value shape for every point on the talk's plot: a pipeline's accuracy against its energy per pixel.

A point is ``MEASURED`` (run here on real data: accuracy on the held-out split, energy from the counts of the
pipeline that was run), ``MODELLED`` (the full-scale pipelines priced from their shapes alone, no accuracy) or
``PUBLISHED`` (a chip's measured power and frame rate, with the accuracy the talk quotes, and its source).

>>> p = Point("hog+linear", Kind.MEASURED, "digits", 0.9, "accuracy", 0.05, 30.0, "run here")
>>> p.json()["measured_here"], p.json()["energy_nj_per_pixel"]
(True, 0.05)
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Kind(enum.Enum):
    MEASURED = "measured here"
    MODELLED = "modelled from shapes"
    PUBLISHED = "published chip"


@dataclass(frozen=True, slots=True)
class Point:
    pipeline: str
    kind: Kind
    data: str
    accuracy: float | None
    accuracy_metric: str
    energy_nj_per_pixel: float
    ops_per_pixel: float | None
    source: str
    breakdown_nj_per_pixel: dict[str, float] = field(default_factory=dict, hash=False, compare=False)
    notes: str = ""

    @property
    def measured_here(self) -> bool:
        return self.kind is Kind.MEASURED

    @property
    def label(self) -> str:
        return f"{self.pipeline} ({self.data})"

    def json(self) -> dict:
        return {"pipeline": self.pipeline, "kind": self.kind.value, "data": self.data, "accuracy": self.accuracy,
                "accuracy_metric": self.accuracy_metric, "energy_nj_per_pixel": self.energy_nj_per_pixel,
                "ops_per_pixel": self.ops_per_pixel, "measured_here": self.measured_here, "source": self.source,
                "breakdown_nj_per_pixel": dict(self.breakdown_nj_per_pixel), "notes": self.notes}
