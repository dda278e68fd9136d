"""The functional simulator: runs a mapping on real tensors and counts the words it moves."""
from stationary.sim.counting import count_accesses

__all__ = ["count_accesses"]
