"""What a design point is: a registry of point kinds, so a study can sweep any platform through one runner.

A :class:`PointKind` turns a point's settings (the study's fixed settings with one value per axis) into a
*description* (plain JSON data, complete: it is all a worker needs, on this machine or another), says what the
description measures before evaluation (for constraints: ``area``, ``pes``, ...), and evaluates it into a record
``{"totals": {...}, "layers": [{...}, ...]}`` of plain JSON data. Totals name their units (``energy`` with
``energy_unit``, ``latency_ms``, ``area``); the store, the executors, the frames and the report need nothing else,
so a new platform is a new kind, not a change to them.

Kinds are found by name in :data:`KINDS` (name -> ``"module:attribute"``), or a study file names one directly as
``kind: package.module:ATTRIBUTE``; workers import the kind by that path, so it works in other processes and on
other machines. The default kind, ``accelerator``, maps and evaluates a network through ``stationary.api``.

>>> kind = get_kind("accelerator")
>>> kind.name, "area" in kind.measures
('accelerator', True)
>>> get_kind("no-such-kind")
Traceback (most recent call last):
...
stationary.core.StationaryError: field 'kind' = 'no-such-kind': unknown point kind (kinds: accelerator, crosslevel; or module:attribute)
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

from stationary.core import StationaryError

KINDS: dict[str, str] = {"accelerator": "stationary.study.accelerator:KIND",
                         "crosslevel": "stationary.study.crosslevel:KIND"}


@dataclass(frozen=True, slots=True)
class PointKind:
    """``describe(settings, source, base_dir)`` -> description; ``measure(description)`` -> {quantity: number};
    ``evaluate(description)`` -> record; ``measures`` names the quantities ``measure`` returns; ``base(settings,
    source, base_dir, quantity)`` the value of a quantity for the fixed settings alone (``equal_to: base``) or
    for a reference name (``equal_to: eyeriss``)."""
    name: str
    describe: Callable[[dict, str, str], dict]
    measure: Callable[[dict], dict]
    evaluate: Callable[[dict], dict]
    reference: Callable[[dict, str, str, str], float]
    measures: tuple[str, ...] = ()


def register_kind(name: str, target: str) -> None:
    """Make ``name`` mean the PointKind at ``target`` (``"package.module:ATTRIBUTE"``) in study files."""
    if ":" not in target:
        raise StationaryError("a kind's target is module:attribute", field="target", value=target)
    KINDS[name] = target


def kind_target(name: str) -> str:
    """The import path of a kind (what workers are given, so a kind registered here works on any machine)."""
    target = KINDS.get(name, name if ":" in name else None)
    if target is None:
        raise StationaryError(f"unknown point kind (kinds: {', '.join(sorted(KINDS))}; or module:attribute)",
                              field="kind", value=name)
    return target


def get_kind(name: str) -> PointKind:
    module, _, attribute = kind_target(name).partition(":")
    try:
        kind = getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError) as err:
        raise StationaryError(f"cannot import the point kind ({err})", field="kind", value=name) from None
    if not isinstance(kind, PointKind):
        raise StationaryError("not a PointKind", field="kind", value=name)
    return kind


def evaluate_point(kind: str, description: dict) -> tuple[dict, dict]:
    """Evaluate one design point in this process: (record, run facts). Run facts (seconds, worker, layers taken
    from earlier points) vary between runs and are kept apart from the record, which must not."""
    import os
    import socket
    import time
    start = time.perf_counter()
    record = get_kind(kind).evaluate(description)
    run = dict(record.pop("run", {}))
    run.update(seconds=time.perf_counter() - start, worker=f"{socket.gethostname()}:{os.getpid()}")
    return record, run
