"""What both bulk evaluators share: the result arrays, the count totals, and energy and cycles from them.

Energy and cycles are summed in the model's order (``model.energy``, ``model.latency``), so they equal
``evaluate``'s bit for bit.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stationary.arch.spec import Arch
from stationary.core import DIMS, TENSORS, Tensor
from stationary.model.analysis import fanouts_crossed
from stationary.workload.layer import Layer

_KINDS = ("reads", "fills", "updates", "drains")


@dataclass(frozen=True, slots=True)
class Batch:
    """Per candidate: ``energy`` (float64), ``cycles`` and ``steps`` (int64); ``counts[(level name, tensor)]``
    is an ``(n, 4)`` array of reads, fills, updates, drains; ``network[(fan-out name, tensor)]`` transfers."""
    energy: np.ndarray
    cycles: np.ndarray
    steps: np.ndarray
    counts: dict
    network: dict


def count_hops(arch: Arch, bypass, hop, which: np.ndarray | None = None) -> tuple[dict, dict]:
    """Count totals per (level index, tensor) and transfers per (fan-out name, tensor), from ``hop(tensor,
    parent, child)``: each hop's arrays ``child_fills``, ``parent_reads`` and, for outputs, ``child_drains`` and
    ``parent_updates`` (the model's ``analyze_hops``, over a batch).

    With ``which``, ``bypass`` is a tuple of bypass choices and row ``j`` is under ``bypass[which[j]]``: each hop is
    computed once over every row and counted, masked, for the rows whose choice has it, so one bulk call serves a
    whole neighbourhood. A row's absent entries are zeros, which leave ``finish``'s sums bit for bit as they are."""
    totals: dict = {}
    network: dict = {}
    depth = len(arch.levels)
    cache: dict = {}
    choices = (bypass,) if which is None else bypass
    used = [0] if which is None else np.unique(which).tolist()
    for t in TENSORS:
        chains: dict = {}
        for b in used:
            chains.setdefault(tuple(i for i in range(depth) if t in arch.levels[i].keeps - choices[b][i]), []).append(b)
        for keepers, members in chains.items():
            mask = None if which is None else np.isin(which, members)
            for p, c in zip(keepers, keepers[1:] + (depth,)):
                if (t, p, c) not in cache:
                    cache[t, p, c] = hop(t, p, c)
                r = cache[t, p, c] if mask is None else {k: np.where(mask, v, 0) for k, v in cache[t, p, c].items()}
                moved = r["child_fills"] + r["child_drains"] - r["parent_updates"] if t is Tensor.PSUM \
                    else r["child_fills"]
                _add(totals, p, t, reads=r["parent_reads"], updates=r.get("parent_updates"))
                if c < depth:
                    _add(totals, c, t, fills=r["child_fills"], drains=r.get("child_drains"))
                for name in fanouts_crossed(arch, p, c):
                    network[(name, t)] = network[(name, t)] + moved if (name, t) in network else moved
    return totals, network


def _add(totals: dict, level: int, tensor: Tensor, **kinds) -> None:
    entry = totals.setdefault((level, tensor), [0, 0, 0, 0])
    for k, name in enumerate(_KINDS):
        if kinds.get(name) is not None:
            entry[k] = entry[k] + kinds[name]


def finish(layer: Layer, arch: Arch, n: int, steps: np.ndarray, counted: tuple[dict, dict]) -> Batch:
    """Energy, cycles and the count arrays of ``n`` candidates from :func:`count_hops`'s totals and transfers."""
    totals, network = counted
    zero = np.zeros(n, dtype=np.int64)
    counts, level_words = {}, [zero for _ in arch.levels]
    energy = np.zeros(n) + layer.macs * arch.mac.mac_energy
    for (i, t) in sorted(totals, key=lambda it: (it[0], TENSORS.index(it[1]))):   # the model's order of entries
        r, f, u, d = (np.broadcast_to(np.asarray(v, dtype=np.int64), (n,)) for v in totals[(i, t)])
        level = arch.levels[i]
        energy = energy + ((r + d).astype(np.float64) * level.read_cost(t)
                           + (f + u).astype(np.float64) * level.write_cost(t))
        counts[(level.name, t)] = np.stack([r, f, u, d], axis=1)
        level_words[i] = level_words[i] + r + f + u + d
    levels = {level.name: level for level in arch.levels}
    for (name, t), moved in network.items():
        cost = arch.mac.network_energy if name == "MAC" else levels[name].network_energy
        energy = energy + np.asarray(moved, dtype=np.float64) * cost
    cycles = steps.copy()
    for i, level in enumerate(arch.levels):
        if level.bandwidth_words_per_cycle is not None:
            need = np.ceil(level_words[i] / arch.instances(i) / level.bandwidth_words_per_cycle).astype(np.int64)
            cycles = np.maximum(cycles, need)
    return Batch(energy, cycles, steps, counts, {k: np.asarray(v) for k, v in network.items()})


def merged(n: int, parts: list) -> Batch:
    """One batch from batches of disjoint candidate subsets (``(indices, batch)`` pairs)."""
    energy, cycles, steps = np.zeros(n), np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    counts: dict = {}
    network: dict = {}
    for idx, b in parts:
        energy[idx], cycles[idx], steps[idx] = b.energy, b.cycles, b.steps
        for key, value in b.counts.items():
            counts.setdefault(key, np.zeros((n, 4), dtype=np.int64))[idx] = value
        for key, value in b.network.items():
            network.setdefault(key, np.zeros(n, dtype=np.int64))[idx] = value
    return Batch(energy, cycles, steps, counts, network)


def unique_rows(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index of each distinct row's first occurrence, each row's group): rows packed into one integer each
    when they fit in 62 bits (a 1-D sort is far faster than ``np.unique(axis=0)``)."""
    low = table.min(axis=0)
    span = table.max(axis=0) - low + 1
    if float(np.prod(span.astype(np.float64))) < 2.0 ** 62:
        radix = np.concatenate([[1], np.cumprod(span[:-1])]).astype(np.int64)
        _, first, inv = np.unique(((table - low) * radix).sum(axis=1), return_index=True, return_inverse=True)
    else:
        _, first, inv = np.unique(table, axis=0, return_index=True, return_inverse=True)
    return first, inv.reshape(-1)


def in_dims(dims: np.ndarray, members) -> np.ndarray:
    """``np.isin`` for dimension indices, by table lookup."""
    table = np.zeros(len(DIMS), dtype=bool)
    table[list(members)] = True
    return table[dims]
