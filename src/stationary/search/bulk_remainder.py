"""The bulk evaluator for tilings whose bounds leave remainders: the remainder model's own sums over a batch.

A row whose bounds multiply past a dimension is first fitted as ``Mapping.fitted`` fits it (per dimension the
outermost loop that needs more than one iteration is cut to ``ceil(size / stride)``, the loops outside it to 1).
Then each hop's count is, as in :mod:`stationary.model.imperfect`, a sum over kinds of step of a product over the
tensor's axes of per-axis sums (:mod:`stationary.model.imperfect_sums`). Here the kinds of step of every
candidate are arrays (which temporal loops advance, and what each advance does to every dimension: its own loop,
or another's with some of its loops inside), each dimension's loops are grouped into the few distinct geometries
the batch has, and each per-axis sum is computed once per distinct (geometry, kind), by the model's own cached
functions, then gathered for the whole batch. So a batch costs the distinct geometries it brings, not its size.
"""
from __future__ import annotations

import numpy as np

from stationary.arch.spec import Arch
from stationary.core import DIMS, Tensor
from stationary.model.imperfect import AxisKind, axis_layout
from stationary.model.dim_hop import ALL, FIRST, LAST, DimHop, foreign, live_values, own
from stationary.model.imperfect_sums import (mac_output_axis, operand_axis, operand_pair, operand_steps, output_axis,
                                             output_distinct, output_last, output_steps)
from stationary.search.bulk_base import Batch, count_hops, finish, unique_rows
from stationary.search.space import slots
from stationary.workload.layer import Layer

_DIM = {d: k for k, d in enumerate(DIMS)}


def inner_strides(rows: np.ndarray) -> np.ndarray:
    """Per dimension and slot, how far the loop moves its dimension: the product of the bounds inside it."""
    strides = np.ones_like(rows)
    strides[:, :, :-1] = np.cumprod(rows[:, :, ::-1], axis=2)[:, :, ::-1][:, :, 1:]
    return strides


