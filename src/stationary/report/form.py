"""The talk's benchmark form ("Website to Summarize DNN Results", eyeriss.mit.edu/benchmarking.html): ASIC specs
and metrics of one run, as Markdown and JSON, loaded from JSON/YAML, and checked for consistency.

What the figures mean (the talk's AlexNet example fixes it): non-zero MACs are *per image* (409M), runtime and
power are for one *batch* (115.3 ms for 4 images is the 34.7 fps measured), so

    energy per non-zero MAC (pJ)  = power_mw x runtime_ms x 1e6 / (nonzero_macs_per_image x batch)
    DRAM accesses per non-zero MAC = dram_mb x 1e6 / (bits_per_operand / 8) / (nonzero_macs_per_image x batch)

(mW x ms = uJ; MB = 1e6 bytes; DRAM traffic is not on the talk's form, it is an optional supporting figure here).
:func:`check` recomputes both; a printed figure is consistent when it is within ``tolerance`` (default 2%) of the
recomputed one, or within half a unit of its own last printed digit (0.005 covers 0.0045..0.0055).

>>> f = BenchmarkForm.eyeriss()
>>> f.network, f.nonzero_macs_per_image, f.energy_pj_per_nonzero_mac
('AlexNet', 409000000, 21.7)
>>> [str(x) for x in check(f) if x.status is Status.INCONSISTENT]   # the talk's own form: 19.6 pJ, not 21.7
['energy per non-zero MAC: printed 21.7, computed 19.59 (+10.8%): inconsistent; 21.7 pJ needs 369M non-zero MACs per image, or 307.9 mW, or 127.7 ms']
>>> g = BenchmarkForm.from_metrics(network="AlexNet", batch=4, nonzero_macs=4 * 409_000_000, runtime_ms=115.3,
...                                power_mw=278, dram_accesses=7.7e6)
>>> round(g.energy_pj_per_nonzero_mac, 2), round(g.dram_accesses_per_nonzero_mac, 5), g.flow.value
(19.59, 0.00471, 'model')
>>> BenchmarkForm.from_dict(g.json()) == g
True
"""
from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

import yaml

from stationary.core import StationaryError
from stationary.report.table import format_count
from stationary.validation import MAX_FIGURE, check_float, check_int, load_yaml, read_text_file


class Evaluation(enum.Enum):
    MEASURED = "measured"
    SIMULATED = "simulated"


class Flow(enum.Enum):
    """How a simulated design was obtained: the form asks "Syn or PnR?"; ``model`` is an architecture-level model
    with no netlist (what `stationary` itself produces)."""
    SYNTHESIS = "syn"
    PLACE_AND_ROUTE = "pnr"
    MODEL = "model"


