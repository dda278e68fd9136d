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

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from fuzz_cases import build_cases  # noqa: F401 - the harness's entry points, re-exported
from fuzz_inputs import Case, base_argv, discover, seed_files  # noqa: F401

HERE = Path(__file__).parent


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
