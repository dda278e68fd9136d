"""Network files: a YAML list of layers, read and written here; and ``load_network``, a zoo name or a file.

The format (docs/workload.md has the full description; examples/networks/small-cnn.yaml is an example)::

    network: tiny                      # optional, default: the file's name
    input: [3, 8, 8]                   # optional: C, H, W of the network input
    batch: 1                           # optional: N of every layer that does not set its own
    layers:
      - {name: conv1, kind: conv, M: 8, C: 3, H: 8, R: 3, pad: 1}
      - {name: fc1, kind: fc, M: 10, C: 512}

A bare list of layers is a file too; unnamed layers are called L1, L2, ... Every error names the file, the layer, the field and the value.

>>> net = network_from_yaml(network_to_yaml(load_network("lenet5", batch=2)))
>>> net == load_network("lenet5", batch=2)
True
>>> network_from_yaml("layers: [{name: c, kind: conv, M: 4, C: 3, H: 8, R: 3, U: 2}]", "net.yaml")
Traceback (most recent call last):
...
stationary.core.StationaryError: net.yaml: layer c: field 'pad_h' = 0: stride 2 gives a non-integer output size (8 + pad 0 - 3) / 2 + 1
"""
from __future__ import annotations

from pathlib import Path

import yaml

from stationary.core import StationaryError
from stationary.validation import check_int, load_yaml, read_text_file
from stationary.workload import zoo
from stationary.workload.chain import check_chain
from stationary.workload.layer import Layer, LayerKind
from stationary.workload.network import Network

_TOP_KEYS = ("network", "input", "batch", "layers")
_INT_KEYS = ("N", "M", "C", "G", "H", "W", "R", "S", "U", "E", "F", "pad", "pad_h", "pad_w", "dilation",
             "tokens", "d_in", "d_out", "heads")
_LAYER_KEYS = ("name", "kind", "inputs", "floor", "unchained") + _INT_KEYS
_MATMUL_KEYS = ("tokens", "d_in", "d_out", "heads")


def load_network(spec: str, batch: int | None = None) -> Network:
    """A zoo network by name (see :mod:`stationary.workload.zoo`) or a network YAML file by path.

    ``batch`` sets N for every layer; ``None`` keeps the file's N (a zoo network's is 1).

    >>> load_network("alexnet", batch=4)["FC6"].N
    4
    """
    if batch is not None:
        batch = check_int(batch, "batch")
    path = Path(str(spec))
    if zoo.is_zoo_name(spec) and not path.is_file():
        return zoo.get(spec, 1 if batch is None else batch)
    if not path.exists():
        raise StationaryError(f"no such file, and not a zoo network (the zoo has {', '.join(zoo.NAMES)})",
                              source=str(spec))
    net = load_network_yaml(path)
    return net if batch is None else net.with_batch(batch)


def load_network_yaml(path: str | Path) -> Network:
    """Read a network file (errors name the file, the layer, the field and the value)."""
    path = Path(path)
    text = read_text_file(path, "network")
    return network_from_yaml(text, str(path), default_name=path.stem)


def network_from_yaml(text: str, source: str = "<yaml>", default_name: str = "network") -> Network:
    """Parse a network from YAML text; ``source`` is the name errors give for it."""
    doc = load_yaml(text, source)
    try:
        return _network(doc, default_name)
    except StationaryError as err:
        raise err.located(source=source) from None


def network_to_yaml(net: Network) -> str:
    """The network as YAML text that :func:`network_from_yaml` reads back into an equal network.

    >>> print(network_to_yaml(load_network("lenet5")).splitlines()[4])
      - {name: C1, kind: conv, M: 6, C: 1, H: 28, R: 5, pad_h: 4, pad_w: 4}
    """
    batches = {layer.N for layer in net.layers}
    batch = batches.pop() if len(batches) == 1 else None
    lines = [yaml.safe_dump({"network": net.name}, default_flow_style=False).rstrip()]
    if net.input_shape is not None:
        lines.append(f"input: [{', '.join(str(v) for v in net.input_shape)}]")
    if batch is not None:
        lines.append(f"batch: {batch}")
    lines.append("layers:")
    for layer, inputs in zip(net.layers, net.inputs):
        entry = _layer_fields(layer, keep_n=batch is None)
        if inputs:
            entry["inputs"] = list(inputs)
        if net.unchained_reason(layer.name):
            entry["unchained"] = net.unchained_reason(layer.name)
        lines.append("  - " + yaml.safe_dump(entry, sort_keys=False, default_flow_style=True,
                                              width=float("inf")).strip())
    return "\n".join(lines) + "\n"


