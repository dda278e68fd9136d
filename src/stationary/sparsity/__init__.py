"""Sparsity: statistics and entropy limits (stats), the Eyeriss run-length codec (rlc)."""
