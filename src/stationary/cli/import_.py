"""`stationary import`: an ONNX model to a network YAML file (docs/importers.md), which `stationary layers`
and the other commands read like a zoo name. Needs the onnx extra: pip install 'stationary[onnx]'."""
from __future__ import annotations

import sys

from stationary.core import StationaryError
from stationary.workload.files import dump_network_yaml, network_to_yaml
from stationary.workload.importers import from_onnx


def register(sub) -> None:
    p = sub.add_parser("import", help="convert an ONNX model to a network YAML file", description=__doc__)
    p.add_argument("model", help="path to an .onnx file")
    p.add_argument("-o", "--output", metavar="NET.yaml", help="write the network here (default: print it)")
    p.add_argument("--name", help="the network's name (default: the graph's name or the file's)")
    p.add_argument("--dim", action="append", default=[], metavar="NAME=SIZE",
                   help="bind a symbolic input dimension, e.g. --dim batch=1 (repeatable)")
    p.set_defaults(run=run)


def run(args) -> int:
    net = from_onnx(args.model, args.name, dims=dict(_binding(text) for text in args.dim))
    if not args.output:
        sys.stdout.write(network_to_yaml(net))
        return 0
    dump_network_yaml(net, args.output)
    print(f"wrote {args.output}: {net.name}, {len(net)} layers, {net.macs:,} MACs, {net.weights:,} weights",
          file=sys.stderr)
    return 0


def _binding(text: str) -> tuple[str, int]:
    name, _, size = text.partition("=")
    if not name or not size.strip().isdigit() or int(size) < 1:
        raise StationaryError("expected NAME=SIZE with a positive size", field="--dim", value=text)
    return name.strip(), int(size)
