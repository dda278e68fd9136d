"""Row stationary on the array: which PE does what in a pass, read from a mapping's spatial loops.

In RS each PE runs a 1-D row convolution: one filter row (R index) stays in its RF while an input row slides
past and one output row (E index) accumulates. Filter rows spread down Y and output rows along X: the *logical PE
set* is R x E. A set wider than the array is *strip-mined*: the mapping's spatial E loop says how many output rows a
pass covers, and the temporal loops on E above it step through the strips. Other dims spread on the array (C, M,
N) *replicate* the set. A *pass* is one step of the temporal loops above the PE level.

The chip strip-mines with remainders (AlexNet CONV1's 11 x 55 set as 11 x 7 strips, the last one 6 wide); mappings
here split a dimension into exact factors only, so :func:`chip_strips` gives the chip's widths separately.

>>> from stationary.core import Dim
>>> from stationary.mapping import Axis, LevelMapping, Loop, Mapping
>>> from stationary.workload import conv
>>> layer = conv("c", 2, 2, 6, 3)                                 # E = 4
>>> m = Mapping((LevelMapping(temporal=(Loop(Dim.E, 2), Loop(Dim.M, 2))),
...              LevelMapping(spatial=(Loop(Dim.E, 2, Axis.X), Loop(Dim.C, 2, Axis.Y), Loop(Dim.R, 3, Axis.Y))),
...              LevelMapping(temporal=(Loop(Dim.F, 4), Loop(Dim.S, 3)))))
>>> plan = rs_plan(layer, m, (7, 3))
>>> plan.logical, plan.strip, plan.sets, plan.passes
((3, 4), (3, 2), 2, 4)
>>> print(pass_text(plan, 1))                                     # step 1 of E2 M2: first strip, filter 1
pass 1 of 4: E from 0, M from 1 (cell: filter row r / input row h / output row e; c, m, n where spread)
    x0           x1           x2
y0  r0 h0 e0 c0  r0 h1 e1 c0  .
y1  r1 h1 e0 c0  r1 h2 e1 c0  .
y2  r2 h2 e0 c0  r2 h3 e1 c0  .
y3  r0 h0 e0 c1  r0 h1 e1 c1  .
y4  r1 h1 e0 c1  r1 h2 e1 c1  .
y5  r2 h2 e0 c1  r2 h3 e1 c1  .
y6  .            .            .
>>> chip_strips(55, 7)
[7, 7, 7, 7, 7, 7, 7, 6]
"""
from __future__ import annotations

from dataclasses import dataclass

from stationary.core import Dim, StationaryError, prod
from stationary.mapping.mapping import Axis, Mapping
from stationary.workload.layer import Layer

_SHOWN = (Dim.C, Dim.M, Dim.N, Dim.G, Dim.F, Dim.S)


@dataclass(frozen=True, slots=True)
class RSPlan:
    layer: Layer
    mapping: Mapping
    array: tuple[int, int]            # (rows Y, columns X) of the physical array
    level: int                        # the level whose spatial loops place the PEs
    logical: tuple[int, int]          # R x E
    strip: tuple[int, int]            # rows of R and of E one set covers in a pass
    sets: int                         # copies of the set placed side by side (C, M, N, ... spread)
    passes: int                       # steps of the temporal loops above the PEs

    def cells(self, step: int) -> list[list[dict[Dim, int] | None]]:
        """Per PE (y, x): the index of every dimension it works on in this pass, or None when idle."""
        if not 0 <= step < self.passes:
            raise StationaryError(f"a pass is 0..{self.passes - 1}", field="pass", value=step)
        origin = _temporal_origin(self.mapping, self.level, step)
        grid: list[list[dict[Dim, int] | None]] = [[None] * self.array[1] for _ in range(self.array[0])]
        lm = self.mapping.levels[self.level]
        y_loops = [l for l in lm.spatial if l.axis is Axis.Y]
        x_loops = [l for l in lm.spatial if l.axis is Axis.X]
        places = _places(self.mapping)
        for y in range(prod(l.bound for l in y_loops)):
            for x in range(prod(l.bound for l in x_loops)):
                idx = dict(origin)
                for loops, flat in ((y_loops, y), (x_loops, x)):
                    for loop, digit in zip(loops, _digits(flat, [l.bound for l in loops])):
                        idx[loop.dim] = idx.get(loop.dim, 0) + digit * places[id(loop)]
                grid[y][x] = idx
        return grid


def _digits(flat: int, bounds: list[int]) -> list[int]:
    out = []
    for b in reversed(bounds):
        out.append(flat % b)
        flat //= b
    return out[::-1]


def _places(mapping: Mapping) -> dict[int, int]:
    """For each loop (by identity), how far its dimension's index moves per step of it."""
    places, radix = {}, {}
    for level in reversed(mapping.levels):
        for loop in reversed(level.temporal + level.spatial):
            places[id(loop)] = radix.get(loop.dim, 1)
            radix[loop.dim] = places[id(loop)] * loop.bound
    return places


