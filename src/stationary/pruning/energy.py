"""Energy of a network with real weights on real inputs, the way Yang et al. (CVPR 2017) estimate it.

Per layer, energy = computation + data movement:

* **computation** = non-zero MACs x e_MAC. A MAC is *skipped* when its weight is zero (pruned weights are not
  stored, so there is nothing to multiply) **or** its input activation is zero (zero gating, as on Eyeriss).
  Padding zeros are not counted as MACs at all (no stored operand). Non-zero MACs are counted exactly, per
  input, by running the layer on the 0/1 masks of its input and weights.
* **data movement** = words moved at each level x that level's cost per word, the words coming from the
  access counts of the mapper's best mapping for the layer's shape (row stationary by default, objective
  energy). The dense counts are then scaled where the hardware would move fewer words:

  ====================================================  ==========================  =========================
  counts                                                scaled by                   why
  ====================================================  ==========================  =========================
  weight reads at the innermost weight level (per MAC)  non-zero MAC fraction       a pruned weight is not
                                                                                    stored; the read is gated
                                                                                    when the input is zero
  every other weight access (DRAM, buffer, RF fills)    weight density              weights stored compressed
  and weight transfers on the array                                                 (non-zeros only)
  every ifmap access and ifmap transfer, all levels     ifmap density               feature maps compressed in
                                                                                    DRAM (RLC) and zero-gated
                                                                                    on chip
  the layer's final output writes to the outermost      output density (after       written compressed, like
  level (at most ``N x M x E x F`` words)               the layer's ReLU)           the next layer's ifmap
  every other partial-sum access                        1                           partial sums are dense
  ====================================================  ==========================  =========================

  Index and zero-flag overheads of the compressed formats are ignored (as in the paper's estimate).
* **bit width** (``weight_bits``, ``act_bits``; default the arch's word): words moved scale by
  ``bits / word_bits`` (narrow values pack several to a word: weight accesses by the weight width, ifmap
  accesses and final outputs by the activation width; partial sums stay at the accumulator's width), and
  e_MAC by ``stationary.precision.mac_energy_pj(w, a) / mac_energy_pj(word, word)`` (Horowitz's 45 nm table
  scaled: multiplier ~ w x a, adder ~ bits).

The counts are scaled before pricing, and priced by :func:`stationary.model.energy.energy`, the model's one
product: with every density 1 and full-width words the estimate equals the model's energy of the mapping.
Results are per input, in the arch's unit (``Unit.PJ`` for a pJ arch such as
``stationary.chip.figures.pj_arch(preset("eyeriss"))``).

>>> import numpy as np
>>> from stationary.arch import preset
>>> from stationary.infer import build
>>> model = build("digits-cnn")
>>> x = np.random.default_rng(0).random((4, 1, 8, 8), dtype=np.float32)
>>> rows = estimate(model, preset("eyeriss"), x, layers=["FC2"])
>>> r = rows[0]
>>> r.layer, r.macs, r.weight_density, r.nonzero_macs <= r.macs
('FC2', 640, 1.0, True)
>>> abs(r.total - (r.computation + sum(r.data_movement.values()))) < 1e-6
True
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping as MappingT

import numpy as np

from stationary.arch.spec import Arch, Unit
from stationary.core import StationaryError, Tensor
from stationary.infer.forward import forward, mac_layer
from stationary.infer.model import Model, OpKind
from stationary.mapping.dataflows import Dataflow
from stationary.mapping.mapping import Mapping
from stationary.model.counts import AccessCounts
from stationary.model.energy import energy
from stationary.model.evaluate import LayerResult, evaluate
from stationary.workload.layer import Layer


@dataclass(frozen=True, slots=True)
class LayerData:
    """What real weights and inputs tell about one layer: densities and non-zero MACs, per input."""
    layer: str
    weights: int
    weights_kept: int
    ifmap_density: float     # non-zero fraction of the stored input (padding excluded)
    ofmap_density: float     # non-zero fraction of the output after the layer's ReLU (before pooling)
    macs: int                # per input, from the shape
    nonzero_macs: float      # per input: MACs whose weight and input are both non-zero

    @property
    def weight_density(self) -> float:
        return self.weights_kept / self.weights if self.weights else 0.0

    @property
    def mac_density(self) -> float:
        return self.nonzero_macs / self.macs if self.macs else 0.0


@dataclass(frozen=True, slots=True)
class LayerEnergy:
    """One layer's estimate, per input, in ``unit``: ``data_movement`` by level (fan-outs as "<level> network")."""
    layer: str
    unit: Unit
    macs: int
    nonzero_macs: float
    weights: int
    weights_kept: int
    weight_density: float
    ifmap_density: float
    ofmap_density: float
    weight_bits: int
    act_bits: int
    computation: float
    data_movement: dict[str, float] = field(hash=False)
    dram_bits: float = 0.0   # bits read, filled, updated or drained at the outermost level (densities, widths applied)

    @property
    def data_movement_total(self) -> float:
        return sum(self.data_movement.values())

    @property
    def total(self) -> float:
        return self.computation + self.data_movement_total

    def as_dict(self) -> dict:
        """JSON-ready; energies under keys naming the unit (``computation_pj``, or ``computation_normalized`` in
        multiples of one MAC's energy)."""
        u = "pj" if self.unit is Unit.PJ else "normalized"
        return {"layer": self.layer, "macs": self.macs, "nonzero_macs": self.nonzero_macs,
                "weights": self.weights, "weights_kept": self.weights_kept,
                "weight_density": self.weight_density, "ifmap_density": self.ifmap_density,
                "ofmap_density": self.ofmap_density, "weight_bits": self.weight_bits, "act_bits": self.act_bits,
                f"computation_{u}": self.computation,
                f"data_movement_{u}": dict(self.data_movement), f"total_{u}": self.total}


