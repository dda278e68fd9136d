"""The bulk evaluator against the model: every count, the energy and the cycles, exactly, on random candidates."""
import dataclasses

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stationary.arch import preset
from stationary.core import DIMS, StationaryError
from stationary.mapping import check
from stationary.model import evaluate
from stationary.search.bulk import evaluate_batch
from stationary.search.mapper import build
from stationary.search.space import fanout, slots

from strategies import _primes, archs, layers


@st.composite
def candidates(draw, layer, arch, count, remainders=False):
    """Tiling rows (every prime factor of every dim in a random slot, fan-outs respected), random orders. With
    ``remainders``, some dims get bounds whose product passes the dim instead (a ceil-divided split)."""
    sl = slots(arch)
    temporal = {s.level: k for k, s in enumerate(sl) if s.axis is None}
    rows, orders = [], []
    for _ in range(count):
        row = np.ones((len(DIMS), len(sl)), dtype=np.int64)
        for j, d in enumerate(DIMS):
            size = layer.dims[d]
            if remainders and size > 2 and draw(st.booleans()):
                parts = [draw(st.integers(2, size - 1)) for _ in range(draw(st.integers(1, 2)))]
                while np.prod(parts) < size:
                    parts.append(2)
            else:
                parts = _primes(size)
            for p in parts:
                k = draw(st.integers(0, len(sl) - 1))
                if sl[k].axis is not None and row[:, k].prod() * p > fanout(arch, sl[k]):
                    k = temporal[sl[k].level]
                row[j, k] *= p
        rows.append(row)
        orders.append([draw(st.permutations(range(len(DIMS)))) for _ in arch.levels])
    return np.array(rows), np.array(orders, dtype=np.int64)


def mapping_of(row, order, arch, bypass, sizes=None):
    sl = slots(arch)
    t = {s.level: k for k, s in enumerate(sl) if s.axis is None}
    dims = [tuple(DIMS[d] for d in order[i] if row[d, t[i]] > 1) for i in range(len(arch.levels))]
    mapping = build(row, arch, bypass, dims)
    return mapping.fitted(sizes) if sizes else mapping


def assert_equal_to_model(layer, arch, bypass, rows, orders):
    batch = evaluate_batch(layer, arch, bypass, rows, orders)
    compared = 0
    for j in range(len(rows)):
        mapping = mapping_of(rows[j], orders[j], arch, bypass, layer.dims)
        try:
            check(layer, arch, mapping)
        except StationaryError:
            continue            # over a capacity: the enumeration never proposes it
        result = evaluate(layer, arch, mapping)
        got = {k: tuple(int(x) for x in v[j]) for k, v in batch.counts.items()}
        want = {(c.level, c.tensor): (c.reads, c.fills, c.updates, c.drains) for c in result.counts.levels}
        assert got == want, mapping
        got_net = {k: int(v[j]) for k, v in batch.network.items() if int(v[j])}
        assert got_net == {(n.level, n.tensor): n.transfers for n in result.counts.network}
        assert batch.energy[j] == result.energy.total          # the same sums in the same order: bit for bit
        assert batch.cycles[j] == result.latency.cycles
        assert batch.steps[j] == result.counts.steps
        compared += 1
    return compared


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_count_energy_and_cycles_equal_the_model(data):
    layer, arch = data.draw(layers()), data.draw(archs())
    bypass = tuple(frozenset() if i == 0 else frozenset(t for t in level.keeps if data.draw(st.integers(0, 3)) == 0)
                   for i, level in enumerate(arch.levels))
    rows, orders = data.draw(candidates(layer, arch, data.draw(st.integers(1, 6))))
    assume(assert_equal_to_model(layer, arch, bypass, rows, orders) > 0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_rows_with_remainders_equal_the_model(data):
    """Rows whose bounds pass a dim (fitted with residuals) beside exact ones in one batch."""
    layer, arch = data.draw(layers(5)), data.draw(archs())
    bypass = tuple(frozenset() if i == 0 else frozenset(t for t in level.keeps if data.draw(st.integers(0, 3)) == 0)
                   for i, level in enumerate(arch.levels))
    rows, orders = data.draw(candidates(layer, arch, data.draw(st.integers(1, 4)), remainders=True))
    assume(assert_equal_to_model(layer, arch, bypass, rows, orders) > 0)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_bandwidth_bound_cycles_equal_the_model(data):
    base = preset("eyeriss")
    dram = dataclasses.replace(base.levels[0], bandwidth_words_per_cycle=data.draw(st.sampled_from((0.5, 1.0, 3.0))))
    glb = dataclasses.replace(base.levels[1], bandwidth_words_per_cycle=data.draw(st.sampled_from((None, 2.0))))
    arch = dataclasses.replace(base, levels=(dram, glb, base.levels[2]))
    layer = data.draw(layers())
    rows, orders = data.draw(candidates(layer, arch, 4, remainders=data.draw(st.booleans())))
    assume(assert_equal_to_model(layer, arch, (frozenset(),) * 3, rows, orders) > 0)
