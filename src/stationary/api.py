"""The notebook and script API: evaluate a network, evaluate one mapping, compare dataflows.

Strings are accepted at this edge (zoo names or YAML paths, preset names or arch files, dataflow and objective
names) and parsed once; everything below works on values.

>>> from stationary import api
>>> from stationary.mapping.io import load_problem_and_mapping
>>> from stationary.workload import fc
>>> layer, m = load_problem_and_mapping(fc("fc", 4, 8), "levels: {DRAM: {temporal: M4 C8}}", api.load_arch("eyeriss"))
>>> api.evaluate_mapping(layer, "eyeriss", m).energy.per_mac  # (68 x 200 + 136 x 6 + 192 + 64 x 2 + 32) / 32
461.5
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from stationary.arch.spec import Arch
from stationary.core import StationaryError
from stationary.validation import MAX_JOBS, check_int
from stationary.mapping.dataflows import Dataflow
from stationary.mapping.mapping import Mapping
from stationary.model.evaluate import LayerResult, NetworkResult, evaluate as evaluate_one
from stationary.workload.layer import Layer, LayerKind
from stationary.workload.network import Network

COMPARED = (Dataflow.WS, Dataflow.OSA, Dataflow.OSB, Dataflow.OSC, Dataflow.NLR, Dataflow.RS)


def load_arch(spec: str | Arch, *, ert: str | None = None, constraints: str | None = None) -> Arch:
    """A preset name or an arch YAML file; a Timeloop architecture file with its Accelergy ``ert`` (ERT.yaml or
    ERT_summary.yaml) and optionally its architecture ``constraints`` (see :mod:`stationary.arch.timeloop`)."""
    if isinstance(spec, Arch):
        return spec
    if ert is not None or constraints is not None:
        from stationary.arch.timeloop import load_timeloop_arch
        return load_timeloop_arch(spec, ert, constraints)
    from stationary.arch.yaml_io import load_arch as load
    return load(spec)


def load_network(spec: str | Network, batch: int | None = None) -> Network:
    """A zoo name or a network YAML file, at the given batch size."""
    if isinstance(spec, Network):
        return spec.with_batch(batch) if batch else spec
    from stationary.workload import load_network as load
    return load(spec, batch)


def _parse_dataflow(dataflow) -> Dataflow | None:
    if dataflow is None or isinstance(dataflow, Dataflow):
        return dataflow
    return None if str(dataflow).lower() in ("none", "any") else Dataflow.parse(dataflow)


def _select(network: Network, layers: Iterable[str] | None, kinds: Iterable[LayerKind] | None) -> list[Layer]:
    chosen = [network[name] for name in layers] if layers else list(network.layers)
    if kinds is not None:
        kinds = tuple(kinds)
        chosen = [layer for layer in chosen if layer.kind in kinds]
    if not chosen:
        raise StationaryError("no layer selected", where=f"network {network.name}", field="layers", value=layers)
    return chosen


def evaluate(network, arch, *, dataflow="rs", objective="delay,energy", batch: int | None = None,
             layers: Iterable[str] | None = None, kinds: Iterable[LayerKind] | None = None,
             jobs: int = 1, progress: bool = False, algorithm=None,
             remainders: bool = False) -> NetworkResult:
    """Map every selected layer with the mapper (best mapping for ``objective`` under ``dataflow``; with
    ``remainders``, bounds that need not divide their dimension too) and evaluate it.

    ``algorithm`` (``im2col``, ``winograd:m,r``, ``fft``, ``strassen:d``; see :mod:`stationary.algo`) first
    rewrites each layer into the GEMMs the algorithm runs (layers it does not apply to stay as they are); the
    accelerator is then evaluated on those: a stage before mapping.
    """
    from stationary.search import Objective
    net, hw = load_network(network, batch), load_arch(arch)
    if hw.nodes > 1:
        raise StationaryError(f"{hw.name} is an array of {hw.nodes} engines: evaluate it with api.evaluate_design "
                              "(stationary tech), which splits each layer over them", field="arch", value=hw.name)
    flow = _parse_dataflow(dataflow)
    goal = objective if isinstance(objective, Objective) else Objective.parse(objective)
    chosen = _select(net, layers, kinds)
    if algorithm is not None:
        from stationary.algo import rewrite
        chosen = [new for layer in chosen for new in rewrite(layer, algorithm)]
    tasks = [(layer, hw, flow, goal, remainders) for layer in chosen]
    return NetworkResult(net.name, hw, tuple(_run_all(_best, tasks, jobs, progress and jobs == 1)))


def _best(layer, arch, flow, goal, remainders=False, progress=False):
    from stationary.search.guarantee import search_contained
    return search_contained(layer, arch, flow, goal, progress=progress, remainders=remainders).best


def _run_all(fn, tasks, jobs: int | None, progress: bool) -> list:
    """``fn(*task)`` (the best LayerResult of a layer) for every task, in order; see ``run_distinct``."""
    return run_distinct(fn, tasks, jobs, progress, reuse=lambda result, task: evaluate_one(task[0], task[1],
                                                                                        result.mapping))


def run_distinct(fn, tasks, jobs: int | None, progress: bool, *, reuse, tick=None) -> list:
    """``fn(*task, progress=...)`` for every task (a layer first, then its arch, then anything), in order; in
    ``jobs`` worker processes when more than one (None: all cores). Layers that differ only in name (ResNet's
    repeated blocks) run once: the others get ``reuse(result, task)``. ``tick()`` is called per run finished.
    """
    import dataclasses
    import os
    keys = [(dataclasses.replace(task[0], name=""), id(task[1])) + tuple(task[2:]) for task in tasks]
    first = {}
    for k, key in enumerate(keys):
        first.setdefault(key, k)
    unique = [tasks[k] for k in first.values()]
    jobs = (os.cpu_count() or 1) if jobs is None else check_int(jobs, "jobs", high=MAX_JOBS)
    done = []
    if jobs <= 1 or len(unique) <= 1:
        for task in unique:
            done.append(fn(*task, progress=progress))
            if tick:
                tick()
    else:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(max_workers=min(jobs, len(unique))) as pool:
            for result in pool.map(fn, *zip(*unique)):
                done.append(result)
                if tick:
                    tick()
    by_key = dict(zip(first, done))
    return [by_key[key] if k == first[key] else reuse(by_key[key], task)
            for k, (key, task) in enumerate(zip(keys, tasks))]


def evaluate_mapping(layer: Layer, arch, mapping: Mapping, *, conventions="physical") -> LayerResult:
    """Evaluate one given mapping (checked for legality first), counted by ``conventions``: ``"physical"`` (the
    default) or ``"timeloop"`` (a :class:`stationary.model.Conventions`)."""
    from stationary.model.conventions import Conventions
    return evaluate_one(layer, load_arch(arch), mapping, conventions=Conventions.parse(conventions))


def timeloop_diff(arch, problem: str, mapping: str, stats: str, *, ert: str | None = None,
                  constraints: str | None = None, link_transfers: bool = True):
    """A Timeloop run (its arch, ERT, problem, map.yaml and stats.txt) beside our counts, every difference named
    (:mod:`stationary.model.timeloop_diff`)."""
    from stationary.mapping.io import load_problem_and_mapping
    from stationary.model.timeloop_diff import timeloop_diff as diff
    from stationary.model.timeloop_stats import load_stats
    hw = load_arch(arch, ert=ert, constraints=constraints)
    layer, m = load_problem_and_mapping(problem, mapping, hw)
    return diff(layer, hw, m, load_stats(stats), link_transfers=link_transfers)


def timeloop_diff_json(diff) -> list[dict]:
    """The diff as a list of rows (level, tensor, action, timeloop, ours_timeloop_mode, ours, convention,
    count_delta, energy_pj_delta), and last a row for the layer's energy in uJ (level "total", action "energy_uj")."""
    rows = [{"level": r.level, "tensor": r.tensor.value if r.tensor else None, "action": r.action, "timeloop": r.timeloop,
             "ours_timeloop_mode": r.ours_timeloop_mode, "ours": r.ours, "convention": r.convention,
             "count_delta": r.count_delta, "energy_pj_delta": r.energy_pj_delta} for r in diff.rows]
    from stationary.model.timeloop_diff import UNEXPLAINED
    rows.append({"level": "total", "tensor": None, "action": "energy_uj", "timeloop": diff.energy_uj_timeloop,
                 "ours_timeloop_mode": diff.energy_uj_ours_timeloop_mode, "ours": diff.energy_uj_ours,
                 "convention": UNEXPLAINED if diff.energy_unexplained_uj else "", "count_delta": None,
                 "energy_pj_delta": (diff.energy_uj_ours - diff.energy_uj_timeloop) * 1e6})
    return rows


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    dataflow: Dataflow
    result: LayerResult

    @property
    def layer(self) -> str:
        return self.result.layer.name

    @property
    def energy_per_mac(self) -> float:
        return self.result.energy.per_mac

    @property
    def breakdown(self) -> dict[str, float]:
        """Energy per MAC by ISCA category: ALU, RF, array, buffer, DRAM."""
        macs = self.result.layer.macs * self.result.arch.mac.mac_energy
        return {k: v / macs for k, v in self.result.energy.by_category(self.result.arch).items()}

    @property
    def by_tensor(self) -> dict[str, float]:
        macs = self.result.layer.macs * self.result.arch.mac.mac_energy
        return {k: v / macs for k, v in self.result.energy.by_tensor().items()}


