"""The fuzz harness: malformed inputs for every command and file kind, run in subprocesses with limits.

Commands and their options are DISCOVERED from ``stationary.cli.build_parser()``, so a command added to
``COMMANDS`` is fuzzed without touching this file. What cannot be read off the parser is in the tables below:
a fast valid invocation per command (``BASES``), which positional or option names a file of which kind
(``FILE_KINDS``), which options take free text or name an output (anything goes there), and which commands run
for minutes on valid input (``SLOW``: only inputs that must be refused are given to them).

Case families (each case: an argv, the files it names, and what must happen):

- ``number``: every numeric option (``type=int``/``float`` or :func:`stationary.validation.int_arg`/``float_arg``)
  gets NaN, infinities, -1, 10^30, 10^18 + 3, 1e308, hex, empty and non-numbers: exit 2 with one line.
  Bounded options also get low - 1 and high + 1 (exit 2) and their low and high ends (any exit, in time).
- ``text``: free-text options (``--dataflow``, ``--layer`` ...) get names that mean nothing: exit 2.
- ``structured``: hypothesis mutates valid YAML documents (arch, network, mapping, problem, densities, form):
  a value that no field takes, an unknown key, a duplicate key, deep nesting, an alias bomb: exit 2.
- ``bytes``: byte-level mutations of every file kind (.npy, .npz, .onnx and the YAML kinds): flips, cuts,
  insertions, NULs; the result may still be valid, so any exit status passes, but never a traceback or hang.

Every case must end within its time limit, never print a traceback, never exit 3 (an internal error), and a
refusal (exit 2) must be exactly one line on stderr starting with ``stationary``.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from strategies import document_paths

HERE = Path(__file__).parent
TINY_NETWORK = """network: tiny
input: [3, 8, 8]
layers:
  - {name: conv1, kind: conv, M: 4, C: 3, H: 8, R: 3, pad: 1}
  - {name: conv2, kind: conv, M: 8, C: 4, H: 8, R: 3}
  - {name: fc1, kind: fc, M: 10, C: 288}
