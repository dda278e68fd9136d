"""Full runs of the three compute-in-memory designs on real digits, for docs/cim.md: the accuracy-versus-
variation (and ADC bits) sweeps with their plots in docs/img/, energy per inference and per MAC beside the digital
Eyeriss model, and wall times. Trained weights are cached in out/ (gitignored).

    .venv/bin/python benchmarks/bench_cim.py [--samples N] [--quick]

--samples: test inputs per point (default: the whole test split; ISAAC uses --isaac-samples, default 500, since
it simulates every bit-serial crossbar read). --quick: a few points and 100 inputs, to check the script.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from stationary import api  # noqa: E402
from stationary.cim import run as cim_run  # noqa: E402
from stationary.cim.common import Design, Settings  # noqa: E402
from stationary.cli.cim import plot  # noqa: E402


def _prepared(design: Design, network: str, out: Path) -> cim_run.Prepared:
    """The design's trained model, trained once and cached as a weight file."""
    if design is Design.SRAM_BINARY:
        return cim_run.prepare(design, network, log=print)
    weights = out / f"{network}.npz"
    if weights.exists():
        return cim_run.prepare(design, network, weights=str(weights))
    prepared = cim_run.prepare(design, network, log=print)
    from stationary.infer import save_weights
    save_weights(str(weights), prepared.model)
    return prepared


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=None)
    parser.add_argument("--isaac-samples", type=int, default=500)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default=None, help="run only the plans of this design (e.g. isaac)")
    args = parser.parse_args()
    out = ROOT / "out"
    out.mkdir(exist_ok=True)
    img = ROOT / "docs" / "img"
    samples = 100 if args.quick else args.samples
    plans = [
        (Design.SRAM_BINARY, "variation", "variation=0:0.5:6", Settings(samples=samples)),
        (Design.SWITCHED_CAP, "variation", "variation=0:0.3:7", Settings(samples=samples)),
        (Design.SWITCHED_CAP, "adc_bits", "adc_bits=1:8:8", Settings(samples=samples)),
        (Design.ISAAC, "variation", "variation=0:0.3:7", Settings(samples=100 if args.quick else args.isaac_samples)),
        (Design.ISAAC, "adc_bits", "adc_bits=3:8:6", Settings(samples=100 if args.quick else args.isaac_samples)),
    ]
    if args.quick:
        plans = [(d, n, s.rsplit(":", 1)[0] + ":2", st) for d, n, s, st in plans]
    if args.only:
        plans = [p for p in plans if p[0] is Design.parse(args.only)]
    report = []
    for design, name, spec, settings in plans:
        network = cim_run.network_for(design, None)
        start = time.perf_counter()
        baseline = api.cim_baseline(cim_run.shapes(design, network))
        prepared = _prepared(design, network, out)
        results = cim_run.sweep(prepared, settings, *cim_run.parse_sweep(spec), baseline, progress=True)
        seconds = time.perf_counter() - start
        path = img / f"cim_{design.value}_{name}.png"
        plot(results, name, str(path))
        rows = [r.as_json() for r in results]
        report.append({"design": design.value, "sweep": spec, "seconds": seconds, "plot": str(path.relative_to(ROOT)),
                       "results": rows})
        print(f"\n## {design.value}: sweep {spec} ({results[0].samples} test inputs, {seconds:.0f} s)")
        print("| " + name + " | accuracy | ideal | EACB | energy/inference pJ | energy/MAC pJ | baseline pJ/MAC |")
        print("|---|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['settings'][name]:g} | {r['accuracy']:.3f} | {r['accuracy_ideal']:.3f} | "
                  f"{r.get('accuracy_eacb', float('nan')):.3f} | {r['energy_pj_per_inference']:,.1f} | "
                  f"{r['energy_pj_per_mac']:.3f} | {r['baseline']['energy_pj_per_mac']:.2f} |")
        sys.stdout.flush()
    name = f"bench_cim_{args.only}.json" if args.only else "bench_cim.json"
    (out / name).write_text(json.dumps(report, indent=1))
    print(f"\nwrote {out / name} and the plots in docs/img/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