def compare(network="alexnet", *, pes: int = 256, batch: int = 16, dataflows: Iterable = COMPARED,
            kinds: Iterable[LayerKind] = (LayerKind.CONV, LayerKind.FC), layers: Iterable[str] | None = None,
            jobs: int | None = None, progress: bool = False) -> tuple[ComparisonRow, ...]:
    """The ISCA 2016 comparison: each dataflow on its own equal-area architecture, best energy per layer.

    Layers and dataflows are mapped in ``jobs`` worker processes (None: one per core)."""
    from stationary.arch.isca2016 import PES_X, PES_Y, isca2016
    from stationary.search import Objective
    if pes != PES_X * PES_Y:
        raise StationaryError(f"the ISCA 2016 setups have {PES_X * PES_Y} PEs ({PES_X} x {PES_Y})", field="pes",
                              value=pes)
    net = load_network(network, batch)
    flows = [_parse_dataflow(d) for d in dataflows]
    tasks = [(layer, isca2016(flow.value), flow, Objective.ENERGY) for flow in flows
             for layer in _select(net, layers, kinds)]
    best = _run_all(_best, tasks, jobs, progress and jobs == 1)
    return tuple(ComparisonRow(task[2], result) for task, result in zip(tasks, best))


def estimate_energy(model, arch="eyeriss", inputs=None, *, dataflow="rs", weight_bits: int | None = None,
                    act_bits: int | None = None, layers: Iterable[str] | None = None):
    """Per-layer energy of a model with real weights on real ``inputs`` (Yang et al., CVPR 2017): computation
    (non-zero MACs x e_MAC) and data movement by level (the mapper's best ``dataflow`` mapping's accesses, scaled
    by weight, ifmap and output densities and bit widths), per input, in the arch's unit.

    ``model`` is a :class:`stationary.infer.Model` (or a trainable network's name, with random weights);
    the rules are in :mod:`stationary.pruning.energy`; returns a tuple of ``LayerEnergy``.

    >>> import numpy as np
    >>> from stationary import api
    >>> from stationary.infer import build
    >>> x = np.random.default_rng(0).random((2, 1, 8, 8), dtype=np.float32)
    >>> rows = api.estimate_energy(build("digits-cnn"), "eyeriss", x, layers=["FC2"])
    >>> rows[0].layer, rows[0].unit.value, rows[0].computation <= rows[0].macs   # e_MAC = 1 (normalized)
    ('FC2', 'MAC', True)
    """
    from stationary.pruning.energy import estimate
    if isinstance(model, str):
        from stationary.infer import build
        model = build(model)
    if inputs is None:
        raise StationaryError("estimate_energy needs real inputs (an N x C x H x W batch)", field="inputs", value=None)
    return estimate(model, load_arch(arch), inputs, dataflow=_parse_dataflow(dataflow), weight_bits=weight_bits,
                    act_bits=act_bits, layers=layers)


