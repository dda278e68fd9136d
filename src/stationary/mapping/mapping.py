"""A mapping: the loop nest of a layer placed on an architecture.

Per storage level (aligned with ``Arch.levels``, outermost first): temporal loops, outermost first, then spatial
loops that spread the iterations over the fan-out into the next level down (over the MACs below the innermost
level). The full nest, outermost first, is ``T0 S0 T1 S1 ... Tk Sk``. A level's tile of a tensor is the footprint
of every loop at that level and below. Bounds must multiply exactly to each dimension of the layer (remainders are
not modelled: a dimension is split only into exact factors). ``bypass`` lists tensors a level could keep but
does not under this mapping.

>>> from stationary.core import Dim
>>> m = Mapping((LevelMapping(temporal=(Loop(Dim.C, 3),)), LevelMapping(spatial=(Loop(Dim.M, 4, Axis.X),))))
>>> m.bounds()[Dim.C], m.bounds()[Dim.M], m.levels[1].spatial_bound(Axis.X)
(3, 4, 4)
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from stationary.core import DIMS, Dim, StationaryError, Tensor, prod


class Axis(enum.Enum):
    X = "X"
    Y = "Y"


@dataclass(frozen=True, slots=True)
class Loop:
    """``for dim in range(bound)``; ``axis`` is set for a spatial loop (the array dimension it spreads over)."""
    dim: Dim
    bound: int
    axis: Axis | None = None

    def __post_init__(self):
        if isinstance(self.bound, bool) or not isinstance(self.bound, int) or self.bound < 1:
            raise StationaryError("loop bound must be a positive integer", field=self.dim.name, value=self.bound)

    @property
    def spatial(self) -> bool:
        return self.axis is not None

    def __str__(self) -> str:
        kind = f" (spatial {self.axis.value})" if self.axis else ""
        return f"for {self.dim.name} in [0:{self.bound}){kind}"


@dataclass(frozen=True, slots=True)
class LevelMapping:
    temporal: tuple[Loop, ...] = ()
    spatial: tuple[Loop, ...] = ()
    bypass: frozenset[Tensor] = frozenset()

    def __post_init__(self):
        object.__setattr__(self, "temporal", tuple(self.temporal))
        object.__setattr__(self, "spatial", tuple(self.spatial))
        object.__setattr__(self, "bypass", frozenset(self.bypass))
        if any(loop.spatial for loop in self.temporal):
            raise StationaryError("a temporal loop cannot name an array axis", field="temporal",
                                  value=[str(l) for l in self.temporal])
        if any(not loop.spatial for loop in self.spatial):
            raise StationaryError("a spatial loop needs an array axis (X or Y)", field="spatial",
                                  value=[str(l) for l in self.spatial])

    @property
    def loops(self) -> tuple[Loop, ...]:
        return self.temporal + self.spatial

    def spatial_bound(self, axis: Axis) -> int:
        return prod(loop.bound for loop in self.spatial if loop.axis is axis)


@dataclass(frozen=True, slots=True)
class Mapping:
    levels: tuple[LevelMapping, ...]

    def __post_init__(self):
        object.__setattr__(self, "levels", tuple(self.levels))

    def bounds(self) -> dict[Dim, int]:
        """Product of every loop's bound, per dimension (must equal the layer's dimensions)."""
        out = {d: 1 for d in DIMS}
        for level in self.levels:
            for loop in level.loops:
                out[loop.dim] *= loop.bound
        return out

    def nest(self) -> list[tuple[int, Loop]]:
        """The full nest outermost first, as (level index, loop)."""
        return [(i, loop) for i, level in enumerate(self.levels) for loop in level.loops]

    @property
    def temporal_steps(self) -> int:
        """Cycles of a MAC unit when it does one MAC per cycle: the product of all temporal loops."""
        return prod(loop.bound for level in self.levels for loop in level.temporal)

    @property
    def spatial_units(self) -> int:
        """MAC units used: the product of all spatial loops."""
        return prod(loop.bound for level in self.levels for loop in level.spatial)
