"""Bulk evaluator throughput on rows with remainders (not part of the test suite).

AlexNet CONV1 at batch 4 on ``eyeriss`` under RS: the tilings the mapper enumerates with remainders
(``tiling.tilings(..., remainders=True)``, 839,279 for the first bypass choice), the rows among them whose bounds
leave a remainder, ``--candidates`` of them drawn at random (seed 0) with random loop orders, evaluated by
``search.bulk.evaluate_batch`` in one call in a fresh process (cold caches), then another draw of the same size
(the caches warm, as in a search). The energies' sum is printed so that runs against other source trees (the
code before a change: ``PYTHONPATH=<old tree>/src``) can be checked to give the same numbers; ``--check K``
compares the first K candidates with ``stationary.model.evaluate`` one at a time.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_bulk_remainders.py [--candidates 2000] [--check 20]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from stationary.arch import preset
from stationary.core import DIMS
from stationary.mapping import Dataflow
from stationary.model import evaluate
from stationary.search import Objective
from stationary.search.bulk import evaluate_batch
from stationary.search.mapper import build_indexed
from stationary.search.refine import Space
from stationary.search.tiling import tilings
from stationary.workload import load_network


def draws(layer, arch, count: int):
    space = Space(layer, arch, Dataflow.RS, Objective.ENERGY)
    bypass = space.choices[0]
    rows, _ = tilings(layer, arch, Dataflow.RS, bypass, remainders=True)
    sizes = np.array([layer.dims[d] for d in DIMS])
    rows = rows[(rows.prod(axis=2) != sizes).any(axis=1)]
    rng = np.random.default_rng(0)
    for _ in range(2):
        pick = rows[rng.choice(len(rows), count, replace=False)]
        orders = space.canonical(pick, rng.permuted(np.tile(np.arange(8), (count, len(arch.levels), 1)), axis=2))
        yield bypass, pick, orders, len(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--candidates", type=int, default=2000)
    ap.add_argument("--check", type=int, default=0, help="compare the first K with the model, one at a time")
    args = ap.parse_args()
    layer, arch = load_network("alexnet", 4)["CONV1"], preset("eyeriss")
    for run, (bypass, rows, orders, total) in zip(("cold", "warm"), draws(layer, arch, args.candidates)):
        t0 = time.perf_counter()
        batch = evaluate_batch(layer, arch, bypass, rows, orders)
        seconds = time.perf_counter() - t0
        print(f"{run}: {len(rows):,} of {total:,} rows with remainders in {seconds:.2f} s: "
              f"{len(rows) / seconds:,.1f} candidates/s; energy sum {float(batch.energy.sum())!r}")
        if run == "cold" and args.check:
            t0 = time.perf_counter()
            for j in range(args.check):
                m = build_indexed(rows[j], orders[j], arch, bypass).fitted(layer.dims)
                assert evaluate(layer, arch, m, validate=False).energy.total == batch.energy[j]
            seconds = time.perf_counter() - t0
            print(f"model, one at a time: {args.check} in {seconds:.2f} s: {args.check / seconds:,.1f} "
                  "candidates/s (equal energies)")


if __name__ == "__main__":
    main()
