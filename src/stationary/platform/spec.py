"""Platforms and techniques: what a cross-level comparison runs, parsed once at the edge.

A platform is where a network runs: a digital spatial accelerator (an arch preset or design, mapped by the mapper
and priced by the model), a CPU or GPU (a roofline device), or a compute-in-memory design (a macro executed on
real tensors). A technique changes what runs or how: an algorithm rewrite (Winograd, FFT, im2col), reduced
precision, pruning, or a sensor front end that replaces the first layer (angle-sensitive pixels).

>>> Platform.parse("eyeriss").kind.value, Platform.parse("gp100").name, Platform.parse("cim:isaac").kind.value
('accelerator', 'gpu:gp100', 'cim')
>>> [str(t) for t in parse_techniques("winograd:2,3+int8")]
['winograd:2,3', 'int8']
>>> from stationary.workload import load_network
>>> [str(t) for t in resolve(parse_techniques("winograd"), load_network("lenet5"))]   # LeNet-5's 5 x 5 filters
['winograd:2,5']
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from stationary.core import StationaryError


class PlatformKind(enum.Enum):
    ACCELERATOR = "accelerator"      # arch + dataflow through the mapper and the model
    PROCESSOR = "processor"          # a CPU or GPU on its roofline
    CIM = "cim"                      # a compute-in-memory macro executed with its non-idealities


class TechniqueKind(enum.Enum):
    ALGORITHM = "algorithm"          # a workload rewrite before mapping (stationary.algo)
    PRECISION = "precision"          # weights and activations at fewer bits
    PRUNING = "pruning"              # zero weights (magnitude pruning on real weights, else published densities)
    SENSOR = "sensor"                # angle-sensitive pixels compute the first layer in the sensor


# accelerator designs: the chip's arch and the technology designs of `stationary tech`
def accelerators() -> tuple[str, ...]:
    """``eyeriss`` (the chip's arch and 65 nm table, as `stationary evaluate`) and the technology designs."""
    from stationary.arch.designs import DESIGNS
    return ("eyeriss", *DESIGNS)


def processors() -> tuple[str, ...]:
    """The roofline presets (``stationary roofline``), and ``host``, measured."""
    from stationary.roofline.devices import PRESETS
    return (*PRESETS, "host")


def cim_designs() -> tuple[str, ...]:
    """The compute-in-memory designs ``stationary cim`` runs."""
    from stationary.cim.common import Design
    return tuple(d.value for d in Design)

_PREFIX = {"acc": PlatformKind.ACCELERATOR, "accelerator": PlatformKind.ACCELERATOR, "cpu": PlatformKind.PROCESSOR,
           "gpu": PlatformKind.PROCESSOR, "processor": PlatformKind.PROCESSOR, "cim": PlatformKind.CIM}


@dataclass(frozen=True, slots=True)
class Platform:
    """One platform: its kind and what names it inside that kind (an arch/design, a device, a CIM design)."""
    kind: PlatformKind
    target: str

    @property
    def name(self) -> str:
        """As a user writes it: ``eyeriss``, ``gpu:gp100``, ``cpu:host``, ``cim:isaac``."""
        if self.kind is PlatformKind.ACCELERATOR:
            return self.target
        if self.kind is PlatformKind.PROCESSOR:
            from stationary.roofline.devices import PRESETS
            device = PRESETS.get(self.target)
            return f"{device.kind if device else 'cpu'}:{self.target}"
        return f"cim:{self.target}"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def parse(cls, text: str) -> "Platform":
        """``eyeriss`` / ``acc:FILE.yaml`` (accelerators), ``gpu:gp100`` / ``cpu:host`` (rooflines), ``cim:isaac``.

        A bare name is looked up among the known accelerators, processors and CIM designs."""
        raw = str(text).strip()
        if ":" in raw:
            prefix, target = (s.strip() for s in raw.split(":", 1))
            kind = _PREFIX.get(prefix.lower())
            if kind is None or not target:
                raise StationaryError(f"unknown platform kind {prefix!r} (expected one of "
                                      f"{', '.join(sorted(_PREFIX))}, then ':' and a name)", field="platforms",
                                      value=text)
            if kind is PlatformKind.PROCESSOR:
                target = target.lower()
            return cls(kind, target)
        key = raw.lower()
        for names, kind in ((accelerators(), PlatformKind.ACCELERATOR), (processors(), PlatformKind.PROCESSOR),
                            (cim_designs(), PlatformKind.CIM)):
            if key in names:
                return cls(kind, key)
        raise StationaryError("unknown platform (accelerators: " + ", ".join(accelerators()) + "; processors: "
                              + ", ".join(processors()) + "; CIM: " + ", ".join(cim_designs())
                              + "; or KIND:NAME such as acc:my_arch.yaml)", field="platforms", value=text)


@dataclass(frozen=True, slots=True)
class Technique:
    """One technique and its setting: ``winograd`` (F(2x2, r x r) with the r of the network's main stride-1
    filters; or ``winograd:m,r``), ``fft``, ``im2col``, ``int8`` (or ``int4``...), ``prune``
    (or ``prune:0.8``, the fraction of weights removed), ``asp``."""
    kind: TechniqueKind
    setting: str

    def __str__(self) -> str:
        return self.setting

    @property
    def bits(self) -> int:
        """Precision's width (``int8`` -> 8)."""
        return int(self.setting[3:])

    @property
    def sparsity(self) -> float | None:
        """Pruning's target fraction of weights removed (None: the method's default)."""
        return float(self.setting.split(":", 1)[1]) if ":" in self.setting else None

    @classmethod
    def parse(cls, text: str) -> "Technique":
        raw = str(text).strip().lower()
        head = raw.split(":", 1)[0]
        if head in ("winograd", "fft", "im2col", "strassen"):
            if raw != "winograd":      # bare: F(2x2, r x r) with the network's r (see resolve)
                from stationary.algo.spec import parse_algorithm
                raw = parse_algorithm(raw).spec
            return cls(TechniqueKind.ALGORITHM, raw)
        if head.startswith("int") and head[3:].isdigit() and ":" not in raw:
            bits = int(head[3:])
            if not 2 <= bits <= 16:
                raise StationaryError("precision must be int2 to int16", field="techniques", value=text)
            return cls(TechniqueKind.PRECISION, raw)
        if head == "prune":
            if ":" in raw:
                try:
                    value = float(raw.split(":", 1)[1])
                except ValueError:
                    value = float("nan")
                if not 0.0 < value < 1.0:
                    raise StationaryError("pruning's sparsity must be a fraction between 0 and 1 (prune:0.8)",
                                          field="techniques", value=text)
            return cls(TechniqueKind.PRUNING, raw)
        if raw == "asp":
            return cls(TechniqueKind.SENSOR, raw)
        raise StationaryError("unknown technique (algorithms: winograd[:m,r], fft, im2col, strassen:d; precision: "
                              "int8, int4, ...; pruning: prune[:sparsity]; sensor: asp)", field="techniques",
                              value=text)


def parse_techniques(text: str | None) -> tuple[Technique, ...]:
    """A ``+``-joined technique set (``winograd+int8``); empty or ``none`` is the baseline (no technique).

    Two techniques of one kind (two algorithms, two precisions) cannot compose: an error names them."""
    if text is None or str(text).strip().lower() in ("", "none", "baseline"):
        return ()
    out = tuple(Technique.parse(part) for part in str(text).split("+"))
    kinds = [t.kind for t in out]
    for kind in set(kinds):
        if kinds.count(kind) > 1:
            clash = " and ".join(str(t) for t in out if t.kind is kind)
            raise StationaryError(f"one {kind.value} technique at a time ({clash})", field="techniques", value=text)
    return out


def resolve(techniques: tuple[Technique, ...], network) -> tuple[Technique, ...]:
    """A bare ``winograd`` becomes F(2x2, r x r) for the filter size r of the stride-1 CONV layers with the most
    MACs in ``network`` (3 x 3 in AlexNet and VGG-16, 5 x 5 in LeNet-5); the rest as given."""
    out = []
    for t in techniques:
        if t.kind is TechniqueKind.ALGORITHM and t.setting == "winograd":
            from stationary.workload.layer import LayerKind
            macs: dict[int, int] = {}
            for layer in network.layers:
                if layer.kind is LayerKind.CONV and layer.U == 1 and layer.R == layer.S and layer.R > 1:
                    macs[layer.R] = macs.get(layer.R, 0) + layer.macs
            r = max(macs, key=macs.get) if macs else 3
            t = Technique(TechniqueKind.ALGORITHM, f"winograd:2,{r}")
        out.append(t)
    return tuple(out)
