"""Runs fuzz cases in one process, under a memory limit and a time limit per case (see fuzz_harness.py).

Usage: ``python fuzz_worker.py CASES.json RESULTS.jsonl MEMORY_BYTES``. Each case is
``{"id", "argv", "files": {name: base64}, "timeout_s"}``; it runs ``stationary.cli.main(argv)`` in a fresh
folder holding its files, with stdout and stderr captured, and appends one JSON line
``{"id", "rc", "stdout", "stderr", "seconds", "timed_out"}`` to RESULTS. A line ``{"start": id}`` comes first, so
that a case that kills the process (memory, a crash) is still named by the parent.
"""
import base64
import contextlib
import io
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback


class CaseTimeout(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` in the code under test swallows it."""


def _alarm(signum, frame):
    raise CaseTimeout()


def run_case(case: dict, root: str) -> dict:
    from stationary.cli import main
    folder = tempfile.mkdtemp(dir=root)
    for name, data in case.get("files", {}).items():
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(base64.b64decode(data))
    out, err = io.StringIO(), io.StringIO()
    start, timed_out, rc = time.perf_counter(), False, None
    cwd = os.getcwd()
    os.chdir(folder)
    signal.setitimer(signal.ITIMER_REAL, case.get("timeout_s", 10))
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = main(case["argv"])
            except SystemExit as exit_:
                rc = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 2)
    except CaseTimeout:
        timed_out = True
    except BaseException:  # noqa: BLE001 - what escaped main() is exactly what the harness reports
        err.write("ESCAPED main():\n" + traceback.format_exc())
        rc = -1
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        os.chdir(cwd)
        shutil.rmtree(folder, ignore_errors=True)
    return {"id": case["id"], "rc": rc, "stdout": out.getvalue()[-4000:], "stderr": err.getvalue()[-4000:],
            "seconds": time.perf_counter() - start, "timed_out": timed_out}


def main(cases_path: str, results_path: str, memory_bytes: int) -> None:
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    signal.signal(signal.SIGALRM, _alarm)
    os.environ.setdefault("MPLBACKEND", "Agg")
    with open(cases_path) as handle:
        cases = json.load(handle)
    root = tempfile.mkdtemp(prefix="stationary-fuzz-")
    try:
        with open(results_path, "a") as results:
            for case in cases:
                results.write(json.dumps({"start": case["id"]}) + "\n")
                results.flush()
                results.write(json.dumps(run_case(case, root)) + "\n")
                results.flush()
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
