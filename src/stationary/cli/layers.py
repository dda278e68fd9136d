"""`stationary layers NETWORK_OR_FILE`: each layer's shape (the talk's letters), MACs and weights.

Names: N batch, M filters (all groups), C input channels per group, G groups, H x W input, R x S filter,
U stride, E x F output; pad is the total rows/columns added (both sides). Timeloop calls M K, E P, F Q.
``--json`` prints one object per layer; docs/workload.md lists the fields.
"""
from __future__ import annotations

import sys

from stationary.cli._common import add_network_arguments, load_network_arg, print_json
from stationary.report.table import format_table, to_csv
from stationary.workload.layer import Layer
from stationary.workload.network import Network

_LETTERS = ("N", "M", "C", "G", "H", "W", "R", "S", "U", "E", "F")


def register(sub) -> None:
    p = sub.add_parser("layers", help="list a network's layers: shape, MACs, weights", description=__doc__)
    add_network_arguments(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON, one object per layer")
    out.add_argument("--csv", action="store_true", help="print the table as CSV")
    p.set_defaults(run=run)


def run(args) -> int:
    net = load_network_arg(args.network, args.batch)
    if args.json:
        print_json(layers_json(net))
        return 0
    headers, rows = layers_table(net)
    if args.csv:
        sys.stdout.write(to_csv(headers, rows))
        return 0
    print(f"{net.name}: {len(net)} layers, {net.macs:,} MACs, {net.weights:,} weights (batch {_batch(net)})")
    print(format_table(headers, rows))
    return 0


def layer_json(layer: Layer, inputs: tuple[str, ...]) -> dict:
    """One layer as plain values: name, kind, the letters, padding, MACs, weights, tensor sizes, inputs."""
    return {"layer": layer.name, "kind": layer.kind.value, **{k: getattr(layer, k) for k in _LETTERS},
            "pad_h": layer.pad_h, "pad_w": layer.pad_w, "dilation": layer.dilation, "macs": layer.macs,
            "weights": layer.weights, "ifmap_words": layer.ifmap_words, "ofmap_words": layer.ofmap_words,
            "inputs": list(inputs)}


def layers_json(net: Network) -> list[dict]:
    return [layer_json(layer, net.predecessors(layer.name)) for layer in net.layers]


def layers_table(net: Network) -> tuple[list[str], list[list]]:
    """Headers and rows (one per layer, then the total); an inputs column where the network has branches."""
    branchy = any(net.inputs)
    headers = ["layer", "kind", *_LETTERS, "pad", "MACs", "weights"] + (["inputs"] if branchy else [])
    rows = []
    for layer, inputs in zip(net.layers, net.inputs):
        pad = f"{layer.pad_h}" if layer.pad_h == layer.pad_w else f"{layer.pad_h},{layer.pad_w}"
        kind = "depthwise" if layer.is_depthwise else layer.kind.value
        rows.append([layer.name, kind, *(getattr(layer, k) for k in _LETTERS), pad, f"{layer.macs:,}",
                     f"{layer.weights:,}"] + ([" ".join(inputs)] if branchy else []))
    rows.append(["total", "", *([""] * len(_LETTERS)), "", f"{net.macs:,}", f"{net.weights:,}"]
                + ([""] if branchy else []))
    return headers, rows


def _batch(net: Network) -> str:
    return ",".join(str(n) for n in sorted({layer.N for layer in net.layers}))
