"""Compute-in-memory: macros with their non-idealities, executed on real tensors (see docs/cim.md)."""
