"""Checks at the edges, in one place: every file, command-line option and API argument a user gives is checked
once where it enters, and a bad one becomes a :class:`~stationary.core.StationaryError` naming the file, the
field and the value (the CLI prints it as one line with exit status 2).

What is here, for every reader and every command to reuse:

- :func:`load_yaml` / :func:`read_yaml_file`: ``yaml.safe_load`` that refuses duplicate keys (PyYAML keeps the
  last one silently), nesting deeper than :data:`MAX_YAML_DEPTH`, documents that expand (through aliases) past
  :data:`MAX_YAML_NODES` nodes, and files over :data:`MAX_TEXT_BYTES`.
- :func:`check_int`, :func:`check_float`: API arguments (``bool`` is not an int; NaN and infinities are refused
  unless asked for).
- :func:`int_arg`, :func:`float_arg`: argparse ``type=`` functions with bounds, so ``--jobs 0``, ``--seed -1``
  or ``--tolerance nan`` stop at the command line with the option named.
- :func:`load_npy`, :func:`check_npz`: NumPy files read without pickles, the header checked (dtype, shape,
  element count against a limit, the file long enough for its header's claim) before any data is read.

Limits (the error names them when one is exceeded): :data:`MAX_LOOP_BOUND` for any layer size (batch,
channels, rows ...), :data:`MAX_JOBS` worker processes, :data:`MAX_SEED`, :data:`MAX_EPOCHS`, :data:`MAX_PES`,
:data:`MAX_NPY_ELEMENTS` elements in a ``.npy``.

>>> load_yaml("a: 1\\nb: [2, 3]", "x.yaml")
{'a': 1, 'b': [2, 3]}
>>> load_yaml("word_bits: 16\\nword_bits: 8", "arch.yaml")
Traceback (most recent call last):
...
stationary.core.StationaryError: arch.yaml: line 2: field 'word_bits' = 8: duplicate key (first given at line 1)
>>> check_int(0, "jobs", low=1)
Traceback (most recent call last):
...
stationary.core.StationaryError: field 'jobs' = 0: must be a positive integer (at most ...)
>>> int_arg(1, 64)("8"), float_arg(0.0, 1.0)("0.5")
(8, 0.5)
"""
from __future__ import annotations

import argparse
import math
import os
import zipfile
from pathlib import Path

import yaml

from stationary.core import StationaryError

MAX_TEXT_BYTES = 16 * 1024 * 1024     # a spec, network or form file larger than this is not one
MAX_YAML_DEPTH = 64                   # nesting of lists and mappings (PyYAML recurses: deeper files crash it)
MAX_YAML_NODES = 1_000_000            # nodes after aliases are expanded (a "billion laughs" file stops here)
MAX_LOOP_BOUND = 2 ** 31 - 1          # any one layer size (N, M, C, H, W, R, S, U, G, pads): factoring stays fast
MAX_JOBS = 1024                       # worker processes
MAX_SEED = 2 ** 32 - 1                # NumPy's legacy seeds stop here; one range for every --seed
MAX_NPY_ELEMENTS = 1 << 28            # elements in one .npy array (2 GiB of float64)
MAX_EPOCHS = 1000                     # training or fine-tuning epochs (LeNet-5 trains in 5)
MAX_PES = 1 << 20                     # processing elements in a generated array
MAX_FIGURE = 1e18                     # any one figure in a file (mW, ms, MB, pJ, counts): past it, a typo


