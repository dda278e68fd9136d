"""The analytical model: access counts, energy, latency."""
from stationary.model.analysis import analyze
from stationary.model.counts import AccessCounts, LevelCounts, NetworkCounts

__all__ = ["analyze", "AccessCounts", "LevelCounts", "NetworkCounts"]