def _density(values: np.ndarray) -> float:
    return float(np.count_nonzero(values)) / values.size if values.size else 0.0


def layer_data(model: Model, inputs: np.ndarray) -> tuple[LayerData, ...]:
    """Per layer densities and exact non-zero MACs of ``model`` on ``inputs`` (N x C x H x W), per input."""
    inputs = np.asarray(inputs)
    if inputs.ndim != 4 or len(inputs) == 0:
        raise StationaryError("inputs must be a non-empty N x C x H x W batch", field="inputs",
                              value=getattr(inputs, "shape", None))
    acts = forward(model, inputs)
    out = []
    for layer, post, act in zip(model.network.layers, model.post, acts):
        w = np.asarray(model.weights[layer.name][0])
        written = np.maximum(act.preact, 0) if any(op.kind is OpKind.RELU for op in post) else act.preact
        nz = mac_layer((act.ifmap != 0).astype(np.float32), (w != 0).astype(np.float32), layer)
        out.append(LayerData(layer.name, int(w.size), int(np.count_nonzero(w)), _density(act.ifmap),
                             _density(written), layer.with_batch(1).macs, float(nz.sum(dtype=np.float64)) / len(inputs)))
    return tuple(out)


_MAPPED: dict = {}


def best_mapping(layer: Layer, arch: Arch, dataflow: Dataflow | None = Dataflow.RS) -> LayerResult:
    """The mapper's best-energy mapping of ``layer`` on ``arch`` (cached per shape, arch and dataflow)."""
    key = (layer, arch, dataflow)
    if key not in _MAPPED:
        from stationary.search import Objective
        from stationary.search.guarantee import search_contained
        _MAPPED[key] = search_contained(layer, arch, dataflow, Objective.ENERGY).best
    return _MAPPED[key]


