"""One encoder block of BERT-base (Devlin et al., 2019): d_model 768, 12 heads of 64, feed-forward 3072.

All eight layers are matrix multiplications over ``seq_len`` tokens (builders.matmul). The projections
(Q, K, V, attention output, the two feed-forward layers) have real weights; the two attention products
(Q x K^T and scores x V) are one matmul per head (heads are groups), and their "weights" operand is K or V,
an activation. Softmax, layer norms and residual adds hold no MACs and are not layers here.

``Network.inputs`` cannot name the network's input for a layer other than the first, so ``attn_k`` and
``attn_v`` show the layer before them as their input; every other edge is recorded.

>>> net = build(seq_len=128)
>>> net["attn_scores"].macs == 12 * 128 * 64 * 128, net.predecessors("attn_context")
(True, ('attn_scores', 'attn_v'))
"""
from __future__ import annotations

from stationary.workload.builders import matmul
from stationary.workload.network import Network
from stationary.workload.zoo._graph import Graph

D_MODEL, HEADS, D_FF = 768, 12, 3072
DEFAULT_SEQ_LEN = 128


def build(batch: int = 1, seq_len: int = DEFAULT_SEQ_LEN) -> Network:
    d_head, L = D_MODEL // HEADS, seq_len
    g = Graph()
    for name in ("attn_q", "attn_k", "attn_v"):
        g.add(matmul(name, L, D_MODEL, D_MODEL, batch=batch))
    g.add(matmul("attn_scores", L, d_head, L, heads=HEADS, batch=batch), ("attn_q", "attn_k"))
    g.add(matmul("attn_context", L, L, d_head, heads=HEADS, batch=batch), ("attn_scores", "attn_v"))
    g.add(matmul("attn_out", L, D_MODEL, D_MODEL, batch=batch))
    g.add(matmul("ffn_in", L, D_MODEL, D_FF, batch=batch))
    g.add(matmul("ffn_out", L, D_FF, D_MODEL, batch=batch))
    return g.network(f"bert-base-encoder:{seq_len}", (D_MODEL, seq_len, 1))