def dump_network_yaml(net: Network, path: str | Path) -> None:
    """Write :func:`network_to_yaml`'s text to ``path``."""
    Path(path).write_text(network_to_yaml(net), encoding="utf-8")


# ---- parsing ----------------------------------------------------------------------------------------------
def _network(doc, default_name: str) -> Network:
    if isinstance(doc, list):
        doc = {"layers": doc}
    if not isinstance(doc, dict):
        raise StationaryError("expected a mapping with 'layers', or a list of layers", field="document",
                              value=type(doc).__name__)
    _no_unknown_keys(doc, _TOP_KEYS, where=None)
    name = str(doc.get("network", default_name))
    batch = _integer(doc.get("batch", 1), None, "batch")
    layers_doc = doc.get("layers")
    if not isinstance(layers_doc, list) or not layers_doc:
        raise StationaryError("must be a non-empty list of layers", field="layers", value=layers_doc)
    layers, inputs, unchained = [], [], []
    for i, entry in enumerate(layers_doc, start=1):
        layer, srcs = _layer(entry, i, batch)
        layers.append(layer)
        inputs.append(srcs)
        if "unchained" in entry:
            unchained.append((layer.name, _reason(entry["unchained"], f"layer {layer.name}")))
    net = Network(name, tuple(layers), tuple(inputs), _input_shape(doc.get("input")), tuple(unchained))
    return check_chain(net)


