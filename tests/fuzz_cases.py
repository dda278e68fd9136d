"""The fuzz harness's case families (see fuzz_harness.py): absurd numbers, nonsense text, hypothesis-drawn
structured mutations of every YAML kind, and byte-level mutations of every file kind."""
from __future__ import annotations

import copy
import random
from pathlib import Path

import yaml

from fuzz_inputs import (ABSURD_NUMBERS, FREE_TEXT, LENIENT_KINDS, NONSENSE_TEXT, SEED_OF_KIND, SKIP_ENDS, SLOW,
                         YAML_KINDS, Case, Option, _POSITIONAL_ORDER, base_argv, discover, seed_files, with_value)
from strategies import document_paths

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
                              must_refuse=False, timeout_s=30))   # may still be valid: the whole command runs
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