def algo(network, method="im2col", *, batch: int | None = None, layers: Iterable[str] | None = None,
         error: bool = True, precisions=("float64", "float32", "float16", "fixed16"), model=None, inputs=None,
         data: str = "", seed: int = 0, energy_precision="float32", buffer="sram", progress: bool = False):
    """A network under a fast-convolution algorithm: per layer the exact counts, savings, storage, energy
    (Horowitz 45 nm) and error against float64 direct; returns a frozen
    :class:`stationary.algo.AlgoNetworkResult`. ``method`` is ``direct``, ``im2col``, ``winograd:m,r``,
    ``fft``, ``fft:4m`` or ``strassen:depth[,cutoff]``. With ``model`` (trained weights) and ``inputs`` the
    error is measured on real data; otherwise on seeded random tensors of each layer's shape (a crop).

    >>> from stationary import api
    >>> r = api.algo("vgg16", "winograd:2,3", layers=["conv3_1"], error=False)
    >>> r.layers[0].plan.multiplication_saving, r.layers[0].counts.multiplications   # 256 x 128 x 56^2 x 9 / 2.25
    (2.25, 411041792)
    """
    from stationary.algo import Precision, run_network
    from stationary.algo.energy import Buffer
    from stationary.workload.network import Network as Net
    net = model.network if model is not None else load_network(network, batch)
    if layers:
        net = Net(net.name, tuple(_select(net, layers, None)), input_shape=net.input_shape)
    return run_network(net, method, error=error, precisions=tuple(Precision.parse(p) for p in precisions),
                       model=model, inputs=inputs, data=data, seed=seed,
                       energy_precision=Precision.parse(energy_precision), buffer=Buffer.parse(buffer),
                       progress=progress)


