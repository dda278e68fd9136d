"""The mapper: ``search(layer, arch, dataflow, objective=...)`` returns the best mappings and how it found them.

>>> from stationary.arch import preset
>>> from stationary.workload import fc
>>> r = search(fc("fc", 8, 16), preset("eyeriss"), None, objective=Objective.parse("delay,energy"))
>>> r.best.latency.cycles >= fc("fc", 8, 16).macs // 168, r.candidates > 0
(True, True)
"""
from stationary.search.mapper import SearchResult, search
from stationary.search.objective import Objective

__all__ = ["Objective", "SearchResult", "search"]
