"""Architectures: storage levels, fan-outs, the MAC array, energy tables, presets."""
from stationary.arch.presets import PRESETS, preset
from stationary.arch.spec import Arch, ComputeUnit, MemoryLevel, StorageKind, Unit

__all__ = ["Arch", "ComputeUnit", "MemoryLevel", "StorageKind", "Unit", "preset", "PRESETS"]
