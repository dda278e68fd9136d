"""Running a study: its unfinished points evaluated in local worker processes (the default) or on a Dask cluster,
each committed to the results store by this process as it finishes.

Every point is evaluated by :func:`stationary.study.kinds.evaluate_point`, the same function wherever it runs, so
a study gives the same store (``Store.fingerprint``) in one process, in several, or on Dask. A point the mapper
cannot map (a dataflow with no legal mapping on that arch) is recorded with its ``error`` and the study goes on;
anything else stops the run, keeping what finished. The bar shows points done, the rate and the time left.

>>> import os, tempfile
>>> from stationary.study import study_from_yaml
>>> s = study_from_yaml("study: t\\nfixed: {network: lenet5, layers: [F6]}\\naxes: {batch: [1, 2]}")
>>> out = os.path.join(tempfile.mkdtemp(), "r.sqlite")
>>> summary = run_study(s, out, jobs=1)
>>> summary.evaluated, summary.points, summary.skipped
(2, 2, 0)
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

from stationary.core import StationaryError
from stationary.study.kinds import evaluate_point, kind_target
from stationary.study.points import plan_points
from stationary.study.spec import Study, load_study
from stationary.study.store import Store

CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True, slots=True)
class RunSummary:
    store: str
    points: int         # in the study
    skipped: int        # finished by an earlier run (--resume)
    evaluated: int      # by this run
    failed: int         # recorded with an error (no legal mapping)
    seconds: float
    executor: str

    @property
    def points_per_s(self) -> float:
        return self.evaluated / self.seconds if self.seconds else 0.0


def run_study(study: Study | str, out: str, *, jobs: int | None = None, dask: str | None = None,
              resume: bool = False, progress: bool | None = None, provenance: dict | None = None) -> RunSummary:
    """Evaluate every unfinished point of ``study`` into the store ``out``.

    ``jobs``: local worker processes (None: one per core; with ``dask="local"``, the LocalCluster's workers);
    ``dask``: ``"local"`` for a LocalCluster or a scheduler address (``tcp://host:8786``); ``resume``: continue
    the store of the same study at ``out`` (without it an existing ``out`` is refused)."""
    start = time.perf_counter()
    study = load_study(study) if isinstance(study, (str, os.PathLike)) else study
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise StationaryError("must be a positive integer", field="--jobs", value=jobs)
    plan = plan_points(study)
    prov = provenance or provenance_now()
    store = Store.resume(out, plan) if resume and os.path.exists(out) else Store.create(out, plan, prov)
    with store:
        done = store.done()
        pending = [p for p in plan.points if p.index not in done]
        show = sys.stderr.isatty() if progress is None else progress
        bar = _bar(show, len(plan.points), len(done), study.name)
        failed = [0]

        def finished(point, record, run):
            store.add(point, record, run)
            failed[0] += "error" in record["totals"]
            if bar:
                bar.update(1)
        try:
            target = kind_target(study.kind)
            if dask:
                executor = _run_dask(target, pending, dask, jobs, finished)
            else:
                executor = _run_local(target, pending, jobs, finished)
        finally:
            if bar:
                bar.close()
    return RunSummary(out, len(plan.points), len(done), len(pending), failed[0], time.perf_counter() - start,
                      executor)


def evaluate_or_record(kind: str, description: dict) -> tuple[dict, dict]:
    """``evaluate_point``, with a point that cannot be mapped recorded as an error rather than stopping the study."""
    try:
        return evaluate_point(kind, description)
    except StationaryError as err:
        return {"totals": {"error": str(err)}, "layers": []}, {}


def _run_local(kind: str, pending: list, jobs: int | None, finished) -> str:
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    if jobs <= 1 or len(pending) <= 1:
        for point in pending:
            finished(point, *evaluate_or_record(kind, point.description))
        return "1 process"
    from concurrent.futures import ProcessPoolExecutor, as_completed
    with ProcessPoolExecutor(max_workers=min(jobs, len(pending))) as pool:
        futures = {pool.submit(evaluate_or_record, kind, p.description): p for p in pending}
        try:
            for future in as_completed(futures):
                finished(futures[future], *future.result())
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return f"{min(jobs, len(pending))} processes"


def _run_dask(kind: str, pending: list, address: str, jobs: int | None, finished) -> str:
    client, cluster = connect(address, jobs)
    try:
        from dask.distributed import as_completed
        futures = {client.submit(evaluate_or_record, kind, p.description, key=f"point-{p.index}-{p.point_id}",
                                 pure=False): p for p in pending}
        for future, result in as_completed(futures, with_results=True):
            finished(futures[future], *result)
        workers = len(client.scheduler_info()["workers"])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return f"Dask ({'LocalCluster' if cluster is not None else address}, {workers} workers)"


def connect(address: str, jobs: int | None = None):
    """A Dask client: on a new LocalCluster (``"local"``, ``jobs`` single-threaded worker processes) or on the
    scheduler at ``address``; (client, cluster or None). An unreachable scheduler is an error within seconds."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise StationaryError("running on Dask needs dask.distributed (pip install 'stationary[dask]')",
                              field="--dask", value=address) from None
    import logging
    if address == "local":
        cluster = LocalCluster(n_workers=jobs or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        return Client(cluster), cluster
    try:
        return Client(address, timeout=CONNECT_TIMEOUT_S), None
    except (OSError, TimeoutError, ValueError, TypeError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise StationaryError(f"cannot reach the Dask scheduler within {CONNECT_TIMEOUT_S} s ({reason})",
                              field="--dask", value=address) from None


def provenance_now(command: str | None = None) -> dict:
    """Who made a result and with what: the command, versions, platform, date."""
    import datetime
    import platform
    from importlib import metadata
    versions = {}
    for package in ("stationary", "numpy", "pyyaml", "dask", "distributed", "pandas"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    return {"command": command or "python API (stationary.study.run_study)",
            "versions": {"python": platform.python_version(), **versions}, "platform": platform.platform(),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}


def _bar(show: bool, total: int, initial: int, name: str):
    if not show:
        return None
    from tqdm import tqdm
    return tqdm(total=total, initial=initial, desc=name, unit="point", file=sys.stderr, dynamic_ncols=True)