def roofline(network, device="gp100", method="im2col", *, batch: int | None = None, precision="float32",
             budget_s: float = 3.0, torch: bool = True, progress: bool = False):
    """Every layer of ``network`` under ``device``'s roofline (a preset, or ``host`` to measure this machine
    within about ``budget_s`` seconds) for the algorithm ``method``; a frozen
    :class:`stationary.roofline.RooflineResult`.

    >>> from stationary import api
    >>> r = api.roofline("alexnet", "knl", "im2col")
    >>> r.device.name, r.points[0].bound
    ('Intel Xeon Phi 7250 (Knights Landing, 2016)', 'compute')
    """
    from stationary.algo import Precision
    from stationary.roofline import roofline_network
    return roofline_network(load_network(network, batch), device, method, precision=Precision.parse(precision),
                            budget_s=budget_s, torch=torch, progress=progress)


def cim(design: str = "isaac", network: str | None = None, *, variation: float | None = None,
        nonlinearity: float | None = None, noise: float | None = None, adc_bits: int | None = None,
        sweep: str | None = None, weights: str | None = None, epochs: int | None = None, samples: int | None = None,
        train_samples: int | None = None, seed: int = 0, progress: bool = False, log=None):
    """Run a network on a compute-in-memory design with its non-idealities (``stationary.cim``): accuracy and
    energy from the same run, the action counts, and the same network on the digital Eyeriss model beside them.

    ``design``: ``sram-binary`` (Zhang/Verma's 6T SRAM classifier), ``switched-cap`` (Lee and Wong's MAC layer)
    or ``isaac`` (ReRAM crossbars). Settings left None take the design's defaults. Without ``weights`` the
    network is trained first (torch). ``samples`` limits the test inputs. With ``sweep`` (``NAME=START:STOP:COUNT``)
    a tuple of results, one per value; otherwise one frozen :class:`stationary.cim.result.CimResult`.

    >>> from stationary import api
    >>> api.cim("flash")
    Traceback (most recent call last):
    ...
    stationary.core.StationaryError: field 'design' = 'flash': unknown CIM design (expected one of sram-binary, switched-cap, isaac)
    """
    from stationary.cim import run as cim_run
    from stationary.cim.common import Design, Settings
    chosen = Design.parse(design)
    settings = Settings(variation=variation, nonlinearity=nonlinearity, noise=noise, adc_bits=adc_bits, seed=seed,
                        samples=samples)
    name = cim_run.network_for(chosen, network)
    swept = cim_run.parse_sweep(sweep) if sweep else None
    if swept:
        import dataclasses
        for value in swept[1]:
            dataclasses.replace(settings, **{swept[0]: value})     # every point valid before any work
    base = cim_baseline(cim_run.shapes(chosen, name))
    prepared = cim_run.prepare(chosen, name, weights=weights, epochs=epochs, seed=seed, train_samples=train_samples,
                               log=log)
    if swept:
        return cim_run.sweep(prepared, settings, *swept, base, train_samples=train_samples, progress=progress)
    return cim_run.run(prepared, settings, base, progress=progress, train_samples=train_samples)


