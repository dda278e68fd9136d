"""What the fuzz harness feeds the commands (see fuzz_harness.py): the tables the parser cannot provide, the
commands and options read off the parser, and valid seed files of every kind, built here."""
from __future__ import annotations

import argparse
import base64
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

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
    "compare": ["compare", "tiny.yaml", "--pes", "256", "--batch", "1", "--jobs", "1", "--quiet", "--dataflow", "ws"],
    "map": ["map", "tiny.yaml", "--arch", "eyeriss", "--layer", "conv2", "--quiet"],
    "train": ["train", "lenet5", "--epochs", "1", "--out", "w.npz"],
    "quantize": ["quantize", "lenet5", "--weights", "lenet5.npz"],
    "prune": ["prune", "lenet5", "--weights", "lenet5.npz"],
    "simulate": ["simulate", "tiny.yaml", "--layer", "conv2", "--arch", "eyeriss"],
    "chip": ["chip", "tiny.yaml", "--densities", "densities.yaml"],
    "rlc": ["rlc", "a.npy"],
    "form": ["form", "form.yaml", "--check"],
    "algo": ["algo", "tiny.yaml", "--method", "im2col"],
    "roofline": ["roofline", "tiny.yaml", "--device", "gp100"],
    "cim": ["cim", "lenet5", "--design", "isaac", "--weights", "lenet5.npz", "--samples", "20"],
    "tech": ["tech", "tiny.yaml", "--designs", "eyeriss", "--quiet"],
    "crosslevel": ["crosslevel", "tiny.yaml", "--platforms", "eyeriss,gpu:gp100", "--techniques", "none,int8"],
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
    ("simulate", "weights"): "npy", ("quantize", "weights"): "npz", ("prune", "weights"): "npz", ("algo", "weights"): "npz", ("cim", "weights"): "npz", ("features", "cnn_weights"): "npz",
    ("rlc", "file"): "npy", ("form", "file"): "form",
}
OUTPUTS = {"output", "out", "plot", "png", "form", "cache_dir", "timeloop_dir", "timeloop_map", "html"}  # paths to write
# Timeloop's and Accelergy's own formats: their readers take what they use and leave the rest (real files carry
# many attributes), so a structured mutation there may be ignored: any exit passes, never a traceback or hang
LENIENT_KINDS = {"tl-design", "ert", "tl-constraints", "tld-problem", "tld-map"}
FREE_TEXT = {"name"}                                                 # any text is a valid value
# commands that run for minutes on valid input: they get only inputs that must be refused
SLOW = {"train", "quantize", "prune", "cim", "features", "sensor"}
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