def _check_bits(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 64:
        raise StationaryError("bit width must be an integer from 1 to 64", field=name, value=value)
    return value


def mac_scale(weight_bits: int, act_bits: int, word_bits: int) -> float:
    """e_MAC at (weight_bits, act_bits) over e_MAC at the arch's word, by stationary.precision's rule."""
    if weight_bits == act_bits == word_bits:
        return 1.0
    from stationary.precision.energy import mac_energy_pj
    return mac_energy_pj(weight_bits, act_bits) / mac_energy_pj(word_bits, word_bits)


def sparse_counts(counts: AccessCounts, arch: Arch, data: LayerData, output_words: int, *,
                  weight_bits: int, act_bits: int) -> AccessCounts:
    """The dense ``counts`` scaled by the densities and bit widths (the table in the module docs)."""
    wb, ab = weight_bits / arch.word_bits, act_bits / arch.word_bits
    dw, di, do, dm = data.weight_density, data.ifmap_density, data.ofmap_density, data.mac_density
    weight_levels = [c.level for c in counts.levels if c.tensor is Tensor.WEIGHT and c.reads]
    innermost_w = weight_levels[-1] if weight_levels else None
    top = arch.levels[0].name
    levels = []
    for c in counts.levels:
        if c.tensor is Tensor.WEIGHT:
            reads = c.reads * (dm if c.level == innermost_w else dw)
            c = replace(c, reads=reads * wb, fills=c.fills * dw * wb, updates=c.updates * dw * wb,
                        drains=c.drains * dw * wb)
        elif c.tensor is Tensor.IFMAP:
            s = di * ab
            c = replace(c, reads=c.reads * s, fills=c.fills * s, updates=c.updates * s, drains=c.drains * s)
        elif c.level == top:
            final = min(c.updates, output_words)
            c = replace(c, updates=final * do * ab + (c.updates - final))
        levels.append(c)
    scale = {Tensor.WEIGHT: dw * wb, Tensor.IFMAP: di * ab, Tensor.PSUM: 1.0}
    network = tuple(replace(n, transfers=n.transfers * scale[n.tensor]) for n in counts.network)
    return replace(counts, macs=data.nonzero_macs, levels=tuple(levels), network=network)


def estimate(model: Model, arch: Arch, inputs: np.ndarray, *, dataflow: Dataflow | None = Dataflow.RS,
             weight_bits: int | None = None, act_bits: int | None = None, layers: Iterable[str] | None = None,
             mappings: MappingT[str, Mapping] | None = None) -> tuple[LayerEnergy, ...]:
    """Per-layer energy of ``model`` on ``inputs`` (per input): see the module docs for every rule.

    ``mappings`` (layer name -> Mapping) replaces the mapper's choice for the layers it names;
    ``layers`` restricts the result to those layers (densities still come from the whole forward pass)."""
    wbits = _check_bits(arch.word_bits if weight_bits is None else weight_bits, "weight_bits")
    abits = _check_bits(arch.word_bits if act_bits is None else act_bits, "act_bits")
    names = [layer.name for layer in model.network.layers]
    chosen = list(layers) if layers is not None else names
    for name in chosen:
        if name not in names:
            raise StationaryError(f"no such layer in network {model.network.name}", field="layers", value=name)
    data = {d.layer: d for d in layer_data(model, inputs)}
    out = []
    for name in chosen:
        layer = model.network[name].with_batch(1)
        if mappings and name in mappings:
            result = evaluate(layer, arch, mappings[name])
        else:
            result = best_mapping(layer, arch, dataflow)
        out.append(price(result, data[name], weight_bits=wbits, act_bits=abits))
    return tuple(out)


def price(result: LayerResult, data: LayerData, *, weight_bits: int, act_bits: int) -> LayerEnergy:
    """One evaluated layer's energy per input with the densities in ``data`` and the given bit widths (the
    rules in the module docs): the dense counts scaled, then priced by the arch's table."""
    arch, layer = result.arch, result.layer
    wbits, abits = _check_bits(weight_bits, "weight_bits"), _check_bits(act_bits, "act_bits")
    counts = sparse_counts(result.counts, arch, data, layer.M * layer.E * layer.F * layer.N, weight_bits=wbits,
                           act_bits=abits)
    moved = energy(counts, arch).by_level()
    computation = moved.pop("MAC", 0.0) * mac_scale(wbits, abits, arch.word_bits)
    top = arch.levels[0].name
    dram = sum(c.reads + c.fills + c.updates + c.drains for c in counts.levels if c.level == top)
    return LayerEnergy(layer.name, arch.unit, data.macs, data.nonzero_macs, data.weights, data.weights_kept,
                       data.weight_density, data.ifmap_density, data.ofmap_density, wbits, abits, computation,
                       moved, dram * arch.word_bits)


def dense_data(layer: Layer, *, weight_density: float = 1.0) -> LayerData:
    """A layer's data with no measurement: every input non-zero, weights at ``weight_density`` (1: dense; a
    published pruning density otherwise), MACs that skip pruned weights only."""
    if not 0.0 <= weight_density <= 1.0:
        raise StationaryError("a density is a fraction from 0 to 1", where=f"layer {layer.name}",
                              field="weight_density", value=weight_density)
    weights = layer.weights
    return LayerData(layer.name, weights, round(weights * weight_density), 1.0, 1.0, layer.macs,
                     layer.macs * weight_density)


def total(rows: Iterable[LayerEnergy]) -> float:
    """The network's energy per input: the sum over its layers."""
    return float(sum(r.total for r in rows))