def cim_baseline(network: Network):
    """The network on the digital Eyeriss model (row stationary, best energy, 65 nm pJ table), per inference."""
    from stationary.arch.presets import preset
    from stationary.chip.figures import pj_arch
    from stationary.cim.result import Baseline
    arch = pj_arch(preset("eyeriss"))
    result = evaluate(network, arch, dataflow="rs", objective="energy", batch=1)
    dram = sum(r.energy.by_category(arch).get("DRAM", 0.0) for r in result.layers)
    return Baseline(result.energy_total, result.macs, result.energy_total - dram,
                    "Eyeriss (row stationary, mapper's best energy) priced by data/eyeriss_65nm_pj.yaml")


def run_study(study, out: str, *, jobs: int | None = None, dask: str | None = None, resume: bool = False,
              progress: bool | None = None, provenance: dict | None = None):
    """Evaluate a study file's design points into the results store ``out`` (SQLite); see
    :func:`stationary.study.execute.run_study`. Returns a ``RunSummary``; ``open_study(out)`` reads the results."""
    from stationary.study.execute import run_study as run
    return run(study, out, jobs=jobs, dask=dask, resume=resume, progress=progress, provenance=provenance)


def open_study(path: str):
    """A results store for reading: ``.results()``, ``.layers()``, ``.to_dataframe()``, ``.layers_dataframe()``."""
    from stationary.study.store import Store
    return Store.open(path)


def report_html(source: str, *, command: str | None = None) -> str:
    """The self-contained HTML report of a results store or of ``stationary evaluate --json`` output."""
    from stationary.study.execute import provenance_now
    try:
        with open(source, "rb") as fh:
            head = fh.read(16)
    except OSError as err:
        raise StationaryError(f"cannot read the file ({err.strerror or err})", source=str(source)) from None
    if head == b"SQLite format 3\x00":
        from stationary.report.html_study import study_report
        return study_report(open_study(source))
    if head.lstrip()[:1] == b"[":
        from stationary.report.html_eval import evaluation_report, load_evaluation_json
        prov = {**provenance_now(command), "evaluation file": str(source),
                "arch source": "not recorded in evaluate --json output"}
        return evaluation_report(load_evaluation_json(source), prov, title=f"Evaluation {source}")
    raise StationaryError("neither a results store (SQLite) nor the output of `stationary evaluate --json`",
                          source=str(source))



def features(data: str = "mnist", *, epochs: int | None = None, seed: int = 0, cnn_weights: str | None = None,
             full_scale: bool = True, progress: bool = False):
    """Hand-crafted (HOG + linear SVM) against learned (the project's CNN) features on a real data set
    (``mnist``, ``digits`` or ``faces``): accuracy and energy per pixel each, the basis projection of the
    classifier, and the talk's full-scale points; a frozen :class:`stationary.features.run.FeaturesResult`.
    See docs/features.md.
    """
    from stationary.features.run import run_features
    return run_features(data, epochs=epochs, seed=seed, cnn_weights=cnn_weights, full_scale=full_scale,
                        progress=progress)


# ---- memory technologies -----------------------------------------------------------------------------------------
TECH_DESIGNS = ("eyeriss-lpddr", "eyeriss-hmc", "tetris", "dadiannao-edram")
_DESIGN_ALIASES = {"eyeriss": "eyeriss-lpddr"}   # in a technology comparison, Eyeriss is Eyeriss over LPDDR in pJ


def load_design(spec: str | Arch) -> Arch:
    """A design for the technology comparison: a preset name (``eyeriss`` means ``eyeriss-lpddr``) or an arch file."""
    if isinstance(spec, str):
        spec = _DESIGN_ALIASES.get(spec.strip().lower(), spec)
    return load_arch(spec)


