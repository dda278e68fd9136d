"""Timeloop v0.3-style files: the problem YAML (one CNN layer) and ``map.yaml`` (a mapping), read as is.

Problem: ``problem: {shape: ..., instance: {C, M (or K), R, S, N, P, Q, Wstride, Hstride, Wdilation,
Hdilation}}``. Timeloop's P, Q, K are our E, F, M. In Timeloop's CNN-layer shape R pairs with P (along its "W",
with ``Wstride``) and S with Q (``Hstride``); ours pairs R with E and S with F, so the strides must be equal (a
:class:`Layer` has one stride U). Strides and dilations left out are 1, as Timeloop's shape defaults them. The
input size follows: H = (P - 1) U + dilation (R - 1) + 1 (Timeloop has no padding: it is in the input size).

Mapping: ``mapping:`` a list of directives ``{target, type, factors, permutation, split, keep, bypass}``:

* ``type: temporal`` / ``spatial``: ``factors: "C3 M12"`` (or ``C=3``); a factor left out is 1. ``permutation``
  lists dimensions *innermost first* (Timeloop's order; ours is outermost first) and must name every factor
  above 1. For spatial loops, dimensions before position ``split`` in the permutation spread along X, the rest
  along Y; without ``split`` all go along X.
* Remainders as Ruby writes them: ``factors: "P=7,6"`` is a loop of bound 7 that runs 6 iterations when every
  loop of P outside it is on its last iteration (so ``P=8`` outside it and ``P=7,6`` cover 7 x 7 + 6 = 55). The
  outermost loop of a dimension runs its residual. Loops that do not cover the dimension exactly are an error
  naming each level's factor.
* ``type: bypass`` (or ``datatype``): ``keep`` and ``bypass`` lists of data spaces (Weights, Inputs, Outputs).
  Bypassing a tensor the level cannot hold anyway (every tensor at a DummyBuffer) is allowed and means nothing.

Targets are matched to the arch's level names (case-insensitive).

>>> from stationary.arch import preset
>>> arch = preset("timeloop-eyeriss-like")
>>> text = '''
... mapping:
...   - {target: DRAM, type: temporal, factors: C3 Q55, permutation: CQ}
...   - {target: DummyBuffer, type: spatial, factors: S11, permutation: S, split: 0}
... '''
>>> m = load_timeloop_mapping(text, arch)
>>> [str(l) for l in m.levels[0].temporal + m.levels[2].spatial]
['for F in [0:55)', 'for C in [0:3)', 'for S in [0:11) (spatial Y)']
>>> from stationary.workload import conv
>>> strips = '''
... mapping:
...   - {target: DRAM, type: temporal, factors: P=8 C=3 K=96 Q=55 R=11 S=11, permutation: SRQKCP}
...   - {target: psum_spad, type: temporal, factors: 'P=7,6', permutation: P}
... '''
>>> conv1 = conv("CONV1", 96, 3, 227, 11, stride=4)
>>> load_timeloop_mapping(strips, arch, conv1).extents()[Dim.E]
55
>>> load_timeloop_mapping(strips.replace("P=7,6", "P=7,5"), arch, conv1)
Traceback (most recent call last):
...
stationary.core.StationaryError: <mapping text>: layer CONV1: field 'E' = 54: the loops and residuals of E (DRAM E=8, psum_spad E=7,5) cover 54 indices: they do not cover the layer's E = 55
"""
from __future__ import annotations

import re

from stationary.arch.spec import Arch
from stationary.arch.yaml_io import check_keys, positive_int, read_yaml, tensor_name
from stationary.core import Dim, StationaryError
from stationary.mapping.mapping import Axis, LevelMapping, Loop, Mapping
from stationary.mapping.yaml_io import loop_tokens
from stationary.workload.layer import Layer, LayerKind

_PROBLEM_DIMS = ("C", "M", "K", "R", "S", "N", "P", "Q")
_COEFFICIENTS = ("Wstride", "Hstride", "Wdilation", "Hdilation")
_VERSIONS = ("0.2", "0.3", "0.4")
_SHAPE = ("name", "dimensions", "coefficients", "data-spaces", "data_spaces")  # as Timeloop's CNN-layer shape
_DIRECTIVE = ("target", "type", "factors", "permutation", "split", "keep", "bypass")
_FACTOR = re.compile(r"^([A-Za-z])=?([+-]?\d+)$")


def load_timeloop_problem(text_or_path: str, name: str | None = None) -> Layer:
    """A layer from a Timeloop v0.3 problem YAML (text or file).

    >>> load_timeloop_problem("problem: {instance: {C: 3, M: 96, R: 11, S: 11, N: 1, P: 55, Q: 55, "
    ...                       "Wstride: 4, Hstride: 4}}", name="CONV1").describe()
    'CONV1 (conv): N=1 M=96 C=3 H=227 W=227 R=11 S=11 U=4 -> E=55 F=55'
    """
    data, source = read_yaml(text_or_path, "problem")
    return problem_from_timeloop(data, source, name)


