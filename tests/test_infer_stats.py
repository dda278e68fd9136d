"""Densities, histograms and non-zero MAC counts, checked by arithmetic and by brute force."""
import numpy as np

from stationary.infer import activation_stats, build, forward
from stationary.infer.model import init_model, relu
from stationary.workload import Network, conv


def test_densities_by_arithmetic():
    m = build("digits-cnn", seed=1)
    w = dict(m.weights)
    conv1 = w["CONV1"][0].copy()
    conv1[:8] = 0                                   # 8 of 16 filters zero: density 1/2
    w["CONV1"] = (conv1, w["CONV1"][1])
    m = m.with_weights(w)
    x = np.zeros((5, 1, 8, 8), np.float32)
    x[:, :, :4, :] = 1.0                           # half of every image non-zero
    stats = activation_stats(m, x)
    assert stats[0].ifmap_density == 0.5 and stats[0].weight_density == 0.5
    acts = forward(m, x)
    for s, a, following in zip(stats, acts, stats[1:]):
        assert s.ofmap_density == following.ifmap_density == np.count_nonzero(a.ofmap) / a.ofmap.size
    for s in stats:
        assert sum(s.ifmap_hist.counts) == 5 * np.prod(forward(m, x)[[x.name for x in stats].index(s.name)]
                                                         .ifmap.shape[1:])
        assert len(s.weight_hist.edges) == len(s.weight_hist.counts) + 1


def test_nonzero_macs_by_brute_force():
    net = Network("t", (conv("c1", 2, 1, 5, 3, pad=1), conv("c2", 2, 2, 5, 3)))
    m = init_model(net, (relu(),), (), seed=4)
    w = dict(m.weights)
    w1 = w["c1"][0].copy()
    w1[0, 0, 0, :] = 0
    w["c1"] = (w1, w["c1"][1])
    m = m.with_weights(w)
    rng = np.random.default_rng(0)
    x = (rng.random((3, 1, 5, 5)) * (rng.random((3, 1, 5, 5)) > 0.4)).astype(np.float32)
    stats = activation_stats(m, x)
    acts = forward(m, x)
    for layer, s, a in zip(net.layers, stats, acts):
        wl = m.weights[layer.name][0]
        count = 0
        xp = np.pad(a.ifmap, ((0, 0), (0, 0), (layer.pad_h // 2,) * 2, (layer.pad_w // 2,) * 2))
        for n in range(3):
            for mm in range(layer.M):
                for e in range(layer.E):
                    for f in range(layer.F):
                        patch = xp[n, :, e:e + layer.R, f:f + layer.S]
                        count += np.count_nonzero((patch != 0) & (wl[mm] != 0))
        assert s.nonzero_macs == count / 3
        assert s.macs == layer.M * layer.C * layer.E * layer.F * layer.R * layer.S
