"""Architectures: storage levels, fan-outs, the MAC array, energy tables, presets."""
from stationary.arch.presets import PRESETS, preset
from stationary.arch.spec import Arch, ComputeUnit, MemoryLevel, StorageKind, Unit

__all__ = ["Arch", "ComputeUnit", "MemoryLevel", "StorageKind", "Unit", "preset", "PRESETS"]
from stationary.arch.yaml_io import arch_from_yaml, arch_to_yaml, load_arch  # noqa: E402
from stationary.arch.area import arch_area  # noqa: E402

__all__ += ["load_arch", "arch_from_yaml", "arch_to_yaml", "arch_area"]