def problem_from_timeloop(data, source: str, name: str | None = None) -> Layer:
    check_keys(data, ("problem",), ("problem",), source, None)
    problem = check_keys(data["problem"], ("shape", "instance", "version"), ("instance",), source, "problem",
                         "problem")
    if "version" in problem and str(problem["version"]) not in _VERSIONS:
        raise StationaryError(f"unsupported version (expected one of {', '.join(_VERSIONS)})", source=source,
                              where="problem", field="version", value=problem["version"])
    shape = check_keys(problem.get("shape", {}), _SHAPE, (), source, "problem.shape", "shape")
    if not isinstance(shape.get("name", ""), str):
        raise StationaryError("must be a string", source=source, where="problem.shape", field="name",
                              value=shape["name"])
    dimensions = shape.get("dimensions", list(_PROBLEM_DIMS))
    if not isinstance(dimensions, list) or not set(map(str, dimensions)) <= set(_PROBLEM_DIMS):
        raise StationaryError(f"a CNN-layer shape has the dimensions {', '.join(_PROBLEM_DIMS)}", source=source,
                              where="problem.shape", field="dimensions", value=dimensions)
    where = "problem.instance"
    instance = check_keys(problem["instance"], _PROBLEM_DIMS + _COEFFICIENTS,
                          ("C", "R", "S", "N", "P", "Q"), source, where, "instance")
    if ("M" in instance) == ("K" in instance):
        raise StationaryError("give the filters as M or as K (one of them)", source=source, where=where,
                              field="M")
    dims = {d: positive_int(instance[d], source, where, d) for d in _PROBLEM_DIMS if d in instance}
    coef = {c: positive_int(instance.get(c, 1), source, where, c) for c in _COEFFICIENTS}
    for a, b in (("Wstride", "Hstride"), ("Wdilation", "Hdilation")):
        if coef[a] != coef[b]:
            raise StationaryError(f"unequal {a} and {b} are not supported (a layer has one {a[1:]})",
                                  source=source, where=where, field=b, value=coef[b])
    u, dil = coef["Wstride"], coef["Wdilation"]
    m = dims.get("M", dims.get("K"))
    layer_name = name or str(shape.get("name") or "timeloop-problem")
    flat = dims["R"] == dims["S"] == dims["P"] == dims["Q"] == 1
    try:
        return Layer(layer_name, LayerKind.FC if flat else LayerKind.CONV, M=m, C=dims["C"],
                     H=(dims["P"] - 1) * u + dil * (dims["R"] - 1) + 1,
                     W=(dims["Q"] - 1) * u + dil * (dims["S"] - 1) + 1,
                     R=dims["R"], S=dims["S"], U=u, N=dims["N"], dilation=dil)
    except StationaryError as err:
        raise err.located(source, where) from None


def load_timeloop_mapping(text_or_path: str, arch: Arch, layer: Layer | None = None) -> Mapping:
    """A mapping from a Timeloop ``map.yaml`` (text or file) for ``arch``; with a layer, checked for legality."""
    data, source = read_yaml(text_or_path, "mapping")
    return mapping_from_timeloop(data, arch, source, layer)


def mapping_from_timeloop(data, arch: Arch, source: str, layer: Layer | None = None) -> Mapping:
    if isinstance(data, dict):
        check_keys(data, ("mapping",), ("mapping",), source, None)
        data = data["mapping"]
    if not isinstance(data, list) or not data:
        raise StationaryError("must be a non-empty list of directives", source=source, field="mapping",
                              value=data, has_value=True)
    temporal: dict[int, tuple[Loop, ...]] = {}
    spatial: dict[int, tuple[Loop, ...]] = {}
    bypass: dict[int, frozenset] = {}
    for i, directive in enumerate(data):
        where = f"mapping[{i}]"
        check_keys(directive, _DIRECTIVE, ("target", "type"), source, where)
        target = directive["target"]
        try:
            index = arch.level_index(str(target))
        except StationaryError as err:
            raise StationaryError(err.message, source=source, where=where, field="target", value=target) from None
        where = f"{where} (target {arch.levels[index].name})"
        kind = str(directive["type"]).strip().lower()
        if kind in ("temporal", "spatial"):
            table = temporal if kind == "temporal" else spatial
            if index in table:
                raise StationaryError(f"a second {kind} directive for this target", source=source, where=where,
                                      field="type", value=directive["type"])
            table[index] = _loops(directive, kind, source, where)
        elif kind in ("bypass", "datatype"):
            if index in bypass:
                raise StationaryError("a second bypass directive for this target", source=source, where=where,
                                      field="type", value=directive["type"])
            bypass[index] = _bypass(directive, arch, index, source, where)
        else:
            raise StationaryError("unknown directive type (expected temporal, spatial, bypass or datatype)",
                                  source=source, where=where, field="type", value=directive["type"])
    seen: set[Dim] = set()
    levels = tuple(LevelMapping(temporal=_outermost_runs_residual(temporal.get(i, ()), seen),
                                spatial=_outermost_runs_residual(spatial.get(i, ()), seen),
                                bypass=bypass.get(i, frozenset())) for i in range(len(arch.levels)))
    from stationary.mapping.yaml_io import _checked
    return _checked(Mapping(levels), arch, layer, source)


