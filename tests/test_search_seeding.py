"""Seeds: a seeded search never loses to its seeds, so a larger problem never gets a worse answer than one built
from a smaller one, a superset never loses to a subset's answer, and energy never loses to delay,energy."""
from stationary.arch import preset
from stationary.core import Dim, Tensor
from stationary.mapping.dataflows import Dataflow
from stationary.model import evaluate
from stationary.search import Objective, search
from stationary.search.refine import Space
from stationary.search.seeding import over_batch, seed_arrays
from stationary.workload import load_network


def _conv3(batch):
    return load_network("alexnet", batch)["CONV3"]


def test_a_larger_batch_is_never_worse_per_mac_than_the_small_batch_mapping_repeated():
    arch = preset("eyeriss")
    small = search(_conv3(4), arch, Dataflow.RS, objective=Objective.ENERGY).best
    for batch in (1024, 4096):
        repeated = over_batch(small.mapping, batch // 4)
        assert repeated.bounds()[Dim.N] == batch
        again = evaluate(_conv3(batch), arch, repeated)     # every count scales with the batch: same per MAC
        assert abs(again.energy.per_mac - small.energy.per_mac) < 1e-9 * small.energy.per_mac
        big = search(_conv3(batch), arch, Dataflow.RS, objective=Objective.ENERGY, seeds=(repeated,)).best
        assert big.energy.per_mac <= small.energy.per_mac * (1 + 1e-12)


def test_energy_never_loses_to_delay_energy_and_a_superset_never_loses_to_a_subset():
    arch = preset("eyeriss")
    layer = load_network("alexnet", 4)["CONV5"]
    de = search(layer, arch, Dataflow.RS, objective=Objective.DELAY_ENERGY)
    en = search(layer, arch, Dataflow.RS, objective=Objective.ENERGY, seeds=tuple(r.mapping for r in de.top))
    assert en.best.energy.total <= de.best.energy.total
    anyflow = search(layer, arch, None, objective=Objective.ENERGY, seeds=tuple(r.mapping for r in en.top))
    assert anyflow.best.energy.total <= en.best.energy.total
    assert anyflow.gap >= 0


def test_seeds_outside_the_space_are_ignored():
    arch = preset("eyeriss")
    layer = load_network("alexnet", 4)["CONV5"]
    other = search(load_network("alexnet", 4)["CONV4"], arch, Dataflow.RS).best.mapping   # C = 384, not 192
    space = Space(layer, arch, Dataflow.RS, Objective.ENERGY)
    assert seed_arrays([other], space) is None
    r = search(layer, arch, Dataflow.RS, seeds=(other,))
    assert r.best.layer.name == "CONV5" and r.best.mapping.bounds()[Dim.C] == layer.dims[Dim.C]


def test_the_peer_designs_are_presets_a_user_can_name():
    nnd, zz = preset("nnd-like"), preset("zigzag-like")
    # nn-dataflow's command line: --regf 512 and --gbuf 110592 bytes of 16-bit words, shared by every tensor
    assert (nnd.levels[2].size_words, nnd.levels[1].size_words) == (256, 55296)
    assert not nnd.levels[1].partitions and "nn-dataflow" in nnd.source
    assert Tensor.WEIGHT not in zz.levels[1].keeps and "ZigZag" in zz.source


def test_the_remainder_space_never_loses_to_the_exact_factor_space_it_contains():
    """Issue #19: with --remainders, AlexNet CONV3 on nnd-like came out 6.3367 per MAC against 6.3317 without (the
    contained searches drew other seeds); search_contained now seeds it with the exact-factor answer."""
    from stationary.search.guarantee import search_contained
    layer, arch = load_network("alexnet", 4)["CONV3"], preset("nnd-like")
    for objective in (Objective.ENERGY, Objective.DELAY_ENERGY):
        exact = search_contained(layer, arch, Dataflow.RS, objective).best
        more = search_contained(layer, arch, Dataflow.RS, objective, remainders=True).best
        assert objective.key(more.energy.total, more.latency.cycles) <= \
            objective.key(exact.energy.total, exact.latency.cycles)
