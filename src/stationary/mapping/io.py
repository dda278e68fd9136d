"""One layer and one mapping from files, whatever their format: a Timeloop problem YAML or a network YAML holding
the layer; a Timeloop ``map.yaml`` or this package's mapping YAML (see :mod:`stationary.mapping.yaml_io`).

>>> from stationary.arch import preset
>>> from stationary.workload import conv
>>> from stationary.core import Dim
>>> layer, m = load_problem_and_mapping(conv("c", 2, 1, 3, 3), "levels: {DRAM: {temporal: M2 R3 S3}}",
...                                     preset("eyeriss"))
>>> m.bounds()[Dim.M], layer.macs
(2, 18)
"""
from __future__ import annotations

from stationary.arch.spec import Arch
from stationary.arch.yaml_io import read_yaml
from stationary.core import StationaryError
from stationary.mapping.mapping import Mapping
from stationary.mapping.yaml_io import mapping_from_data
from stationary.workload.layer import Layer


def load_problem(path: str) -> Layer:
    """A Timeloop problem YAML, or a network YAML with exactly one layer."""
    data, source = read_yaml(path, "problem")
    if isinstance(data, dict) and "problem" in data:
        from stationary.mapping.timeloop import problem_from_timeloop
        return problem_from_timeloop(data, source)
    from stationary.workload.files import load_network_yaml
    net = load_network_yaml(path)
    if len(net.layers) != 1:
        raise StationaryError("a problem file must hold exactly one layer", source=source, field="layers",
                              value=len(net.layers))
    return net.layers[0]


def load_problem_and_mapping(problem: str | Layer, mapping: str, arch: Arch) -> tuple[Layer, Mapping]:
    """The layer (a file or a Layer) and its mapping, checked for legality with errors located at the file."""
    layer = problem if isinstance(problem, Layer) else load_problem(problem)
    data, source = read_yaml(mapping, "mapping")
    return layer, mapping_from_data(data, arch, source, layer)
