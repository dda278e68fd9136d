"""The Eyeriss chip end to end: per-layer RS configuration, zero gating, 65 nm energy, chip-level figures."""