# ---- YAML ---------------------------------------------------------------------------------------------------
class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with duplicate keys refused and the nesting depth and expanded size bounded."""

    def __init__(self, stream, source: str):
        super().__init__(stream)
        self.source = source
        self._depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark
                raise StationaryError(f"nested more than {MAX_YAML_DEPTH} levels deep (the limit)",
                                      source=self.source, where=f"line {mark.line + 1}")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None:
            _check_expanded_size(node, self.source)
        return node

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:  # an unhashable key: PyYAML's own error says so
                    continue
                if first is not None:
                    value_node = next(v for k, v in node.value if k is key_node)
                    value = value_node.value if isinstance(value_node, yaml.ScalarNode) else "..."
                    raise StationaryError(f"duplicate key (first given at line {first + 1})", source=self.source,
                                          where=f"line {key_node.start_mark.line + 1}", field=str(key),
                                          value=_scalar(value))
                seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


class _LocalTagLoader(_StrictLoader):
    """The strict loader reading local tags (timeloopfe's ``!Component``, ``!Container``) as plain mappings, lists
    and scalars; a mapping keeps its tag name under ``_tag``."""


def _untag(loader, suffix, node):
    if isinstance(node, yaml.MappingNode):
        out = loader.construct_mapping(node, deep=True)
        out.setdefault("_tag", suffix)
        return out
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


_LocalTagLoader.add_multi_constructor("!", _untag)


def _scalar(text):
    """A YAML scalar's text as the value it stands for, for an error message."""
    try:
        return yaml.safe_load(text) if isinstance(text, str) and len(text) < 200 else text
    except yaml.YAMLError:
        return text


def _check_expanded_size(root, source: str) -> None:
    """Nodes in the document with every alias expanded, computed once per distinct node (no expansion)."""
    sizes: dict[int, int] = {}
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children = ([n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode)
                    else list(node.value) if isinstance(node, yaml.SequenceNode) else [])
        if done:
            sizes[id(node)] = 1 + sum(sizes.get(id(c), 1) for c in children)
            if sizes[id(node)] > MAX_YAML_NODES:
                raise StationaryError(f"expands to more than {MAX_YAML_NODES:,} values through aliases (the limit)",
                                      source=source)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)


def load_yaml(text: str, source: str = "<yaml>", *, local_tags: bool = False):
    """Parse YAML text safely; every problem is a StationaryError naming ``source`` (and the line). With
    ``local_tags``, ``!Name`` tags are read as plain data (timeloopfe's files use them)."""
    if not isinstance(text, str):
        raise StationaryError("expected YAML text", source=source, field="text", value=type(text).__name__)
    if len(text) > MAX_TEXT_BYTES:
        raise StationaryError(f"larger than {MAX_TEXT_BYTES // (1024 * 1024)} MiB (the limit for a text file)",
                              source=source)
    loader = None
    try:
        loader = (_LocalTagLoader if local_tags else _StrictLoader)(text, source)
        return loader.get_single_data()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else None
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise StationaryError(f"malformed YAML: {' '.join(problem.split())}", source=source, where=where) from None
    except RecursionError:
        raise StationaryError("nested too deeply", source=source) from None
    finally:
        if loader is not None:
            loader.dispose()


def read_text_file(path, kind: str) -> str:
    """A UTF-8 text file's contents, with one clear error for a missing, unreadable, binary or huge file."""
    if not isinstance(path, (str, os.PathLike)):
        raise StationaryError(f"a {kind} file must be given as a path", field=kind, value=path)
    source = os.fspath(path)
    try:
        size = os.path.getsize(source)
        if size > MAX_TEXT_BYTES:
            raise StationaryError(f"larger than {MAX_TEXT_BYTES // (1024 * 1024)} MiB (the limit for a {kind} file)",
                                  source=source)
        with open(source, encoding="utf-8") as handle:
            text = handle.read()
    except UnicodeDecodeError as err:
        raise StationaryError(f"cannot read the {kind} file (not UTF-8 text: byte {err.start})", source=source) from None
    except (OSError, ValueError) as err:  # ValueError: a NUL byte in the path
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise StationaryError(f"cannot read the {kind} file ({reason})", source=source) from None
    if "\x00" in text:
        raise StationaryError(f"cannot read the {kind} file (not text: a NUL byte at offset {text.index(chr(0))})",
                              source=source)
    return text


def read_yaml_file(path, kind: str):
    """:func:`read_text_file` then :func:`load_yaml`: the parsed document."""
    return load_yaml(read_text_file(path, kind), os.fspath(path))


# ---- numbers: API arguments and command-line options ----------------------------------------------------------
def check_int(value, field: str, *, low: int | None = 1, high: int | None = MAX_LOOP_BOUND,
              source: str | None = None, where: str | None = None) -> int:
    """``value`` as an int within [low, high] (None: unbounded that side), else a StationaryError naming it."""
    if isinstance(value, bool) or not isinstance(value, int):
        if not (hasattr(value, "__index__") and not isinstance(value, bool)):
            raise StationaryError("must be an integer", source=source, where=where, field=field, value=value)
        value = int(value.__index__())
    if (low is not None and value < low) or (high is not None and value > high):
        raise StationaryError(f"must be {_int_text(low, high)}", source=source, where=where,
                              field=field, value=value)
    return value


