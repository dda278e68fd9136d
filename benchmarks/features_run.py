"""The full runs behind docs/features.md: every data set end to end, with the CNN trained for its default epochs.

    PYTHONPATH=src python benchmarks/features_run.py [mnist digits faces] [--out DIR]

Writes DIR/features_<data>.json (the `stationary features --json` list), DIR/features_<data>.txt (the tables) and
DIR/features_<data>.png (the plot; docs/img holds the committed ones); DIR defaults to features_out. Minutes per data set on a 2-core machine (training).
"""
from __future__ import annotations

import argparse
import json
import os
import time

from stationary import api
from stationary.report.features import plot_features, points_table, projection_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="*", default=["mnist", "digits", "faces"])
    parser.add_argument("--out", default="features_out")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name in args.data:
        start = time.time()
        result = api.features(name, progress=True)
        base = os.path.join(args.out, f"features_{name}")
        with open(base + ".json", "w") as fh:
            json.dump(result.json(), fh, indent=2)
        notes = "\n".join(f"  {p.pipeline}: {p.notes}" for p in result.points if p.notes)
        with open(base + ".txt", "w") as fh:
            fh.write(f"{result.split}\n\n{points_table(result.points)}\n{notes}\n\n"
                     f"{projection_table(result.projection)}\n")
        plot_features(result.points, base + ".png", title=f"Features: energy vs. accuracy ({name}, 65 nm)")
        print(f"{name}: {time.time() - start:.0f} s -> {base}.json/.txt/.png", flush=True)


if __name__ == "__main__":
    main()