def _outermost_runs_residual(loops: tuple[Loop, ...], seen: set[Dim]) -> tuple[Loop, ...]:
    """Ruby runs a loop's residual when every loop of its dimension outside it is on its last iteration, which
    always holds for the outermost one: its bound is its residual."""
    out = []
    for loop in loops:
        out.append(loop if loop.dim in seen else Loop(loop.dim, loop.residual, loop.axis))
        seen.add(loop.dim)
    return tuple(out)


def _loops(directive: dict, kind: str, source: str, where: str) -> tuple[Loop, ...]:
    for key in ("keep", "bypass"):
        if key in directive:
            raise StationaryError(f"a {kind} directive has no {key} list", source=source, where=where,
                                  field=key, value=directive[key])
    factors = directive.get("factors", "")
    if not isinstance(factors, str):
        raise StationaryError('must be factors like "C3 M12" or "C=3 M=12"', source=source, where=where,
                              field="factors", value=factors)
    bounds: dict[Dim, int] = {}
    residuals: dict[Dim, int] = {}
    written: dict[Dim, str] = {}
    for token, residual in loop_tokens(factors):
        match = _FACTOR.match(token)
        text = token if residual is None else f"{token},{residual}"
        try:
            if not match:
                raise StationaryError('is not a factor (a dimension and a number, like "C3", "C=3", or Ruby\'s '
                                      '"P=7,6": a bound of 7 whose last pass runs 6)')
            dim, bound = Dim.parse(match.group(1)), int(match.group(2))
            if dim in bounds:
                raise StationaryError("gives a dimension twice")
            loop = Loop(dim, bound, None, None if residual is None else int(residual))
            bounds[dim], residuals[dim], written[dim] = loop.bound, loop.residual, match.group(1).upper()
        except StationaryError as err:
            raise StationaryError(err.message, source=source, where=where, field="factors", value=text) from None
    order = _permutation(directive.get("permutation", ""), source, where)
    missing = [written[d] for d, b in bounds.items() if b > 1 and d not in order]
    if missing:
        raise StationaryError(f"the permutation does not place {', '.join(missing)}", source=source, where=where,
                              field="permutation", value=directive.get("permutation", ""))
    if kind == "temporal":
        if "split" in directive:
            raise StationaryError("a temporal directive has no split", source=source, where=where, field="split",
                                  value=directive["split"])
        return tuple(Loop(d, bounds[d], None, residuals[d]) for d in reversed(order) if bounds.get(d, 1) > 1)
    split = directive.get("split", len(order))
    if isinstance(split, bool) or not isinstance(split, int) or split < 0:
        raise StationaryError("must be a non-negative integer", source=source, where=where, field="split",
                              value=split)
    return tuple(Loop(d, bounds[d], Axis.X if pos < split else Axis.Y, residuals[d])
                 for pos, d in reversed(list(enumerate(order))) if bounds.get(d, 1) > 1)


def _permutation(value, source: str, where: str) -> list[Dim]:
    if not isinstance(value, str):
        raise StationaryError("must be a string of dimension letters, innermost first", source=source,
                              where=where, field="permutation", value=value)
    order = []
    for letter in value.replace(" ", ""):
        try:
            dim = Dim.parse(letter)
        except StationaryError as err:
            raise StationaryError(err.message, source=source, where=where, field="permutation",
                                  value=value) from None
        if dim in order:
            raise StationaryError(f"names {letter} twice", source=source, where=where, field="permutation",
                                  value=value)
        order.append(dim)
    return order


def _bypass(directive: dict, arch: Arch, index: int, source: str, where: str) -> frozenset:
    level = arch.levels[index]
    for key in ("factors", "permutation", "split"):
        if key in directive:
            raise StationaryError(f"a bypass directive has no {key}", source=source, where=where, field=key,
                                  value=directive[key])
    lists = {}
    for key in ("keep", "bypass"):
        raw = directive.get(key, [])
        if not isinstance(raw, list):
            raise StationaryError("must be a list of data spaces", source=source, where=where, field=key,
                                  value=raw)
        lists[key] = {tensor_name(v, source, where, key) for v in raw}
    both = lists["keep"] & lists["bypass"]
    if both:
        raise StationaryError("both keeps and bypasses a data space", source=source, where=where, field="bypass",
                              value=sorted(t.value for t in both))
    cannot = lists["keep"] - level.keeps
    if cannot:
        raise StationaryError(f"keeps a data space level {level.name} cannot hold", source=source, where=where,
                              field="keep", value=sorted(t.value for t in cannot))
    dropped = frozenset(lists["bypass"] & level.keeps)
    if index == 0 and dropped:
        raise StationaryError("the outermost level keeps every data space", source=source, where=where,
                              field="bypass", value=sorted(t.value for t in dropped))
    return dropped