def check_float(value, field: str, *, low: float | None = None, high: float | None = None,
                allow_nonfinite: bool = False, source: str | None = None, where: str | None = None) -> float:
    """``value`` as a finite float within [low, high] (None: unbounded that side)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            import numpy as np
            if isinstance(value, np.number) and not isinstance(value, np.bool_):
                value = float(value)
            else:
                raise TypeError
        except TypeError:
            raise StationaryError("must be a number", source=source, where=where, field=field, value=value) from None
    try:
        number = float(value)
    except OverflowError:
        raise StationaryError("is too large", source=source, where=where, field=field, value=value) from None
    if not math.isfinite(number) and not allow_nonfinite:
        raise StationaryError("must be a finite number", source=source, where=where, field=field, value=value)
    exact = value if isinstance(value, int) else number    # 10**18 + 3 is past 1e18, though float() rounds it
    if (low is not None and exact < low) or (high is not None and exact > high):
        raise StationaryError(f"must be a number {_range_text(low, high)}", source=source, where=where,
                              field=field, value=value)
    return number


def _range_text(low, high) -> str:
    fmt = (lambda v: f"{v:,}" if isinstance(v, int) else f"{v:g}")
    if low is not None and high is not None:
        return f"from {fmt(low)} to {fmt(high)}"
    return f"of at least {fmt(low)}" if low is not None else f"of at most {fmt(high)}" if high is not None else ""


def int_arg(low: int | None = 1, high: int | None = MAX_LOOP_BOUND):
    """An argparse ``type`` accepting a decimal integer in [low, high]; the bounds travel on the function
    (``.low``, ``.high``) so tools can read them (the fuzz harness does)."""
    wanted = _int_text(low, high)

    def parse(text: str) -> int:
        try:
            value = int(str(text).strip(), 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}") from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}")
        return value
    parse.low, parse.high, parse.kind = low, high, int
    parse.__name__ = "integer"
    return parse


def _int_text(low, high) -> str:
    kind = {1: "a positive integer", 0: "a non-negative integer"}.get(low)
    if kind is None:
        return f"an integer {_range_text(low, high)}"
    return kind + (f" (at most {high:,})" if high is not None else "")


def float_arg(low: float | None = None, high: float | None = None, *, low_open: bool = False):
    """An argparse ``type`` accepting a finite number in [low, high] (``(low, high]`` with ``low_open``)."""
    def parse(text: str) -> float:
        try:
            value = float(str(text).strip())
        except ValueError:
            value = math.nan
        bad = (not math.isfinite(value) or (low is not None and (value < low or (low_open and value == low)))
               or (high is not None and value > high))
        if bad:
            shown = _range_text(low, high) if not low_open else f"above {low:g}" + (f" and at most {high:g}"
                                                                                     if high is not None else "")
            raise argparse.ArgumentTypeError(f"expected a finite number {shown}, got {text!r}")
        return value
    parse.low, parse.high, parse.kind = low, high, float
    parse.__name__ = "number"
    return parse


# ---- output files ---------------------------------------------------------------------------------------------
IMAGE_SUFFIXES = (".png", ".pdf", ".svg", ".svgz", ".jpg", ".jpeg", ".eps", ".ps", ".tif", ".tiff", ".webp")


def check_image_path(path: str, field: str) -> str:
    """A plot's output path, checked before any work: a format matplotlib writes, in a folder that exists."""
    suffix = os.path.splitext(str(path))[1].lower()
    if suffix not in IMAGE_SUFFIXES:
        raise StationaryError(f"an image file name ending in {', '.join(IMAGE_SUFFIXES)}", field=field, value=path)
    folder = os.path.dirname(os.path.abspath(str(path)))
    if not os.path.isdir(folder):
        raise StationaryError("the folder to write it in does not exist", field=field, value=path)
    return str(path)


