"""Do a network's layers chain? Each layer's input must follow from the output of the layers feeding it.

The rule, for a layer fed by layers ``P`` (its ``inputs``, else the previous layer, else the network input):

- channels: its input channels ``C x G`` equal what ``P`` produce: the one producer's ``M``; for several, their
  sum (a concatenation) or their common ``M`` (an elementwise add). A network input gives ``input: [C, H, W]``.
- a CONV layer reads at most the rows and columns produced (``H <= E`` and ``W <= F`` of each producer: pooling and
  cropping only shrink a map, which is why pooling layers need not be listed).
- an FC layer flattens: ``C`` is the producers' channels times a map of at most ``E x F``; an FC layer has no
  spatial extent (``H = W = R = S = 1``).
- a MATMUL layer's ``d_in`` (``C``) is its producer's last dimension (its ``d_out``, ``M / heads``, or ``M``).

Where a layer's input does not follow from its producers by this rule (a reshape, an upsampling, layers left out
of the file), the file says so with ``unchained: <why>`` on that layer, and the reason is kept with the network.

>>> from stationary.workload.builders import conv, fc
>>> from stationary.workload.network import Network
>>> chain_problems(Network("ok", (conv("c1", 8, 3, 8, 3), fc("f1", 10, 8 * 6 * 6))))
[]
>>> chain_problems(Network("bad", (conv("c1", 8, 3, 8, 3), fc("f1", 10, 999))))
[('f1', 'C', 999, 'an FC layer flattens its input: C must be 8 channels x at most 6 x 6 positions (a multiple of 8 up to 288)')]
"""
from __future__ import annotations

from stationary.core import StationaryError
from stationary.workload.layer import Layer, LayerKind
from stationary.workload.network import NETWORK_INPUT, Network

Problem = tuple  # (layer name, field, value, why)


def chain_problems(net: Network) -> list[Problem]:
    """Every layer whose input does not follow from its producers (layers marked ``unchained`` excepted)."""
    by_name = {layer.name: layer for layer in net.layers}
    problems: list[Problem] = []
    for i, layer in enumerate(net.layers):
        if net.unchained_reason(layer.name):
            continue
        sources = net.inputs[i] or ((net.layers[i - 1].name,) if i else (NETWORK_INPUT,))
        producers = [_output(by_name[s], net) if s != NETWORK_INPUT else _network_input(net) for s in sources]
        if any(p is None for p in producers):
            continue   # the network input's shape is not given: nothing to check against
        problem = _check(layer, producers)
        if problem is not None:
            problems.append((layer.name, *problem))
    return problems


def check_chain(net: Network, source: str | None = None) -> Network:
    """``net`` if its layers chain, else a StationaryError naming the first layer, field and value."""
    problems = chain_problems(net)
    if problems:
        name, field, value, why = problems[0]
        raise StationaryError(f"{why} (if this layer's input comes from elsewhere, say why with `unchained: "
                              "<reason>`)", source=source, where=f"layer {name}", field=field, value=value)
    return net


def _network_input(net: Network):
    if net.input_shape is None:
        return None
    c, h, w = net.input_shape
    return ("input", c, h, w, LayerKind.CONV)


def _output(layer: Layer, net: Network):
    if layer.kind is LayerKind.MATMUL:
        return (layer.name, layer.M, layer.E, layer.F, LayerKind.MATMUL)
    return (layer.name, layer.M, layer.E, layer.F, layer.kind)


def _channels(producers) -> set[int]:
    """What the producers' channels may add up to: their sum (a concatenation), or their common count (an add)."""
    counts = [p[1] for p in producers]
    options = {sum(counts)}
    if len(set(counts)) == 1:
        options.add(counts[0])
    return options


def _check(layer: Layer, producers):
    channels_in = layer.C * layer.G
    options = _channels(producers)
    names = "+".join(p[0] for p in producers)
    rows, cols = min(p[2] for p in producers), min(p[3] for p in producers)
    if layer.kind is LayerKind.CONV:
        if channels_in not in options:
            field, value = ("C", layer.C) if layer.G == 1 else ("G", layer.G)
            return field, value, (f"the input has {_text(options)} channels ({names}) but this layer reads "
                                  f"C x G = {layer.C} x {layer.G} = {channels_in}")
        if layer.H > rows or layer.W > cols:
            field, value, have = ("H", layer.H, rows) if layer.H > rows else ("W", layer.W, cols)
            return field, value, (f"the input map is {rows} x {cols} ({names}): a layer can read no more "
                                  f"(pooling and cropping only shrink it)")
        return None
    if layer.kind is LayerKind.FC:
        for field in ("H", "W", "R", "S"):
            if getattr(layer, field) != 1:
                return field, getattr(layer, field), "an FC layer has no spatial extent (H, W, R, S are 1)"
        ok = any(channels_in % c == 0 and channels_in // c <= rows * cols for c in options)
        if not ok:
            c = max(options)
            return "C", layer.C, (f"an FC layer flattens its input: C must be {_text(options)} channels x at most "
                                  f"{rows} x {cols} positions (a multiple of {c} up to {c * rows * cols})")
        return None
    last = {p[1] for p in producers} | {p[1] // max(1, layer.G) for p in producers}
    if producers[0][4] is LayerKind.MATMUL and layer.C not in last | options:
        return "C", layer.C, f"d_in must be the producer's output width ({_text(last | options)}; {names})"
    return None


def _text(options: set[int]) -> str:
    return " or ".join(str(v) for v in sorted(options))