def fit_rows(rows: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """``Mapping.fitted`` over tiling rows (n x dims x slots, slots outermost first; ``sizes`` per dim): the
    outermost slot that needs more than one iteration cut to ``ceil(size / stride)``, the slots outside it to 1.
    Rows whose bounds divide their dimensions come back unchanged."""
    need = -(-sizes[None, :, None] // inner_strides(rows))
    lead = np.argmax(need > 1, axis=2)[:, :, None]
    k = np.arange(rows.shape[2])[None, None, :]
    out = np.where(k < lead, 1, np.where(k == lead, need, rows))
    out[:, sizes == 1, :] = 1
    return out


def remainder_batch(layer: Layer, arch: Arch, bypass, rows: np.ndarray, orders: np.ndarray) -> Batch:
    """The model's counts, energy and cycles of fitted rows (``fit_rows``) with remainders."""
    geo = _Rows(layer, arch, rows, orders)

    def hop(t: Tensor, p: int, c: int) -> dict:
        count = _outputs if t is Tensor.PSUM else _operands
        return count(geo, geo.hops(p, c), axis_layout(layer, t), c)

    return finish(layer, arch, geo.n, geo.steps(), count_hops(arch, bypass, hop))


class _Rows:
    """A batch of fitted rows: bounds, strides, which temporal loops advance, and their order per level."""

    def __init__(self, layer: Layer, arch: Arch, rows: np.ndarray, orders: np.ndarray):
        self.layer, self.rows, self.n = layer, rows, len(rows)
        self.sizes = [layer.dims[d] for d in DIMS]
        self.slots = slots(arch)
        self.depth = len(arch.levels)
        self.temporal = [next(k for k, s in enumerate(self.slots) if s.level == i and s.axis is None)
                         for i in range(self.depth)]
        self.strides = inner_strides(rows)
        self.active = rows[:, :, self.temporal].transpose(0, 2, 1) > 1          # (n, levels, dims)
        self.rank = np.argsort(orders, axis=2)                                  # (n, levels, dims): position

    def hops(self, parent: int, child: int) -> list[tuple[np.ndarray, list[DimHop]]]:
        """Per dimension: each candidate's geometry id and the distinct geometries (``DimHop``) of this hop."""
        sl = self.slots
        inner = [k for k, s in enumerate(sl) if s.level >= child]
        groups = [[k for k, s in enumerate(sl) if s.level < child and s.axis is None],
                  [k for k, s in enumerate(sl) if s.level < parent and s.axis is not None],
                  [k for k, s in enumerate(sl) if parent <= s.level < child and s.axis is not None]]
        out = []
        for d in range(len(DIMS)):
            bounds, strides = self.rows[:, d, :], self.strides[:, d, :]
            cols = [bounds[:, inner].prod(axis=1)[:, None]]
            for ks in groups:
                cols += [bounds[:, ks], np.where(bounds[:, ks] > 1, strides[:, ks], 0)]
            table = np.concatenate(cols, axis=1)
            first, gid = unique_rows(table)
            widths = [len(ks) for ks in groups]
            geos = []
            for row in table[first].tolist():
                loops, at = [], 1
                for w in widths:
                    loops.append(tuple(zip(row[at:at + w], row[at + w:at + 2 * w])))
                    at += 2 * w
                geos.append(DimHop.of(self.sizes[d], row[0], *loops))
            out.append((gid, geos))
        return out

    def step_kinds(self, child: int) -> tuple[np.ndarray, np.ndarray]:
        """Every kind of step of every candidate: (candidate index, each dimension's kind), the first step of each
        candidate, then one per advancing temporal loop above the child."""
        act = self.active[:, :child, :].astype(np.int64)                       # (n, levels, dims)
        before = np.cumsum(act, axis=1) - act
        after = act.sum(axis=1, keepdims=True) - before - act
        rank = self.rank[:, :child, :]
        inside = act[:, :, None, :] * (rank[:, :, None, :] > rank[:, :, :, None])   # (n, level, e, d)
        same = np.eye(len(DIMS), dtype=bool)[None, None]
        kinds = np.where(same, own(before)[:, :, None, :], foreign(after[:, :, None, :] + inside))
        j, _, _ = np.nonzero(self.active[:, :child, :])
        advancing = kinds[self.active[:, :child, :]]
        return (np.concatenate([np.arange(self.n), j]),
                np.concatenate([np.full((self.n, len(DIMS)), FIRST), advancing]))

    def steps(self) -> np.ndarray:
        """Temporal iterations with work for some unit (``Mapping.temporal_steps``): per dimension, the digit
        tuples of its temporal loops whose index stays below its size."""
        out = np.ones(self.n, dtype=np.int64)
        for d in range(len(DIMS)):
            b, s = self.rows[:, d, self.temporal], self.strides[:, d, self.temporal]
            table = np.concatenate([b, np.where(b > 1, s, 0)], axis=1)
            first, gid = unique_rows(table)
            w = len(self.temporal)
            live = np.array([len(live_values(DimHop.of(self.sizes[d], 1, tuple(zip(r[:w], r[w:])))))
                             for r in table[first].tolist()], dtype=np.int64)
            out *= live[gid]
        return out


def _gather(keys: np.ndarray, compute) -> np.ndarray:
    """``compute(*key)`` for every row of ``keys``, computed once per distinct row."""
    first, inv = unique_rows(keys)
    return np.array([compute(*row) for row in keys[first].tolist()], dtype=np.int64)[inv]


def _vectors(hops, layout, j: np.ndarray, kinds: np.ndarray, axis_fn, pair_fn=None) -> np.ndarray:
    """(steps, axes, width): each axis's vector at each kind of step (candidate ``j``, per-dimension ``kinds``)."""
    out = []
    for spec in layout:
        if spec[0] is AxisKind.PAIR:
            _, d1, d2, coefs = spec
            (g1, h1), (g2, h2) = hops[_DIM[d1]], hops[_DIM[d2]]
            keys = np.stack([g1[j], kinds[:, _DIM[d1]], g2[j], kinds[:, _DIM[d2]]], axis=1)
            out.append(_gather(keys, lambda a, ka, b, kb: pair_fn(coefs, h1[a], ka, h2[b], kb)))
        else:
            g, h = hops[_DIM[spec[1]]]
            point = spec[0] is AxisKind.POINT
            keys = np.stack([g[j], kinds[:, _DIM[spec[1]]]], axis=1)
            out.append(_gather(keys, lambda a, ka: axis_fn(h[a], ka, point)))
    return np.stack(out, axis=1)


def _per_candidate(n: int, j: np.ndarray, values: np.ndarray) -> np.ndarray:
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, j, values)
    return out


def _operands(geo: _Rows, hops, layout, child: int) -> dict:
    if child == geo.depth:      # MACs keep nothing: every step fetches its operands anew
        j, kinds = np.arange(geo.n), np.full((geo.n, len(DIMS)), ALL)
    else:
        j, kinds = geo.step_kinds(child)
    fills, reads = operand_steps(_vectors(hops, layout, j, kinds, operand_axis, operand_pair))
    return {"child_fills": _per_candidate(geo.n, j, fills), "parent_reads": _per_candidate(geo.n, j, reads)}


def _outputs(geo: _Rows, hops, layout, child: int) -> dict:
    n, macs = geo.n, child == geo.depth
    everyone = np.arange(n)
    distinct = np.ones(n, dtype=np.int64)
    for spec in layout:
        g, h = hops[_DIM[spec[1]]]
        point = spec[0] is AxisKind.POINT
        distinct *= _gather(g[:, None], lambda a: output_distinct(h[a], point, macs))
    if macs:
        kinds = np.full((n, len(DIMS)), ALL)
        works, updates = _vectors(hops, layout, everyone, kinds, lambda h, _, point: mac_output_axis(h, point)) \
            .prod(axis=1).T
        return {"child_fills": np.zeros(n, dtype=np.int64), "child_drains": works, "parent_updates": updates,
                "parent_reads": updates - distinct}
    j, kinds = geo.step_kinds(child)
    drains, updates, starts = output_steps(_vectors(hops, layout, j, kinds, output_axis))
    last_drains, last_updates = output_last(_vectors(hops, layout, everyone, np.full((n, len(DIMS)), LAST),
                                                     output_axis))
    fills = _per_candidate(n, j, starts) - distinct
    return {"child_fills": fills, "child_drains": _per_candidate(n, j, drains) + last_drains,
            "parent_updates": _per_candidate(n, j, updates) + last_updates, "parent_reads": fills}