def _reason(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise StationaryError("says why this layer's input does not follow from the layers feeding it: a "
                              "non-empty text", where=where, field="unchained", value=value)
    return value.strip()


def _input_shape(value) -> tuple[int, int, int] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 3:
        raise StationaryError("must be a list [C, H, W]", field="input", value=value)
    from stationary.validation import MAX_LOOP_BOUND
    shape = tuple(_integer(v, None, "input") for v in value)
    if min(shape) < 1 or max(shape) > MAX_LOOP_BOUND:
        raise StationaryError(f"sizes must be positive integers, at most {MAX_LOOP_BOUND:,} (the largest loop bound)",
                              field="input", value=value)
    return shape


def _layer(entry, index: int, batch: int) -> tuple[Layer, tuple[str, ...]]:
    if not isinstance(entry, dict):
        raise StationaryError("a layer must be a mapping of fields", where=f"layer #{index}", field="layer",
                              value=entry)
    name = entry.get("name", f"L{index}")
    if not isinstance(name, (str, int)) or isinstance(name, bool) or str(name) == "":
        raise StationaryError("must be a non-empty string", where=f"layer #{index}", field="name", value=name)
    where = f"layer {name}"
    _no_unknown_keys(entry, _LAYER_KEYS, where)
    if "kind" not in entry:
        raise StationaryError("every layer needs a kind (conv, depthwise, pointwise, fc, matmul)", where=where,
                              field="kind")
    kind_text = str(entry["kind"]).strip().lower()
    kind = LayerKind.parse(entry["kind"], where=where)
    f = {k: _integer(v, where, k) for k, v in entry.items() if k in _INT_KEYS}
    f.setdefault("N", batch)
    if any(k in f for k in _MATMUL_KEYS):
        _matmul_fields(f, kind, where)
    if kind_text == "depthwise":
        f.setdefault("G", f.get("M", 1))
        f.setdefault("C", 1)
    for required in ("M", "C"):
        if required not in f:
            raise StationaryError(f"a {kind_text} layer needs {required}", where=where, field=required)
    f.setdefault("H", 1)
    f.setdefault("R", 1)
    f.setdefault("W", _default_w(kind, f["H"]))
    f.setdefault("S", f["R"])
    _padding(f, where)
    if _flag(entry.get("floor", False), where, "floor"):
        _round_down(f)
    checks = {k: f.pop(k) for k in ("E", "F") if k in f}
    layer = Layer(str(name), kind, **f)
    for k, v in checks.items():
        if getattr(layer, k) != v:
            raise StationaryError(f"the shape gives {k} = {getattr(layer, k)}", where=where, field=k, value=v)
    return layer, _inputs(entry.get("inputs"), where)


def _matmul_fields(f: dict, kind: LayerKind, where: str) -> None:
    """tokens x d_in @ d_in x d_out per head -> the letters, as builders.matmul sets them."""
    if kind is not LayerKind.MATMUL:
        key = next(k for k in _MATMUL_KEYS if k in f)
        raise StationaryError("only a matmul layer takes tokens, d_in, d_out, heads", where=where, field=key,
                              value=f[key])
    for letter in ("M", "C", "H", "G"):
        if letter in f:
            raise StationaryError("give either tokens/d_in/d_out/heads or the letters M, C, H, G", where=where,
                                  field=letter, value=f[letter])
    heads = f.pop("heads", 1)
    f.update(H=f.pop("tokens", 1), G=heads, M=f.pop("d_out", 1) * heads, C=f.pop("d_in", 1))


def _padding(f: dict, where: str) -> None:
    """``pad`` is per side (the frameworks' convention); ``pad_h``/``pad_w`` are totals, as Layer keeps them.
    A side's padding stays within the filter's reach, as PyTorch requires: beyond it outputs see only padding."""
    if "pad" in f:
        pad = f.pop("pad")
        if pad < 0:
            raise StationaryError("must not be negative", where=where, field="pad", value=pad)
        for total in ("pad_h", "pad_w"):
            if total in f:
                raise StationaryError("give either pad (per side) or pad_h/pad_w (totals)", where=where,
                                      field=total, value=f[total])
            f[total] = 2 * pad
    for total, filt in (("pad_h", "R"), ("pad_w", "S")):
        reach = f.get("dilation", 1) * (f[filt] - 1)
        if f.get(total, 0) > 2 * reach:
            raise StationaryError(f"padding must not exceed the filter's reach ({reach}) on a side: beyond it an "
                                  "output sees only padding", where=where, field=total, value=f[total])


def _default_w(kind: LayerKind, h: int) -> int:
    """A convolution's input is square unless W is given; a matmul's tokens run along H only (W = 1)."""
    return h if kind is LayerKind.CONV else 1


def _round_down(f: dict) -> None:
    """Trim the padding to the rows the stride reaches, so the output size rounds down as frameworks do."""
    for size, pad, filt in (("H", "pad_h", "R"), ("W", "pad_w", "S")):
        span = f[size] + f.get(pad, 0) - f.get("dilation", 1) * (f[filt] - 1) - 1
        if span > 0:
            f[pad] = f.get(pad, 0) - span % f.get("U", 1)


def _flag(value, where: str, field: str) -> bool:
    if not isinstance(value, bool):
        raise StationaryError("must be true or false", where=where, field=field, value=value)
    return value


def _inputs(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise StationaryError("must be a list of layer names", where=where, field="inputs", value=value)
    return tuple(str(v) for v in value)


def _integer(value, where: str | None, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise StationaryError("must be an integer", where=where, field=field, value=value)
    return value


def _no_unknown_keys(doc: dict, known: tuple[str, ...], where: str | None) -> None:
    for key in doc:
        if key not in known:
            raise StationaryError(f"unknown key (expected one of {', '.join(known)})", where=where, field=str(key),
                                  value=doc[key])


# ---- writing ----------------------------------------------------------------------------------------------
def _layer_fields(layer: Layer, keep_n: bool) -> dict:
    out: dict = {"name": layer.name, "kind": layer.kind.value}
    if keep_n:
        out["N"] = layer.N
    out.update(M=layer.M, C=layer.C)
    defaults = {"G": 1, "H": 1, "W": _default_w(layer.kind, layer.H), "R": 1, "S": layer.R, "U": 1, "pad_h": 0, "pad_w": 0, "dilation": 1}
    out.update({k: getattr(layer, k) for k, default in defaults.items() if getattr(layer, k) != default})
    return out
