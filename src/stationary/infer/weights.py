"""Weight files: one ``.npz`` per model (numpy's zip of arrays, read with ``allow_pickle=False``).

Format (version 1): for every layer ``L`` of the network, arrays ``L/weight`` (``M x C x R x S`` for conv,
``M x C`` for FC; ``C`` per group) and ``L/bias`` (``M``), float32; plus ``__meta__``, a JSON string with
``format`` ("stationary-weights"), ``version`` (1), ``network`` (its name), ``layers`` (names in order) and
whatever the writer adds (``epoch``, ``test_accuracy``, ...). Loading checks every name and shape
against the network and raises :class:`StationaryError` on any mismatch. Writes are atomic (a temporary
file then a rename), so an interrupted save never destroys the previous file.

>>> import tempfile, os
>>> from stationary.infer.nets import build
>>> m = build("digits-cnn")
>>> path = os.path.join(tempfile.mkdtemp(), "w.npz")
>>> save_weights(path, m, epoch=3)
>>> w, meta = load_weights(path, m.network)
>>> meta["epoch"], w["FC2"][0].shape
(3, (10, 64))
"""
from __future__ import annotations

import json
import os
import tempfile
import zipfile

import numpy as np

from stationary.core import StationaryError
from stationary.infer.model import Model, check_weights
from stationary.validation import check_npz
from stationary.workload import Network

FORMAT, VERSION = "stationary-weights", 1


def save_weights(path: str, model: Model, **meta) -> None:
    """Write ``model``'s weights to ``path`` atomically; ``meta`` goes into ``__meta__`` (JSON values)."""
    arrays = {}
    for layer in model.network.layers:
        w, b = model.weights[layer.name]
        arrays[f"{layer.name}/weight"] = np.asarray(w, np.float32)
        arrays[f"{layer.name}/bias"] = np.asarray(b, np.float32)
    header = {"format": FORMAT, "version": VERSION, "network": model.network.name,
              "layers": [layer.name for layer in model.network.layers], **meta}
    arrays["__meta__"] = np.array(json.dumps(header))
    atomic_write(path, lambda f: np.savez(f, **arrays))


def atomic_write(path: str, write) -> None:
    """Call ``write(file)`` on a temporary file next to ``path``, then rename it over ``path``."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=os.path.basename(path), dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load_weights(path: str, net: Network) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], dict]:
    """Read a weight file written by :func:`save_weights`, checked against ``net``: (weights, meta)."""
    check_npz(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except FileNotFoundError:
        raise StationaryError("no such weight file", source=path) from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as err:
        raise StationaryError(f"not a readable .npz weight file ({err})", source=path) from None
    try:
        meta = json.loads(str(arrays.pop("__meta__")))
    except (KeyError, json.JSONDecodeError):
        raise StationaryError("not a stationary weight file (no __meta__ header)", source=path,
                              field="__meta__") from None
    if meta.get("format") != FORMAT or meta.get("version") != VERSION:
        raise StationaryError(f"unsupported weight file format (expected {FORMAT} version {VERSION})",
                              source=path, field="format", value=(meta.get("format"), meta.get("version")))
    if meta.get("network") != net.name:
        raise StationaryError(f"weights are for another network (expected {net.name})", source=path,
                              field="network", value=meta.get("network"))
    weights: dict[str, list] = {}
    for key, value in arrays.items():
        name, _, part = key.rpartition("/")
        if part not in ("weight", "bias") or not name:
            raise StationaryError("unexpected array in weight file", source=path, field="array", value=key)
        weights.setdefault(name, [None, None])[part == "bias"] = value
    for name, (w, b) in weights.items():
        if w is None or b is None:
            raise StationaryError("layer needs both weight and bias arrays", source=path,
                                  where=f"layer {name}", field="weight" if w is None else "bias")
    out = {name: (w.astype(np.float32), b.astype(np.float32)) for name, (w, b) in weights.items()}
    check_weights(net, out, source=path)
    return out, meta


def load_model(path: str, model: Model) -> tuple[Model, dict]:
    """``model`` with the weights from ``path`` (checked); returns (model, meta)."""
    weights, meta = load_weights(path, model.network)
    return model.with_weights(weights), meta