def _temporal_origin(mapping: Mapping, level: int, step: int) -> dict[Dim, int]:
    loops = [l for lm in mapping.levels[:level + 1] for l in lm.temporal]
    places = _places(mapping)
    origin: dict[Dim, int] = {}
    for loop, digit in zip(loops, _digits(step, [l.bound for l in loops])):
        origin[loop.dim] = origin.get(loop.dim, 0) + digit * places[id(loop)]
    return origin


def rs_plan(layer: Layer, mapping: Mapping, array: tuple[int, int]) -> RSPlan:
    """The RS view of a mapping on an array of ``array`` = (Y rows, X columns) PEs: the level whose spatial loops
    spread R on Y is taken as the one placing the PEs."""
    for i, lm in enumerate(mapping.levels):
        if any(l.dim is Dim.R and l.axis is Axis.Y for l in lm.spatial):
            break
    else:
        raise StationaryError("not a row-stationary mapping: no spatial loop spreads R over Y", field="mapping",
                              value=None)
    lm = mapping.levels[i]
    r_rows = prod(l.bound for l in lm.spatial if l.dim is Dim.R)
    e_cols = prod(l.bound for l in lm.spatial if l.dim is Dim.E)
    sets = prod(l.bound for l in lm.spatial if l.dim not in (Dim.R, Dim.E))
    passes = prod(l.bound for m in mapping.levels[:i + 1] for l in m.temporal)
    return RSPlan(layer, mapping, array, i, (layer.R, layer.E), (r_rows, e_cols), sets, passes)


def _label(plan: RSPlan, idx: dict[Dim, int] | None) -> str:
    if idx is None:
        return "."
    layer = plan.layer
    r, e = idx.get(Dim.R, 0), idx.get(Dim.E, 0)
    parts = [f"r{r}", f"h{layer.U * e + layer.dilation * r}", f"e{e}"]
    spread = {l.dim for l in plan.mapping.levels[plan.level].spatial}
    parts += [f"{d.name.lower()}{idx.get(d, 0)}" for d in _SHOWN if d in spread]
    return " ".join(parts)


def pass_text(plan: RSPlan, step: int = 0) -> str:
    """The array in one pass as text: one cell per PE, '.' for an idle one."""
    grid = plan.cells(step)
    origin = _temporal_origin(plan.mapping, plan.level, step)
    moving = ", ".join(f"{d.name} from {v}" for d, v in origin.items()) or "the only pass"
    labels = [[_label(plan, c) for c in row] for row in grid]
    width = max(len(s) for row in labels for s in row) + 2
    head = f"pass {step} of {plan.passes}: {moving} (cell: filter row r / input row h / output row e; " \
           f"c, m, n where spread)"
    lines = [head, "    " + "".join(f"x{x}".ljust(width) for x in range(plan.array[1])).rstrip()]
    for y, row in enumerate(labels):
        lines.append(f"y{y}".ljust(4) + "".join(s.ljust(width) for s in row).rstrip())
    return "\n".join(lines)


def summary(plan: RSPlan) -> str:
    """The logical set, its strip-mining and replication, in words."""
    r, e = plan.logical
    sr, se = plan.strip
    used = sr * se * plan.sets
    text = f"logical PE set {r} x {e} (R x E)"
    if (sr, se) != (r, e):
        text += f", strip-mined to {sr} x {se} ({e // se} strips of E)"
    text += f"; {plan.sets} set(s) side by side; {used} of {plan.array[0] * plan.array[1]} PEs busy; " \
            f"{plan.passes} passes"
    return text


def chip_strips(extent: int, width: int) -> list[int]:
    """Strip widths when a set of ``extent`` output rows is cut into strips of ``width`` with a remainder, as the
    Eyeriss chip does."""
    if width < 1:
        raise StationaryError("strip width must be positive", field="width", value=width)
    return [width] * (extent // width) + ([extent % width] if extent % width else [])


def pass_png(plan: RSPlan, path, step: int = 0) -> None:
    """The same picture as :func:`pass_text`, drawn with matplotlib: PEs coloured by filter row, sets outlined."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    grid = plan.cells(step)
    rows, cols = plan.array
    fig, ax = plt.subplots(figsize=(1.1 * cols + 1, 0.8 * rows + 1))
    cmap = plt.get_cmap("tab20")
    for y in range(rows):
        for x in range(cols):
            idx = grid[y][x]
            color = "#eeeeee" if idx is None else cmap(idx.get(Dim.R, 0) % 20)
            ax.add_patch(plt.Rectangle((x, rows - 1 - y), 0.95, 0.95, color=color))
            ax.text(x + 0.47, rows - 0.53 - y, _label(plan, idx).replace(" ", "\n", 3), ha="center", va="center",
                    fontsize=6)
    ax.set_xlim(0, cols)
    ax.set_ylim(0, rows)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"{plan.layer.name}: pass {step} of {plan.passes}\n{summary(plan)}", fontsize=8)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)
