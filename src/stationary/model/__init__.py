"""The analytical model: access counts, energy, latency."""
from stationary.model.analysis import analyze
from stationary.model.conventions import Conventions
from stationary.model.counts import AccessCounts, LevelCounts, NetworkCounts
from stationary.model.energy import Energy, EnergyEntry, energy
from stationary.model.evaluate import LayerResult, NetworkResult, evaluate
from stationary.model.latency import Latency, latency

__all__ = ["analyze", "Conventions", "AccessCounts", "LevelCounts", "NetworkCounts", "Energy", "EnergyEntry", "energy",
           "Latency", "latency", "LayerResult", "NetworkResult", "evaluate"]
