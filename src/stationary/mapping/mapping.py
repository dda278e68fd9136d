"""A mapping: the loop nest of a layer placed on an architecture.

Per storage level (aligned with ``Arch.levels``, outermost first): temporal loops, outermost first, then spatial
loops that spread the iterations over the fan-out into the next level down (over the MACs below the innermost
level). The full nest, outermost first, is ``T0 S0 T1 S1 ... Tk Sk``. A level's tile of a tensor is the footprint
of every loop at that level and below. ``bypass`` lists tensors a level could keep but does not under this mapping.

Bounds need not divide a dimension (imperfect factorization, as Timeloop's Ruby writes it): a loop may carry a
``residual``, the iterations it runs while every loop of its dimension outside it (temporal or spatial) is on its
last iteration. The loops of a dimension then cover ``1 + sum((residual - 1) x stride)`` indices, where a loop's
stride is the product of the bounds of the loops of its dimension inside it. Equivalently, the index
``sum(i x stride)`` runs over the full bounds and every iteration whose index reaches the dimension is skipped:
tiles at the edge are smaller, and the outermost loop of a dimension has no residual (it runs its bound).

>>> from stationary.core import Dim
>>> m = Mapping((LevelMapping(temporal=(Loop(Dim.C, 3),)), LevelMapping(spatial=(Loop(Dim.M, 4, Axis.X),))))
>>> m.bounds()[Dim.C], m.bounds()[Dim.M], m.levels[1].spatial_bound(Axis.X)
(3, 4, 4)
>>> strips = Mapping((LevelMapping(temporal=(Loop(Dim.E, 8),)), LevelMapping(temporal=(Loop(Dim.E, 7, residual=6),))))
>>> strips.extents()[Dim.E], strips.bounds()[Dim.E], strips.perfect, str(strips.levels[1].temporal[0])
(55, 56, False, 'for E in [0:7,6)')
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
    """``for dim in range(bound)``; ``axis`` is set for a spatial loop (the array dimension it spreads over);
    ``residual`` (default: the bound) is how many iterations it runs on its dimension's last path."""
    dim: Dim
    bound: int
    axis: Axis | None = None
    residual: int | None = None

    def __post_init__(self):
        if isinstance(self.bound, bool) or not isinstance(self.bound, int) or self.bound < 1:
            raise StationaryError("loop bound must be a positive integer", field=self.dim.name, value=self.bound)
        if self.residual is None:
            object.__setattr__(self, "residual", self.bound)
        elif isinstance(self.residual, bool) or not isinstance(self.residual, int) \
                or not 1 <= self.residual <= self.bound:
            raise StationaryError(f"a loop's residual must be an integer from 1 to its bound {self.bound}",
                                  field=self.dim.name, value=self.residual)

    @property
    def spatial(self) -> bool:
        return self.axis is not None

    @property
    def perfect(self) -> bool:
        return self.residual == self.bound

    @property
    def factor_text(self) -> str:
        """Timeloop's ``factors`` token without the dimension: ``7`` or, with a residual, ``7,6``."""
        return str(self.bound) if self.perfect else f"{self.bound},{self.residual}"

    def __str__(self) -> str:
        kind = f" (spatial {self.axis.value})" if self.axis else ""
        return f"for {self.dim.name} in [0:{self.factor_text}){kind}"


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
        seen: set[Dim] = set()
        for i, loop in self.nest():
            if loop.dim not in seen and not loop.perfect:
                raise StationaryError(f"the outermost loop of {loop.dim.name} (level {i}) runs its bound and "
                                      "cannot have a residual", field=loop.dim.name,
                                      value=f"{loop.bound},{loop.residual}")
            seen.add(loop.dim)

    def bounds(self) -> dict[Dim, int]:
        """Product of every loop's bound, per dimension (the extent when nothing is left over)."""
        out = {d: 1 for d in DIMS}
        for level in self.levels:
            for loop in level.loops:
                out[loop.dim] *= loop.bound
        return out

    def extents(self) -> dict[Dim, int]:
        """Indices each dimension's loops cover (must equal the layer's dimensions): Ruby's
        ``1 + sum((residual - 1) x stride)``, the product of the bounds when no loop has a residual."""
        out, inner = {d: 1 for d in DIMS}, {d: 1 for d in DIMS}
        for _, loop in reversed(self.nest()):
            out[loop.dim] += (loop.residual - 1) * inner[loop.dim]
            inner[loop.dim] *= loop.bound
        return out

    @property
    def perfect(self) -> bool:
        """No loop leaves a remainder."""
        return all(loop.perfect for level in self.levels for loop in level.loops)

    def nest(self) -> list[tuple[int, Loop]]:
        """The full nest outermost first, as (level index, loop)."""
        return [(i, loop) for i, level in enumerate(self.levels) for loop in level.loops]

    def strides(self) -> list[int]:
        """For each loop of :meth:`nest`, how far its dimension's index moves when the loop advances by one."""
        nest = self.nest()
        out, inner = [1] * len(nest), {d: 1 for d in DIMS}
        for pos in range(len(nest) - 1, -1, -1):
            loop = nest[pos][1]
            out[pos] = inner[loop.dim]
            inner[loop.dim] *= loop.bound
        return out

    def fitted(self, sizes: dict[Dim, int]) -> "Mapping":
        """The same loops fitted to dimensions of these sizes: per dimension the outermost loop that needs more
        than one iteration is cut to what it needs (``ceil(size / stride)``, the loops outside it to 1) and every
        residual inside it set from the digits of ``size - 1``, so the loops cover each size exactly and every
        iteration has work (bounds that divide it stay perfect). The bounds of a dimension must multiply to at
        least its size.

        >>> from stationary.core import Dim
        >>> m = Mapping((LevelMapping(temporal=(Loop(Dim.E, 8),)), LevelMapping(temporal=(Loop(Dim.E, 7),))))
        >>> [str(l) for _, l in m.fitted({Dim.E: 55}).nest()]
        ['for E in [0:8)', 'for E in [0:7,6)']
        """
        bounds, nest, strides = self.bounds(), self.nest(), self.strides()
        first: dict[Dim, int] = {}     # per dimension, the outermost loop that needs more than one iteration
        for pos, (_, loop) in enumerate(nest):
            size = sizes.get(loop.dim, 1)
            if bounds[loop.dim] < size:
                raise StationaryError(f"loop bounds multiply to {bounds[loop.dim]}, less than {loop.dim.name} = "
                                      f"{size}", field=loop.dim.name, value=bounds[loop.dim])
            if loop.dim not in first and (-(-size // strides[pos]) > 1 or pos == max(
                    k for k, (_, l) in enumerate(nest) if l.dim is loop.dim)):
                first[loop.dim] = pos
        for d, size in sizes.items():
            if size > 1 and d not in first:
                raise StationaryError(f"no loop covers {d.name} = {size}", field=d.name, value=size)
        out, k = [], 0
        for level in self.levels:
            rebuilt = []
            for loop in level.loops:
                size, stride, lead = sizes.get(loop.dim, 1), strides[k], first.get(loop.dim, k)
                if k < lead:        # outside the loop that needs it all: one iteration
                    rebuilt.append(Loop(loop.dim, 1, loop.axis))
                elif k == lead:
                    rebuilt.append(Loop(loop.dim, -(-size // stride), loop.axis))
                else:
                    rebuilt.append(Loop(loop.dim, loop.bound, loop.axis, ((size - 1) // stride) % loop.bound + 1))
                k += 1
            n = len(level.temporal)
            out.append(LevelMapping(tuple(rebuilt[:n]), tuple(rebuilt[n:]), level.bypass))
        return Mapping(tuple(out))

    def live_count(self, spatial: bool, above: int | None = None) -> int:
        """Index tuples of the temporal (or the spatial) loops with some work: per dimension, the tuples whose
        index (the other loops at 0) stays below the extent; the product over dimensions. With ``above``, only
        the loops of the levels above that one (``above=1``: the passes of the outermost level)."""
        nest, strides, extents = self.nest(), self.strides(), self.extents()
        total = 1
        for dim in DIMS:
            loops = [(l.bound, s) for (lvl, l), s in zip(nest, strides) if l.dim is dim and l.spatial is spatial
                     and (above is None or lvl < above)]
            total *= _tuples_below(loops, extents[dim])
        return total

    @property
    def temporal_steps(self) -> int:
        """Cycles of a MAC unit when it does one MAC per cycle: temporal iterations with work for some unit."""
        if self.perfect:
            return prod(loop.bound for level in self.levels for loop in level.temporal)
        return self.live_count(False)

    @property
    def spatial_units(self) -> int:
        """MAC units used: spatial positions that get work at some step (the product of the spatial loops when
        nothing is left over)."""
        if self.perfect:
            return prod(loop.bound for level in self.levels for loop in level.spatial)
        return self.live_count(True)


def _tuples_below(loops: list[tuple[int, int]], limit: int) -> int:
    """How many digit tuples of (bound, stride) loops, outermost first, have ``sum(digit x stride) < limit``
    (every loop's stride is at least the span of the loops inside it)."""
    if not loops:
        return 1 if limit > 0 else 0
    (bound, stride), rest = loops[0], loops[1:]
    full = min(bound, -(-limit // stride) if stride else bound)
    if full <= 0:
        return 0
    inner_all = prod(b for b, _ in rest)
    last = limit - (full - 1) * stride
    return (full - 1) * inner_all + _tuples_below(rest, last)
