"""One result shape for every platform (a digital accelerator, a CPU or GPU on its roofline, a compute-in-memory
design) under a set of techniques (algorithm rewrite, precision, pruning, sensor front end), and the cross-level
comparison built on it.

The adapters (``accelerator``, ``processor``, ``cim``) drive the same public functions the commands call
(``stationary evaluate``, ``roofline``, ``cim``, ``tech``, through :mod:`stationary.api`), so every cell of the
cross-level table is what that command reports for the same configuration: the table adds no model of its own.
That is why this package, alone below ``api`` in the layer order, imports it (lazily, inside the adapters).
"""
from stationary.platform.crosslevel import CrossLevel, Interaction
from stationary.platform.result import PlatformResult
from stationary.platform.spec import Platform, PlatformKind, Technique, TechniqueKind, parse_techniques

__all__ = ["CrossLevel", "Interaction", "Platform", "PlatformKind", "PlatformResult", "Technique", "TechniqueKind",
           "parse_techniques"]