def evaluate_design(network, design, *, batch: int | None = None, dataflow="rs", objective="delay,energy",
                    splits: dict | None = None, jobs: int = 1, progress: bool = False):
    """A network on a design of one engine or an array of them (HMC vaults, chips): every layer split over the
    nodes (``stationary.partition``; ``splits`` fixes a layer's split by name, e.g. ``{"CONV1": "M16"}``), each part
    mapped by the mapper under ``dataflow`` and evaluated by the model. Returns a frozen
    :class:`stationary.memtech.DesignResult` (energy in pJ by level, latency, area, weight residency).

    >>> from stationary import api
    >>> from stationary.workload import Network, fc
    >>> r = api.evaluate_design(Network("tiny", (fc("FC", 32, 64),)), "tetris")
    >>> r.pes, r.result.layers[0].split.nodes, r.energy_pj > r.macs * 1.52
    (3584, 16, True)
    """
    from stationary.memtech import DesignResult
    from stationary.partition import Split, evaluate_network
    from stationary.search import Objective
    net, arch = load_network(network, batch), load_design(design)
    name = design if isinstance(design, str) else arch.name
    flow = _parse_dataflow(dataflow)
    goal = objective if isinstance(objective, Objective) else Objective.parse(objective)
    fixed = {k: v if isinstance(v, Split) else Split.parse(v) for k, v in (splits or {}).items()}
    for key in fixed:
        net[key]   # an unknown layer name is an error, not a silent no-op

    def solve_all(layers):
        bar = None
        if progress:
            from tqdm import tqdm
            bar = tqdm(total=len(layers), desc=f"{name}: mapping parts", unit="part", leave=False)
        tasks = [(layer, arch, flow, goal) for layer in layers]
        try:
            return run_distinct(_best, tasks, jobs, False, reuse=lambda r, t: evaluate_one(t[0], t[1], r.mapping),
                                tick=bar.update if bar else None)
        finally:
            if bar:
                bar.close()

    result = evaluate_network(net, arch, solve_all,
                              key=goal.key, splits={net[k].name: v for k, v in fixed.items()})
    return DesignResult(name if name not in _DESIGN_ALIASES else _DESIGN_ALIASES[name], result)


def tech(network="alexnet", designs: Iterable = TECH_DESIGNS, *, batch: int | None = None, dataflow="rs",
         objective="delay,energy", jobs: int = 1, progress: bool = False):
    """The technology comparison: each design on ``network``, beside the first (the baseline).

    Returns a tuple of :class:`stationary.memtech.Row` (a DesignResult and its energy and latency ratios to the
    baseline); ``stationary.memtech.claims_for(design)`` gives what the papers report for the same comparison."""
    from stationary.memtech import side_by_side
    designs = list(designs)
    if not designs:
        raise StationaryError("name at least one design", field="designs", value=designs)
    return side_by_side(tuple(evaluate_design(network, d, batch=batch, dataflow=dataflow, objective=objective,
                                              jobs=jobs, progress=progress) for d in designs))


# ---- sensor front ends -------------------------------------------------------------------------------------------
def sensor_frontends(height: int = 240, width: int = 320, *, asp=None, kept: float | None = None):
    """The three sensor front ends for one ``height`` x ``width`` frame: a conventional 8-bit imager, HOG in the
    imager, angle-sensitive pixels (``asp``: :class:`stationary.sensor.asp.AspParams`; ``kept``: the fraction of
    ASP responses above its threshold, measured on scikit-image's photographs when None). Returns a tuple of
    frozen :class:`stationary.sensor.frontend.FrontEnd` values, the imager first.

    >>> from stationary import api
    >>> imager, hog, asp = api.sensor_frontends(240, 320, kept=0.2)
    >>> round(100 * hog.versus(imager)["bandwidth_saved"], 1), asp.versus(imager)["conversions_x"]
    (96.5, 10.0)
    """
    from stationary.sensor.asp import AspParams, asp_sensor, kept_fraction, natural_images
    from stationary.sensor.frontend import hog_imager, imager
    params = asp if asp is not None else AspParams()
    if kept is None:
        kept = kept_fraction(natural_images(), params)
    return imager(height, width), hog_imager(height, width), asp_sensor(height, width, params, kept)


