"""Regenerate docs/technology.md's comparison: every technology design on AlexNet, VGG-16 and ResNet-50.

    PYTHONPATH=src python benchmarks/tech_report.py [--out docs] [--networks alexnet,vgg16,resnet50]

Writes ``docs/img/technology.png`` (energy per MAC by level, latency on each bar), ``docs/data/technology.json`` (the
``stationary tech --json`` objects of every network) and prints the tables and the claim lines as Markdown.
Takes minutes (every part of every split of every layer is mapped).
"""
from __future__ import annotations

import argparse
import json
import os
import time

from stationary import api
from stationary.arch.designs import DESIGNS
from stationary.report.tech import claim_lines, grouped_pj, plot_tech, tech_json, GROUPS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs")
    parser.add_argument("--networks", default="alexnet,vgg16,resnet50")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    results, objects = {}, []
    for net in args.networks.split(","):
        start = time.perf_counter()
        rows = api.tech(net, list(DESIGNS), jobs=args.jobs)
        results[net] = rows
        objects += tech_json(rows, net)
        print(f"<!-- {net}: {time.perf_counter() - start:.0f} s -->")
        print(f"\n#### {net}\n")
        print("| design | PEs | area mm2 | pJ/MAC | " + " | ".join(GROUPS) + " | latency ms | energy vs base | speedup |"
              " weights on chip |")
        print("|" + "---|" * (9 + len(GROUPS)))
        for row in rows:
            r, g = row.result, grouped_pj(row.result)
            print(f"| {r.design} | {r.pes} | {r.area_mm2:.1f} | {r.energy_per_mac_pj:.2f} | "
                  + " | ".join(f"{g[k] / r.macs:.2f}" for k in GROUPS)
                  + f" | {r.latency_ms:.3f} | {row.energy_ratio:.2f}x | {1 / row.latency_ratio:.2f}x | "
                  f"{'yes' if r.result.resident else 'no'} |")
        print()
        for line in claim_lines(rows):
            print(line)
    os.makedirs(os.path.join(args.out, "img"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "data"), exist_ok=True)
    plot_tech(results, os.path.join(args.out, "img", "technology.png"))
    with open(os.path.join(args.out, "data", "technology.json"), "w") as handle:
        json.dump(objects, handle, indent=1)


if __name__ == "__main__":
    main()