"""

# ---- what the parser cannot say ----------------------------------------------------------------------------
# a fast, valid invocation per command (file names refer to SEED_FILES); commands not listed get one guessed
BASES = {
    "zoo": ["zoo", "lenet5"],
    "layers": ["layers", "tiny.yaml"],
    "import": ["import", "tiny.onnx"],
    "evaluate": ["evaluate", "--arch", "tl-arch.yaml", "--problem", "problem.yaml", "--mapping", "map.yaml"],
    "compare": ["compare", "tiny.yaml", "--pes", "256", "--batch", "1", "--jobs", "1", "--quiet"],
    "map": ["map", "tiny.yaml", "--arch", "eyeriss", "--layer", "conv2", "--quiet"],
    "train": ["train", "lenet5", "--epochs", "1", "--out", "w.npz"],
    "quantize": ["quantize", "lenet5", "--weights", "lenet5.npz"],
    "prune": ["prune", "lenet5", "--weights", "lenet5.npz"],
    "simulate": ["simulate", "tiny.yaml", "--layer", "conv2", "--arch", "eyeriss"],
    "chip": ["chip", "tiny.yaml", "--densities", "densities.yaml"],
    "rlc": ["rlc", "a.npy"],
    "form": ["form", "form.yaml", "--check"],
    "timeloop-diff": ["timeloop-diff", "--arch", "tl-design.yaml", "--ert", "ERT.yaml", "--problem", "tld-problem.yaml",
                      "--mapping", "tld-map.yaml", "--stats", "tld-stats.txt"],
}
# values for a positional or required option of a command not in BASES, by its dest
GUESSES = {"network": "tiny.yaml", "arch": "eyeriss", "layer": "conv2", "file": "tiny.yaml", "model": "tiny.onnx"}
# which destinations name an input file of which kind (per command where it differs)
FILE_KINDS = {
    "network": "network", "arch": "arch", "mapping": "mapping", "problem": "problem", "densities": "densities",
    "model": "onnx", "inputs": "npy", "ert": "ert", "arch_constraints": "tl-constraints", "stats": "stats",
    ("timeloop-diff", "arch"): "tl-design", ("timeloop-diff", "problem"): "tld-problem",
    ("timeloop-diff", "mapping"): "tld-map",
    ("simulate", "weights"): "npy", ("quantize", "weights"): "npz", ("prune", "weights"): "npz",
    ("rlc", "file"): "npy", ("form", "file"): "form",
}
OUTPUTS = {"output", "out", "plot", "png", "form", "cache_dir", "timeloop_dir", "timeloop_map"}  # paths to write
# Timeloop's and Accelergy's own formats: their readers take what they use and leave the rest (real files carry
# many attributes), so a structured mutation there may be ignored: any exit passes, never a traceback or hang
LENIENT_KINDS = {"tl-design", "ert", "tl-constraints", "tld-problem", "tld-map"}
FREE_TEXT = {"name"}                                                 # any text is a valid value
# commands that run for minutes on valid input: they get only inputs that must be refused
SLOW = {"train", "quantize", "prune"}
# option values that are valid but not worth the time on a valid base (documented, bounded elsewhere)
SKIP_ENDS = {("compare", "pes"), ("compare", "batch"), ("map", "top"), ("map", "jobs"), ("evaluate", "jobs"),
             ("compare", "jobs"), ("simulate", "batch"), ("chip", "batch"), ("map", "batch"), ("layers", "batch"),
             ("evaluate", "batch"), ("simulate", "pes")}

ABSURD_NUMBERS = ["nan", "inf", "-inf", "-1", "1e308", str(10 ** 30), str(10 ** 18 + 3), "-" + str(10 ** 30),
                  "0x10", "", "abc", "1,5", "1e", "--"]
NONSENSE_TEXT = ["nosuch", "", " ", "../../etc/passwd", "x" * 300, "\u00e9\u4e2d\u0646", "-1", "{}"]


@dataclass
class Case:
    id: str
    argv: list
    files: dict = field(default_factory=dict)          # name -> bytes
    must_refuse: bool = True                           # exit 2 required (else any exit passes)
    timeout_s: float = 10.0

    def payload(self) -> dict:
        return {"id": self.id, "argv": self.argv, "timeout_s": self.timeout_s,
                "files": {k: base64.b64encode(v).decode() for k, v in self.files.items()}}


# ---- discovery -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Option:
    command: str
    dest: str
    flag: str | None          # None for a positional
    kind: str                 # number, choice, flag, file, output, text
    number_type: type | None = None
    low: float | None = None
    high: float | None = None
    file_kind: str | None = None
    required: bool = False
    choices: tuple = ()


def discover() -> dict[str, list[Option]]:
    """Every command (by the name it is typed with) and its options, read from the parser."""
    from stationary.cli import build_parser
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    out = {}
    for name, command in sub.choices.items():
        if command in [p for n, p in sub.choices.items() if n in out]:
            continue  # an alias
        out[name] = [_option(name, a) for a in command._actions if not isinstance(a, argparse._HelpAction)]
    return out


def _option(command: str, action: argparse.Action) -> Option:
    flag = max(action.option_strings, key=len) if action.option_strings else None
    required = action.required if flag else action.nargs not in ("?", "*")
    base = dict(command=command, dest=action.dest, flag=flag, required=required)
    if action.nargs == 0:
        return Option(kind="flag", **base)
    if action.choices:
        return Option(kind="choice", choices=tuple(action.choices), **base)
    number_type = getattr(action.type, "kind", None) or (action.type if action.type in (int, float) else None)
    if number_type is not None:
        return Option(kind="number", number_type=number_type, low=getattr(action.type, "low", None),
                      high=getattr(action.type, "high", None), **base)
    file_kind = FILE_KINDS.get((command, action.dest)) or FILE_KINDS.get(action.dest)
    if file_kind:
        return Option(kind="file", file_kind=file_kind, **base)
    if action.dest in OUTPUTS:
        return Option(kind="output", **base)
    return Option(kind="text", **base)


def base_argv(command: str, options: list[Option]) -> list[str]:
    if command in BASES:
        return list(BASES[command])
    argv = [command]
    for opt in options:
        if not opt.required:
            continue
        value = opt.choices[0] if opt.choices else GUESSES.get(opt.dest, "x")
        argv += [value] if opt.flag is None else [opt.flag, value]
    return argv


def with_value(argv: list[str], opt: Option, value: str) -> list[str]:
    """``argv`` with ``opt`` set to ``value`` (replaced where present, added otherwise)."""
    argv = list(argv)
    if opt.flag is None:
        positionals = [i for i, a in enumerate(argv[1:], 1) if not a.startswith("-")
                       and not argv[i - 1].startswith("-")]
        index = _positional_index(opt)
        if index is not None and index < len(positionals):
            argv[positionals[index]] = value
            return argv
        return argv + [value]
    if opt.flag in argv:
        i = argv.index(opt.flag)
        argv[i + 1] = value
        return argv
    return argv + [f"{opt.flag}={value}"]


_POSITIONAL_ORDER: dict[tuple[str, str], int] = {}


def _positional_index(opt: Option):
    return _POSITIONAL_ORDER.get((opt.command, opt.dest))


# ---- seed files ----------------------------------------------------------------------------------------------
def seed_files() -> dict[str, bytes]:
    """Valid files of every kind, built here (nothing read from outside the repository)."""
    from stationary.arch import arch_to_yaml, preset
    files = {"tiny.yaml": TINY_NETWORK.encode()}
    files["eyeriss.yaml"] = arch_to_yaml(preset("eyeriss")).encode()
    files["tl-arch.yaml"] = arch_to_yaml(preset("timeloop-eyeriss-like")).encode()
    files["problem.yaml"] = (HERE / "data" / "timeloop" / "conv1.problem.yaml").read_bytes()
    files["map.yaml"] = (HERE / "data" / "timeloop" / "conv1.map.yaml").read_bytes()
    design, case = HERE / "data" / "timeloop" / "design", HERE / "data" / "timeloop" / "cases" / "alexnet_fc7_b16"
    files["tl-design.yaml"] = (design / "arch.yaml").read_bytes()
    files["ERT.yaml"] = (design / "ERT.yaml").read_bytes()
    files["tl-constraints.yaml"] = (design / "arch_constraints.yaml").read_bytes()
    files["tld-problem.yaml"] = (case / "problem.yaml").read_bytes()
    files["tld-map.yaml"] = (case / "map.yaml").read_bytes()
    files["tld-stats.txt"] = (case / "stats.txt").read_bytes()
    files["densities.yaml"] = b"conv1: 0.5\nconv2: 0.25\n"
    from importlib import resources
    files["form.yaml"] = resources.files("stationary.data").joinpath("eyeriss_form.yaml").read_bytes()
    files["a.npy"] = _npy(np.arange(-40, 60, dtype=np.int16).reshape(10, 10) * (np.arange(100).reshape(10, 10) % 3 == 0))
    files["lenet5.npz"] = _lenet5_weights()
    files["tiny.onnx"] = _onnx()
    return {k: v for k, v in files.items() if v is not None}


SEED_OF_KIND = {"network": "tiny.yaml", "arch": "eyeriss.yaml", "problem": "problem.yaml", "mapping": "map.yaml",
                "densities": "densities.yaml", "form": "form.yaml", "npy": "a.npy", "npz": "lenet5.npz",
                "onnx": "tiny.onnx", "tl-design": "tl-design.yaml", "ert": "ERT.yaml",
                "tl-constraints": "tl-constraints.yaml", "tld-problem": "tld-problem.yaml", "tld-map": "tld-map.yaml",
                "stats": "tld-stats.txt"}
YAML_KINDS = ("network", "arch", "problem", "mapping", "densities", "form", "tl-design", "ert", "tl-constraints",
              "tld-problem", "tld-map")


def _npy(array) -> bytes:
    import io
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


def _lenet5_weights() -> bytes:
    from stationary.infer.nets import lenet5
    from stationary.infer.weights import save_weights
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "w.npz")
        save_weights(path, lenet5(seed=0))
        return Path(path).read_bytes()


def _onnx() -> bytes | None:
    try:
        from onnx import TensorProto, helper, numpy_helper
    except ImportError:
        return None
    rng = np.random.default_rng(0)
    init = lambda name, shape: numpy_helper.from_array(rng.standard_normal(shape).astype(np.float32), name)  # noqa: E731
    nodes = [helper.make_node("Conv", ["x", "w1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["c1"], ["r1"]),
             helper.make_node("Flatten", ["r1"], ["f"]),
             helper.make_node("Gemm", ["f", "w2"], ["y"], name="fc", transB=1)]
    graph = helper.make_graph(nodes, "tiny", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])],
                              [init("w1", (4, 3, 3, 3)), init("w2", (10, 4 * 8 * 8))])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString()


# ---- case families -------------------------------------------------------------------------------------------
def number_cases(command: str, options: list[Option], base: list[str], files: dict) -> list[Case]:
    cases = []
    for opt in options:
        if opt.kind != "number":
            continue
        for value in ABSURD_NUMBERS:
            cases.append(Case(f"{command}:{opt.dest}={value[:20]!r}", with_value(base, opt, value), files))
        for value in _just_outside(opt):
            cases.append(Case(f"{command}:{opt.dest}={value}", with_value(base, opt, value), files))
        if command not in SLOW and (command, opt.dest) not in SKIP_ENDS:
            for value in _ends(opt):
                cases.append(Case(f"{command}:{opt.dest}={value}(end)", with_value(base, opt, value), files,
                                  must_refuse=False, timeout_s=30))
    return cases


def _just_outside(opt: Option) -> list[str]:
    if opt.number_type is not int:
        return []
    return [str(v) for v in ((opt.low - 1) if opt.low is not None else None,
                             (opt.high + 1) if opt.high is not None else None) if v is not None]


def _ends(opt: Option) -> list[str]:
    return [repr(v) if isinstance(v, float) else str(v) for v in (opt.low, opt.high) if v is not None]


def text_cases(command: str, options: list[Option], base: list[str], files: dict) -> list[Case]:
    cases = []
    for opt in options:
        if opt.kind == "choice":
            values = ["nosuch", ""]
        elif opt.kind == "text" and opt.dest not in FREE_TEXT:
            values = NONSENSE_TEXT
        else:
            continue
        for value in values:
            cases.append(Case(f"{command}:{opt.dest}={value[:20]!r}", with_value(base, opt, value), files))
    return cases


def file_cases(command: str, options: list[Option], base: list[str], files: dict, rng: random.Random,
               structured: dict[str, list[tuple[bytes, str]]], per_file: int) -> list[Case]:
    cases = []
    for opt in options:
        if opt.kind != "file" or opt.file_kind not in SEED_OF_KIND:
            continue
        seed_name = SEED_OF_KIND[opt.file_kind]
        if seed_name not in files:
            continue
        name = "input" + Path(seed_name).suffix
        argv = with_value(base, opt, name)
        for data, what in structured.get(opt.file_kind, [])[:per_file]:
            cases.append(Case(f"{command}:{opt.dest}:{what}", argv, {**files, name: data},
                              must_refuse=opt.file_kind not in LENIENT_KINDS))
        if command in SLOW:
            cases.append(Case(f"{command}:{opt.dest}:truncated", argv, {**files, name: files[seed_name][:50]}))
            continue
        for i in range(per_file):
            data, what = mutate_bytes(files[seed_name], rng)
            cases.append(Case(f"{command}:{opt.dest}:bytes#{i}:{what}", argv, {**files, name: data},
                              must_refuse=False))
    return cases


def mutate_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One to four byte-level edits: flip, set, insert, delete, cut, or a NUL."""
    buf, done = bytearray(data), []
    for _ in range(rng.randint(1, 4)):
        op = rng.choice(("flip", "set", "insert", "delete", "cut", "nul", "dup"))
        i = rng.randrange(max(len(buf), 1))
        if op == "flip" and buf:
            buf[i] ^= 1 << rng.randrange(8)
        elif op == "set" and buf:
            buf[i] = rng.choice(b"0123456789-:[]{}#&*!|>'\"\n \t\xff")
        elif op == "insert":
            buf[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == "delete" and buf:
            del buf[i:i + rng.randint(1, 16)]
        elif op == "cut":
            del buf[i:]
        elif op == "nul":
            buf[i:i] = b"\x00"
        elif op == "dup" and buf:
            j = min(len(buf), i + rng.randint(1, 64))
            buf[j:j] = buf[i:j]
        done.append(f"{op}@{i}")
    return bytes(buf), ",".join(done)


# ---- structured mutations (hypothesis) ----------------------------------------------------------------------
FREE_KEYS = {"name", "source", "network", "note", "notes", "description", "title", "target", "comment"}
# values no field takes: nonsense types and absurd numbers
BAD_VALUES = (-1, True, [[]], {"?": 1}, 10 ** 30, 10 ** 18 + 3, float("nan"), float("inf"), -1e308, "nosuch")


_paths = document_paths


def _set(doc, path, value):
    import copy
    doc = copy.deepcopy(doc)
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


def structured_strategy(kind: str, text: str):
    """A hypothesis strategy of (bytes, description) for documents that no reader of ``kind`` may accept."""
    from hypothesis import strategies as st
    doc = yaml.safe_load(text)
    leaves = [p for p, v in _paths(doc) if p and not isinstance(v, (dict, list)) and p[-1] not in FREE_KEYS
              and not (kind == "form" and p[-1] in FORM_FREE)]
    maps = [p for p, v in _paths(doc) if isinstance(v, dict)]
    top_keys = [k for k in doc] if isinstance(doc, dict) else []

    def dump(d):
        return yaml.safe_dump(d, sort_keys=False).encode()

    def bad_value(path, value):
        return dump(_set(doc, path, value)), f"{'/'.join(map(str, path))}={value!r}"[:80]

    def unknown_key(path, key):
        node = _set(doc, path + ("__nosuch__",), 1) if path else {**doc, "__nosuch__": 1}
        return dump(node), f"{'/'.join(map(str, path))}/unknown-key"

    def duplicate(key):
        value = doc[key]
        extra = yaml.safe_dump({key: value}, default_flow_style=True).strip()
        return text.encode() + f"\n{extra}\n".encode(), f"duplicate {key}"

    def deep(path, depth):
        return (dump(_set(doc, path, None)).replace(b"null", b"[" * depth + b"]" * depth, 1),
                f"{'/'.join(map(str, path))} nested {depth}")

    options = [st.builds(bad_value, st.sampled_from(leaves), st.sampled_from(BAD_VALUES))] if leaves else []
    if kind != "densities" and maps:   # a densities file's keys are layer names: see its own strategy
        options.append(st.builds(unknown_key, st.sampled_from(maps), st.just("__nosuch__")))
    if top_keys:
        options.append(st.builds(duplicate, st.sampled_from(top_keys)))
    if leaves:
        options.append(st.builds(deep, st.sampled_from(leaves), st.integers(70, 3000)))
    if kind == "densities":
        options.append(st.builds(lambda name: (text.encode() + f"{name}: 0.5\n".encode(), f"unknown layer {name}"),
                                 st.sampled_from(["nosuch", "CONV9", "fc2"])))
    return st.one_of(options)


FORM_FREE = {"source", "name", "notes", "process_technology", "corner", "network"}


def draw_structured(files: dict, per_kind: int, seed: int) -> dict[str, list[tuple[bytes, str]]]:
    """Hypothesis draws ``per_kind`` malformed documents of every YAML kind (reproducible from ``seed``)."""
    from hypothesis import HealthCheck, Phase, given, settings, seed as hseed
    out = {}
    for kind in YAML_KINDS:
        text = files[SEED_OF_KIND[kind]].decode()
        drawn: list = []

        @hseed(seed)
        @settings(max_examples=per_kind, database=None, phases=[Phase.generate], deadline=None,
                  suppress_health_check=list(HealthCheck))
        @given(structured_strategy(kind, text))
        def collect(case):
            drawn.append(case)

        collect()
        unique = list(dict.fromkeys(drawn))
        out[kind] = unique + [(b"a: &a [1,1,1,1,1,1,1,1,1,1]\n" + b"".join(
            f"{c}: &{c} [{','.join(['*' + p] * 10)}]\n".encode() for p, c in zip("abcdefg", "bcdefgh")),
            "alias bomb")]
    return out


# ---- the run -------------------------------------------------------------------------------------------------
def build_cases(total: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    commands = discover()
    files = seed_files()
    for command, options in commands.items():
        for i, opt in enumerate(o for o in options if o.flag is None):
            _POSITIONAL_ORDER[(command, opt.dest)] = i
    file_slots = sum(1 for opts in commands.values() for o in opts if o.kind == "file")
    fixed = []
    for command, options in commands.items():
        base = base_argv(command, options)
        fixed += number_cases(command, options, base, files)
        fixed += text_cases(command, options, base, files)
    per_file = max(4, (total - len(fixed)) // max(2 * file_slots, 1))
    structured = draw_structured(files, per_file, seed)
    cases = list(fixed)
    for command, options in commands.items():
        cases += file_cases(command, options, base_argv(command, options), files, rng, structured, per_file)
    for command, options in commands.items():   # each command's own valid base must work too
        if command not in SLOW:
            cases.append(Case(f"{command}:base", base_argv(command, options), files, must_refuse=False,
                              timeout_s=60))
    return cases


@dataclass
class Outcome:
    case: Case
    rc: object
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool

    def problem(self) -> str | None:
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        if self.timed_out:
            return f"no result within {self.case.timeout_s:g} s (a hang)"
        if self.rc is None or self.rc == -1 or "Traceback" in self.stderr or "ESCAPED" in self.stderr:
            return "a traceback or a crash"
        if self.rc == 3:
            return "an internal error"
        if self.rc not in (0, 1, 2):
            return f"exit status {self.rc}"
        if self.case.must_refuse and self.rc != 2:
            return f"accepted (exit {self.rc}) an input that must be refused"
        if self.rc == 2 and (len(lines) != 1 or not lines[0].startswith("stationary")):
            return f"a refusal that is not one line starting with 'stationary' ({len(lines)} lines)"
        return None


def run_cases(cases: list[Case], workers: int = 2, memory_bytes: int = 6 << 30) -> list[Outcome]:
    """Run the cases in ``workers`` subprocesses; a worker that dies or hangs is replaced, and its case named."""
    by_id = {c.id: c for c in cases}
    if len(by_id) != len(cases):
        for i, c in enumerate(cases):
            c.id = f"{c.id}#{i}"
        by_id = {c.id: c for c in cases}
    chunks = [cases[i::workers] for i in range(workers)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parent / "src"), os.environ.get("PYTHONPATH", "")]),
           "MPLBACKEND": "Agg"}
    env.pop("STATIONARY_FUZZ_CASES", None)
    outcomes: dict[str, Outcome] = {}
    with tempfile.TemporaryDirectory(prefix="stationary-fuzz-") as folder:
        pending = [list(chunk) for chunk in chunks if chunk]
        running = []
        while pending or running:
            while pending and len(running) < workers:
                chunk = pending.pop()
                running.append(_start(chunk, folder, env, memory_bytes))
            time.sleep(0.2)
            for job in list(running):
                proc, chunk, results = job
                done_ids, current, started = _read(results, outcomes, by_id)
                if proc.poll() is None:
                    case = by_id.get(current)
                    if case is not None and time.time() - started > case.timeout_s + 20:
                        proc.kill()
                        proc.wait()
                    else:
                        continue
                running.remove(job)
                _read(results, outcomes, by_id)
                if current is not None and current not in outcomes:
                    outcomes[current] = Outcome(by_id[current], None, "", f"the worker died (exit {proc.returncode})",
                                                0.0, proc.returncode is not None and proc.returncode < 0)
                rest = [c for c in chunk if c.id not in outcomes]
                if rest:
                    pending.append(rest)
    return [outcomes[c.id] for c in cases if c.id in outcomes]


