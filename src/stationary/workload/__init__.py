"""Workloads: layers, networks, builders, the model zoo, YAML files and importers."""
from stationary.workload.builders import conv, depthwise, fc, matmul, pointwise
from stationary.workload.layer import Layer, LayerKind
from stationary.workload.network import Network

__all__ = ["Layer", "LayerKind", "Network", "conv", "depthwise", "pointwise", "fc", "matmul"]