# ---- NumPy files ------------------------------------------------------------------------------------------------
def _npy_header(handle, source: str):
    import numpy as np
    fmt = np.lib.format
    try:
        version = fmt.read_magic(handle)
        if version == (1, 0):
            shape, fortran, dtype = fmt.read_array_header_1_0(handle, max_header_size=10_000)
        elif version in ((2, 0), (3, 0)):
            shape, fortran, dtype = fmt.read_array_header_2_0(handle, max_header_size=10_000)
        else:
            raise ValueError(f"unknown .npy version {version}")
    except Exception as err:  # noqa: BLE001 - a corrupt header raises ValueError, SyntaxError, TokenError ...
        raise StationaryError(f"not a NumPy .npy array ({' '.join(str(err).split())[:160]})", source=source) from None
    return shape, fortran, dtype


def _check_header(shape, dtype, source: str, max_elements: int, kinds: str, data_bytes: int | None) -> None:
    import numpy as np
    if dtype.hasobject or dtype.kind not in kinds:
        raise StationaryError(f"needs an {_kinds_text(kinds)} dtype (object arrays and pickles are never loaded)", source=source, field="dtype",
                              value=str(dtype))
    elements = int(np.prod(shape, dtype=object)) if shape else 1
    if elements > max_elements:
        raise StationaryError(f"more than {max_elements:,} elements (the limit)", source=source, field="shape",
                              value=tuple(shape))
    if data_bytes is not None and data_bytes < elements * dtype.itemsize:
        raise StationaryError(f"the header claims {elements:,} elements of {dtype.itemsize} bytes but the file "
                              f"holds {data_bytes:,} bytes of data", source=source, field="shape", value=tuple(shape))


def _kinds_text(kinds: str) -> str:
    words = [("iu", "integer"), ("i", "signed integer"), ("u", "unsigned integer"), ("f", "float"), ("b", "boolean"),
             ("c", "complex"), ("U", "text")]
    out, left = [], kinds
    for letters, word in words:
        if all(k in left for k in letters):
            out.append(word)
            left = "".join(k for k in left if k not in letters)
    return " or ".join(out)


def load_npy(path, *, max_elements: int = MAX_NPY_ELEMENTS, kinds: str = "iuf", field: str | None = None):
    """A ``.npy`` array, its header checked before any data is read: numbers of the given dtype kinds only
    (``i`` int, ``u`` unsigned, ``f`` float, ``b`` bool), at most ``max_elements``, no pickles.

    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "a.npy"); np.save(path, np.arange(6).reshape(2, 3))
    >>> load_npy(path).shape
    (2, 3)
    >>> load_npy(path, max_elements=4)
    Traceback (most recent call last):
    ...
    stationary.core.StationaryError: ...a.npy: field 'shape' = (2, 3): more than 4 elements (the limit)
    """
    import numpy as np
    source = os.fspath(path) if isinstance(path, (str, os.PathLike)) else None
    if source is None:
        raise StationaryError("a .npy file must be given as a path", field=field or "file", value=path)
    try:
        with open(source, "rb") as handle:
            shape, _, dtype = _npy_header(handle, source)
            data_bytes = os.fstat(handle.fileno()).st_size - handle.tell()
            _check_header(shape, dtype, source, max_elements, kinds, data_bytes)
            handle.seek(0)
            return np.load(handle, allow_pickle=False)
    except StationaryError:
        raise
    except FileNotFoundError:
        raise StationaryError("no such .npy file", source=source) from None
    except (OSError, ValueError, EOFError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else " ".join(str(err).split())[:160]
        raise StationaryError(f"not a readable .npy array ({reason})", source=source) from None


def check_npz(path, *, max_elements: int = MAX_NPY_ELEMENTS, kinds: str = "iufU") -> None:
    """Check every array header in a ``.npz`` weight file (a zip of ``.npy`` files) before :func:`numpy.load` reads it:
    readable, no object arrays, at most ``max_elements`` in all, sizes consistent with the stored bytes."""
    source = os.fspath(path)
    if not Path(source).is_file():
        raise StationaryError("no such weight file", source=source)
    total = 0
    try:
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                with archive.open(info) as member:
                    shape, _, dtype = _npy_header(member, f"{source}: {info.filename}")
                    header = member.tell() if member.seekable() else 0
                    _check_header(shape, dtype, f"{source}: {info.filename}", max_elements, kinds,
                                  info.file_size - header if header else None)
                    total += int(math.prod(shape)) if shape else 1
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as err:
        raise StationaryError(f"not a readable .npz file ({' '.join(str(err).split())[:160]})", source=source) from None
    if total > max_elements:
        raise StationaryError(f"more than {max_elements:,} elements in all (the limit)", source=source)