def _start(chunk, folder, env, memory_bytes):
    handle, cases_path = tempfile.mkstemp(suffix=".json", dir=folder)
    with os.fdopen(handle, "w") as out:
        json.dump([c.payload() for c in chunk], out)
    results = cases_path.replace(".json", ".jsonl")
    proc = subprocess.Popen([sys.executable, str(HERE / "fuzz_worker.py"), cases_path, results, str(memory_bytes)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, chunk, results


def _read(results, outcomes, by_id):
    current, started = None, time.time()
    if not os.path.exists(results):
        return set(), None, started
    with open(results) as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if "start" in record:
                current, started = record["start"], os.path.getmtime(results)
            elif record["id"] in by_id:
                outcomes[record["id"]] = Outcome(by_id[record["id"]], record["rc"], record["stdout"],
                                                 record["stderr"], record["seconds"], record["timed_out"])
                current = None
    return set(outcomes), current, started


def describe_failure(outcome: Outcome, problem: str) -> str:
    case = outcome.case
    tail = " | ".join(outcome.stderr.strip().splitlines()[-3:])[:400]
    return f"[{case.id}] {problem}: stationary {' '.join(map(repr, case.argv))} -> rc {outcome.rc}: {tail}"


def save_case(case: Case, folder: Path) -> Path:
    """Write a failing case's files and command line to ``folder`` to reproduce it by hand."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in case.files.items():
        (folder / name).write_bytes(data)
    (folder / "argv.json").write_text(json.dumps(case.argv))
    return folder


def default_total() -> int:
    return int(os.environ.get("STATIONARY_FUZZ_CASES", "1200"))


def default_seed() -> int:
    text = os.environ.get("STATIONARY_FUZZ_SEED")
    return int(text) if text else random.SystemRandom().randrange(1 << 31)


if __name__ == "__main__":   # python tests/fuzz_harness.py [CASES] [SEED]: a run outside pytest
    total = int(sys.argv[1]) if len(sys.argv) > 1 else default_total()
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else default_seed()
    start = time.time()
    cases = build_cases(total, seed)
    outcomes = run_cases(cases)
    bad = [(o, p) for o in outcomes for p in [o.problem()] if p]
    for o, p in bad:
        print(describe_failure(o, p))
    slowest = sorted(outcomes, key=lambda o: -o.seconds)[:5]
    print(f"seed {seed}: {len(outcomes)} of {len(cases)} cases run in {time.time() - start:.0f} s, {len(bad)} failed; "
          f"slowest: {', '.join(f'{o.case.id} {o.seconds:.1f}s' for o in slowest)}")
