"""Dataflows as constraints on the mapping space, after Chen, Emer, Sze, ISCA 2016 (Sec. IV and VI-A).

A dataflow does not fix a mapping; it says where data may stay and which loops may spread over the array. The
rules are stated on the kinds of levels (register files = ``StorageKind.RF``), so one dataflow applies to any
architecture:

* WS: each PE keeps one weight at a time (no weight loop at the RF: only N, E, F may iterate there, reusing it);
  inputs and psums do not stay in the PE (psums pass to a neighbour or to the buffer). Weight dims spread.
* OS: each PE accumulates one output at a time (only C, R, S iterate at the RF); weights and inputs stream.
  SOC-MOP (``osa``) spreads output pixels (E, F), MOC-MOP (``osb``) output channels and pixels (M, E, F),
  MOC-SOP (``osc``) output channels only (M).
* NLR: nothing stays in a PE (the RF is bypassed for every tensor); output and input channels spread (M, C).
* RS: a PE runs a 1-D row convolution: a whole filter row (S) sits in its RF while the ifmap row slides; filter
  rows (R) spread down the array's Y axis and output rows (E) along X, forming the R x E logical PE set;
  N, M and C fold into the RF or replicate sets over the rest of the array.

>>> rs = Dataflow.parse("rs").constraints
>>> sorted(d.name for d in rs.rf_required), sorted(d.name for d in rs.spatial_y)
(['S'], ['C', 'G', 'M', 'N', 'R'])
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from stationary.core import Dim, StationaryError, Tensor

N, G, M, C, E, F, R, S = Dim.N, Dim.G, Dim.M, Dim.C, Dim.E, Dim.F, Dim.R, Dim.S


@dataclass(frozen=True, slots=True)
class Constraints:
    """Rules a mapping must follow under a dataflow.

    ``rf_temporal``: dims that may have temporal loops at RF levels. ``rf_bypass``: tensors RF levels never keep.
    ``rf_required``: dims whose whole extent sits in temporal loops at the RF levels. ``spatial_x``/``spatial_y``:
    dims allowed in spatial loops along each array axis. ``spatial_required``: dims whose whole extent is
    spatial. G may always spread (groups are independent).
    """
    rf_temporal: frozenset[Dim]
    rf_bypass: frozenset[Tensor]
    spatial_x: frozenset[Dim]
    spatial_y: frozenset[Dim]
    rf_required: frozenset[Dim] = frozenset()
    spatial_required: frozenset[Dim] = frozenset()


def _c(rf_temporal, rf_bypass, spatial_x, spatial_y=None, rf_required=(), spatial_required=()) -> Constraints:
    return Constraints(frozenset(rf_temporal), frozenset(rf_bypass), frozenset(spatial_x) | {G},
                       frozenset(spatial_x if spatial_y is None else spatial_y) | {G},
                       frozenset(rf_required), frozenset(spatial_required))


class Dataflow(enum.Enum):
    WS = "ws"
    OSA = "osa"
    OSB = "osb"
    OSC = "osc"
    NLR = "nlr"
    RS = "rs"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def constraints(self) -> Constraints:
        return _RULES[self]

    @classmethod
    def parse(cls, text: str) -> "Dataflow":
        key = str(text).strip().lower().replace("_", "-")
        key = {"soc-mop": "osa", "moc-mop": "osb", "moc-sop": "osc", "os": "osa"}.get(key, key)
        try:
            return cls(key)
        except ValueError:
            raise StationaryError("unknown dataflow (expected ws, osa, osb, osc, nlr or rs; "
                                  "soc-mop, moc-mop, moc-sop also work)", field="dataflow", value=text) from None


_LABELS = {Dataflow.WS: "WS", Dataflow.OSA: "OS (SOC-MOP)", Dataflow.OSB: "OS (MOC-MOP)",
           Dataflow.OSC: "OS (MOC-SOP)", Dataflow.NLR: "NLR", Dataflow.RS: "RS"}

_W, _I, _O = Tensor.WEIGHT, Tensor.IFMAP, Tensor.PSUM
_RULES = {
    Dataflow.WS: _c({N, E, F}, {_I, _O}, {M, C, R, S}),
    Dataflow.OSA: _c({C, R, S}, {_W, _I}, {E, F}),
    Dataflow.OSB: _c({C, R, S}, {_W, _I}, {M, E, F}),
    Dataflow.OSC: _c({C, R, S}, {_W, _I}, {M}),
    Dataflow.NLR: _c(set(), {_W, _I, _O}, {M, C}),
    Dataflow.RS: _c({S, F, N, M, C}, set(), {E, M, C, N}, {R, C, M, N}, rf_required={S}, spatial_required={R}),
}
