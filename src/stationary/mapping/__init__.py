"""Mappings: per-level temporal and spatial loops, bypass; legality; dataflows as constraints."""
from stationary.mapping.mapping import Axis, LevelMapping, Loop, Mapping

__all__ = ["Axis", "Loop", "LevelMapping", "Mapping"]
from stationary.mapping.legality import check, kept  # noqa: E402

__all__ += ["check", "kept"]
from stationary.mapping.dataflows import Constraints, Dataflow  # noqa: E402

__all__ += ["Constraints", "Dataflow"]
from stationary.mapping.yaml_io import load_mapping_yaml, mapping_to_yaml  # noqa: E402
from stationary.mapping.timeloop import load_timeloop_mapping, load_timeloop_problem  # noqa: E402

__all__ += ["load_mapping_yaml", "mapping_to_yaml", "load_timeloop_mapping", "load_timeloop_problem"]