def sensor_network(network, frontend, batch: int | None = None):
    """The network an accelerator evaluates after ``frontend``: the layers the sensor computed (ASP: the first
    convolution) are gone, with their MACs and their input traffic; the rest starts from the sensor's output.

    >>> from stationary import api
    >>> imager, hog, asp = api.sensor_frontends(227, 227, kept=0.2)
    >>> [l.name for l in api.sensor_network("alexnet", asp).layers][:2]
    ['CONV2', 'CONV3']
    """
    from stationary.workload.network import NETWORK_INPUT
    net = load_network(network, batch)
    done = {name.lower() for name in frontend.replaces}
    if frontend.replaces:
        first = net.layers[0]
        if first.kind is not LayerKind.CONV:
            raise StationaryError("the sensor computes a first convolution, but this network starts with another "
                                  "kind of layer", where=f"network {net.name}", field="layers", value=first.name)
        done = {first.name.lower()}
    keep = [i for i, layer in enumerate(net.layers) if layer.name.lower() not in done]
    if not keep:
        raise StationaryError("the sensor computed every layer", where=f"network {net.name}", field="layers",
                              value=len(net.layers))
    names = {net.layers[i].name for i in keep}
    inputs = tuple(tuple(dict.fromkeys(s if s in names else NETWORK_INPUT for s in net.inputs[i])) for i in keep) \
        if any(net.inputs) else ()
    return Network(f"{net.name} after {frontend.name}", tuple(net.layers[i] for i in keep), inputs)


def asp_accuracy(*, epochs: int = 8, seed: int = 0, asp=None):
    """LeNet-5 on MNIST with its first layer learned, fixed to the ASP filter bank, and fixed with the sparse
    readout: a frozen :class:`stationary.sensor.accuracy.AspAccuracy` (needs torch and mlxtend)."""
    from stationary.sensor.accuracy import asp_accuracy as run
    from stationary.sensor.asp import AspParams
    return run(asp if asp is not None else AspParams(), epochs=epochs, seed=seed)


def crosslevel(network="alexnet", platforms=None, techniques=None, *, weights: str | None = None,
               cache_dir: str | None = None, samples: int = 2000, epochs: int | None = None, jobs: int = 1,
               budget_s: float = 3.0, progress: bool = False, log=None):
    """One network across levels: every platform (``eyeriss``, ``eyeriss-hmc``, ``tetris``, ``gpu:gp100``,
    ``cpu:host``, ``cim:isaac``...) under every technique set (``none``, ``winograd``, ``int8``, ``prune``,
    ``asp``, or pairs such as ``winograd+prune``); a :class:`stationary.platform.CrossLevel` of
    :class:`stationary.platform.PlatformResult` rows, each what the underlying command reports.

    A trainable network (``lenet5``) runs with real weights (``weights``, else trained once into ``cache_dir``)
    and its accuracy is measured on ``samples`` MNIST test images; others get energy and latency only.

    >>> from stationary import api
    >>> c = api.crosslevel("alexnet", ["cim:isaac"], ["winograd"])
    >>> c.rows[0].valid, c.rows[0].reason.split(":")[0]
    (False, 'winograd')
    """
    from stationary.platform.compat import TRAINED
    from stationary.platform.run import DEFAULT_PLATFORMS, DEFAULT_TECHNIQUES, compare
    net = load_network(network, 1)
    real = None
    if weights is not None:
        if net.name not in TRAINED:
            raise StationaryError(f"weights apply to the trainable networks ({', '.join(TRAINED)}); {net.name} runs "
                                  "without them", field="weights", value=weights)
        from stationary.validation import check_npz
        check_npz(weights)
    if net.name in TRAINED:
        from stationary.platform.trained import trained
        real = trained(net.name, weights=weights, cache_dir=cache_dir or ".stationary", epochs=epochs,
                       samples=samples, log=log)
    return compare(net, platforms or DEFAULT_PLATFORMS, techniques or DEFAULT_TECHNIQUES, trained=real, jobs=jobs,
                   budget_s=budget_s, samples=samples, progress=progress)