@dataclass(frozen=True, slots=True)
class BenchmarkForm:
    """One filled-in form. ``None`` is "n/a" (not known or not applicable)."""
    # ASIC specs
    process: str
    core_area_mm2_per_multiplier: float | None
    on_chip_memory_kb_per_multiplier: float | None
    evaluation: Evaluation
    flow: Flow | None
    corner: str | None
    # metrics
    network: str
    images_tested: int
    bits_per_operand: int
    batch: int
    nonzero_macs_per_image: int | float       # an average when images differ
    runtime_ms: float                         # for one batch
    power_mw: float
    energy_pj_per_nonzero_mac: float
    dram_accesses_per_nonzero_mac: float | None
    # supporting figures, not on the talk's form
    dram_mb: float | None = None              # DRAM traffic of one batch, 1e6 bytes
    source: str = ""

    def __post_init__(self):
        for name in ("images_tested", "bits_per_operand", "batch"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise StationaryError("must be a positive integer", where="benchmark form", field=name, value=value)
        macs = self.nonzero_macs_per_image
        if isinstance(macs, bool) or not isinstance(macs, (int, float)) or not 0 < macs < float("inf"):
            raise StationaryError("must be a positive number", where="benchmark form", field="nonzero_macs_per_image",
                                  value=macs)
        for name in ("runtime_ms", "power_mw", "energy_pj_per_nonzero_mac", "core_area_mm2_per_multiplier",
                     "on_chip_memory_kb_per_multiplier", "dram_accesses_per_nonzero_mac", "dram_mb"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or not value >= 0 or value == float("inf")):
                raise StationaryError("must be a finite number >= 0", where="benchmark form", field=name, value=value)
        if not isinstance(self.evaluation, Evaluation) or not (self.flow is None or isinstance(self.flow, Flow)):
            raise StationaryError("evaluation and flow are enums", where="benchmark form", field="evaluation",
                                  value=(self.evaluation, self.flow))

    @classmethod
    def from_metrics(cls, *, network: str, batch: int, nonzero_macs: int, runtime_ms: float, power_mw: float,
                     bits: int = 16, images: int | None = None, dram_accesses: float | None = None,
                     measured: bool = False, process: str = "n/a", core_area_mm2_per_multiplier: float | None = None,
                     on_chip_memory_kb_per_multiplier: float | None = None, flow: Flow | None = None,
                     corner: str | None = None, source: str = "") -> "BenchmarkForm":
        """A form from one run's totals: ``nonzero_macs`` and ``dram_accesses`` (operands) over the whole batch,
        ``runtime_ms`` and ``power_mw`` of that batch; the per-MAC figures are computed, never typed in.
        A simulated form's flow defaults to ``Flow.MODEL``."""
        if batch < 1 or nonzero_macs <= 0:
            raise StationaryError("needs a batch >= 1 and non-zero MACs > 0", where="benchmark form",
                                  field="nonzero_macs", value=nonzero_macs)
        dram_mb = None if dram_accesses is None else dram_accesses * bits / 8 / 1e6
        return cls(process, core_area_mm2_per_multiplier, on_chip_memory_kb_per_multiplier,
                   Evaluation.MEASURED if measured else Evaluation.SIMULATED,
                   None if measured else (flow or Flow.MODEL), corner, network, images or batch, bits, batch,
                   _whole(nonzero_macs / batch), float(runtime_ms), float(power_mw),
                   power_mw * runtime_ms * 1e6 / nonzero_macs,
                   None if dram_accesses is None else dram_accesses / nonzero_macs, dram_mb, source)

    @classmethod
    def eyeriss(cls) -> "BenchmarkForm":
        """The talk's form for the Eyeriss chip on AlexNet, as printed (data/eyeriss_form.yaml)."""
        text = resources.files("stationary.data").joinpath("eyeriss_form.yaml").read_text()
        return cls.from_dict(yaml.safe_load(text), source="eyeriss_form.yaml")

    @classmethod
    def from_dict(cls, data: object, source: str | None = None) -> "BenchmarkForm":
        """The inverse of :meth:`json`; counts may be written "409M"; "n/a" and null are None."""
        return _parse(data, source)

    def json(self) -> dict:
        return {"asic_specs": {k: _out(getattr(self, a)) for k, a in _SPEC_KEYS.items()},
                "metrics": {k: _out(getattr(self, a)) for k, a in _METRIC_KEYS.items()},
                "supporting": {"dram_mb": self.dram_mb}, "source": self.source}

    def markdown(self) -> str:
        specs = [("Process Technology", self.process),
                 ("Core area (mm<sup>2</sup>) / multiplier", _fmt(self.core_area_mm2_per_multiplier)),
                 ("On-Chip memory (kB) / multiplier", _fmt(self.on_chip_memory_kb_per_multiplier)),
                 ("Measured or Simulated", self.evaluation.value.capitalize()),
                 ("If Simulated, Syn or PnR? Which corner?", self._simulation())]
        metrics = [("Name of CNN", "Text", self.network), ("# of Images Tested", "#", _fmt(self.images_tested)),
                   ("Bits per operand", "#", _fmt(self.bits_per_operand)), ("Batch Size", "#", _fmt(self.batch)),
                   ("# of Non Zero MACs", "# per image", _fmt(self.nonzero_macs_per_image)),
                   ("Runtime", "ms per batch", _fmt(self.runtime_ms)), ("Power", "mW", _fmt(self.power_mw)),
                   ("**Energy/non-zero MACs**", "**pJ/MAC**", f"**{_fmt(self.energy_pj_per_nonzero_mac)}**"),
                   ("**DRAM access/non-zero MACs**", "**operands/MAC**",
                    f"**{_fmt(self.dram_accesses_per_nonzero_mac)}**")]
        lines = [f"# Benchmark form: {self.network}", "", "| ASIC Specs | Input |", "|---|---|"]
        lines += [f"| {a} | {b} |" for a, b in specs]
        lines += ["", "| Metric | Units | Input |", "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in metrics]
        lines += ["", f"Supporting: DRAM traffic {_fmt(self.dram_mb)} MB per batch (not on the talk's form)."]
        return "\n".join(lines + ([f"Source: {self.source}"] if self.source else [])) + "\n"

    def _simulation(self) -> str:
        if self.flow is None and self.corner is None:
            return "n/a"
        flow = {Flow.SYNTHESIS: "Syn", Flow.PLACE_AND_ROUTE: "PnR", Flow.MODEL: "architecture model (no netlist)",
                None: "n/a"}[self.flow]
        return f"{flow}, corner {self.corner}" if self.corner else flow


_SPEC_KEYS = {"process_technology": "process", "core_area_mm2_per_multiplier": "core_area_mm2_per_multiplier",
              "on_chip_memory_kb_per_multiplier": "on_chip_memory_kb_per_multiplier",
              "measured_or_simulated": "evaluation", "flow": "flow", "corner": "corner"}
_METRIC_KEYS = {k: k for k in ("network", "images_tested", "bits_per_operand", "batch", "nonzero_macs_per_image",
                               "runtime_ms", "power_mw", "energy_pj_per_nonzero_mac",
                               "dram_accesses_per_nonzero_mac")}
_TEXT = {"process", "corner", "network"}
_POSITIVE = {"runtime_ms", "power_mw", "energy_pj_per_nonzero_mac", "batch", "bits_per_operand",
             "nonzero_macs_per_image", "images_tested", "core_area_mm2_per_multiplier",
             "on_chip_memory_kb_per_multiplier"}
_OPTIONAL = {"core_area_mm2_per_multiplier", "on_chip_memory_kb_per_multiplier", "flow", "corner",
             "dram_accesses_per_nonzero_mac", "dram_mb"}
_COUNT = re.compile(r"^\s*([\d,]*\.?\d+)\s*([kMG]?)\s*$")
_SCALE = {"": 1, "k": 10**3, "M": 10**6, "G": 10**9}


def _out(value):
    return value.value if isinstance(value, enum.Enum) else value


def _fmt(value) -> str:
    if value is None:
        return "n/a"
    if value >= 10**6:
        return format_count(value)
    if isinstance(value, int):
        return str(value)
    return f"{value:.4g}"


def _parse(data, source):
    if not isinstance(data, dict):
        raise StationaryError("a benchmark form is a mapping with asic_specs and metrics", source=source)
    extra = set(data) - {"asic_specs", "metrics", "supporting", "source"}
    if extra:
        raise StationaryError("unknown section", source=source, field=sorted(extra)[0], value=None, has_value=False)
    values = {"source": str(data.get("source") or "")}
    for section, keys in (("asic_specs", _SPEC_KEYS), ("metrics", _METRIC_KEYS), ("supporting", {"dram_mb": "dram_mb"})):
        body = data.get(section, {} if section == "supporting" else None)
        if not isinstance(body, dict):
            raise StationaryError("missing or not a mapping", source=source, field=section, value=body)
        unknown = set(body) - set(keys)
        if unknown:
            raise StationaryError("unknown field", source=source, where=section, field=sorted(unknown)[0],
                                  value=None, has_value=False)
        for key, attr in keys.items():
            values[attr] = _value(attr, body.get(key), source, section, key, key in body)
            if attr in _POSITIVE and values[attr] is not None and values[attr] <= 0:
                raise StationaryError("must be positive (the checks divide by it)", source=source, where=section,
                                      field=key, value=body.get(key))
    try:
        return BenchmarkForm(**values)
    except StationaryError as err:
        raise err.located(source) from None


def _value(attr, raw, source, section, key, present):
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in ("n/a", "na", "")):
        if attr == "process":
            return "n/a"
        if attr in _OPTIONAL:
            return None
        raise StationaryError("required" if not present else "must be given", source=source, where=section,
                              field=key, value=raw, has_value=present)
    try:
        if attr == "evaluation":
            return Evaluation(str(raw).strip().lower())
        if attr == "flow":
            return Flow(str(raw).strip().lower())
    except ValueError:
        choices = [e.value for e in (Evaluation if attr == "evaluation" else Flow)]
        raise StationaryError(f"expected one of {', '.join(choices)}", source=source, where=section, field=key,
                              value=raw) from None
    if attr in _TEXT:
        return str(raw)
    if attr in ("images_tested", "bits_per_operand", "batch", "nonzero_macs_per_image"):
        return _count(raw, source, section, key, whole=attr != "nonzero_macs_per_image")
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise StationaryError("must be a number", source=source, where=section, field=key, value=raw)
    check_float(raw, key, low=0.0, high=MAX_FIGURE, source=source, where=section)
    return raw


def _whole(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _count(raw, source, section, key, whole: bool = True) -> int | float:
    """A count as written: 100, 409000000, "409M", "1.64G" (a fraction only where ``whole`` is False)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return check_int(raw, key, low=0, high=int(MAX_FIGURE), source=source, where=section)
    match = _COUNT.match(str(raw)) if isinstance(raw, (str, float)) else None
    if match:
        number = Decimal(match.group(1).replace(",", "")) * _SCALE[match.group(2)]
        if not number.is_finite() or number > Decimal(MAX_FIGURE):
            raise StationaryError(f"must be at most {MAX_FIGURE:g}", source=source, where=section, field=key, value=raw)
        if number == number.to_integral_value():
            return int(number)
        if not whole:
            return float(number)
    raise StationaryError(f'must be a {"whole " if whole else ""}count (e.g. 100, 409000000 or "409M")',
                          source=source, where=section, field=key, value=raw)


def load_form(path: str) -> BenchmarkForm:
    """A form from a .json or .yaml file; errors name the file, the section and the field."""
    text = read_text_file(path, "form")
    if str(path).endswith(".json"):
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as err:
            raise StationaryError(f"not valid JSON: {str(err).splitlines()[0]}", source=path) from None
    else:
        data = load_yaml(text, path)
    return BenchmarkForm.from_dict(data, source=path)


class Status(enum.Enum):
    OK = "consistent"
    INCONSISTENT = "inconsistent"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True, slots=True)
class Finding:
    """One check: the figure, its printed and recomputed values (None where not numeric), and the verdict."""
    name: str
    status: Status
    printed: float | None = None
    computed: float | None = None
    note: str = ""

    @property
    def relative_error(self) -> float | None:
        """(printed - computed) / computed."""
        if self.printed is None or not self.computed:
            return None
        return (self.printed - self.computed) / self.computed

    def __str__(self) -> str:
        head = f"{self.name}: "
        if self.printed is not None and self.computed is not None:
            head += f"printed {self.printed:.4g}, computed {self.computed:.4g} ({self.relative_error:+.1%}): "
        return head + self.status.value + (f"; {self.note}" if self.note else "")

    def json(self) -> dict:
        return {"name": self.name, "status": self.status.value, "printed": self.printed, "computed": self.computed,
                "relative_error": self.relative_error, "note": self.note}


def _half_unit(printed: float) -> float:
    """Half a unit in the last digit the figure was written with (0.005 -> 0.0005, 278 -> 0.5)."""
    return 0.5 * 10.0 ** Decimal(repr(printed)).as_tuple().exponent


def _compare(name: str, printed: float, computed: float, tolerance: float, note: str = "") -> Finding:
    ok = abs(printed - computed) <= max(tolerance * abs(computed), _half_unit(printed))
    return Finding(name, Status.OK if ok else Status.INCONSISTENT, printed, computed, "" if ok else note)


def check(form: BenchmarkForm, tolerance: float = 0.02) -> list[Finding]:
    """Recompute what the form's figures imply (see the module's docs) and list every check with its verdict."""
    macs = form.nonzero_macs_per_image * form.batch
    energy_uj = form.power_mw * form.runtime_ms
    printed = form.energy_pj_per_nonzero_mac
    note = (f"{printed:.4g} pJ needs {format_count(energy_uj * 1e6 / printed / form.batch)} non-zero MACs per image, "
            f"or {printed * macs / form.runtime_ms * 1e-6:.4g} mW, or {printed * macs / form.power_mw * 1e-6:.4g} ms"
            if printed else "")
    found = [_compare("energy per non-zero MAC", printed, energy_uj * 1e6 / macs, tolerance, note)]
    if form.dram_accesses_per_nonzero_mac is None:
        found.append(Finding("DRAM accesses per non-zero MAC", Status.INCOMPLETE, note="not given"))
    elif form.dram_mb is None:
        found.append(Finding("DRAM accesses per non-zero MAC", Status.INCOMPLETE,
                             note="no DRAM traffic (supporting dram_mb) to check it against"))
    else:
        operands = form.dram_mb * 1e6 / (form.bits_per_operand / 8)
        found.append(_compare("DRAM accesses per non-zero MAC", form.dram_accesses_per_nonzero_mac, operands / macs,
                              tolerance, f"{form.dram_mb:.4g} MB of {form.bits_per_operand}-bit operands"))
    if form.images_tested < form.batch:
        found.append(Finding("images tested", Status.INCONSISTENT, note=f"{form.images_tested} is less than one batch "
                             f"of {form.batch}"))
    if form.evaluation is Evaluation.MEASURED and (form.flow or form.corner):
        found.append(Finding("measured or simulated", Status.INCONSISTENT,
                             note="a measured chip has no synthesis flow or corner"))
    if form.evaluation is Evaluation.SIMULATED and (form.flow is None or (form.flow is not Flow.MODEL
                                                                          and not form.corner)):
        found.append(Finding("measured or simulated", Status.INCOMPLETE,
                             note="a simulated design should say syn or PnR (or model) and which corner"))
    for name, value in (("core area per multiplier", form.core_area_mm2_per_multiplier),
                        ("on-chip memory per multiplier", form.on_chip_memory_kb_per_multiplier)):
        if value is None:
            found.append(Finding(name, Status.INCOMPLETE, note="not given"))
    return found


def inconsistent(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.status is Status.INCONSISTENT]
