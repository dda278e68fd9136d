"""Workloads: layers, networks, builders, the model zoo, YAML files and importers."""
from stationary.workload.builders import conv, depthwise, fc, matmul, pointwise
from stationary.workload.layer import Layer, LayerKind
from stationary.workload.network import Network

__all__ = ["Layer", "LayerKind", "Network", "conv", "depthwise", "pointwise", "fc", "matmul"]
from stationary.workload import zoo
from stationary.workload.files import (dump_network_yaml, load_network, load_network_yaml, network_from_yaml,
                                       network_to_yaml)
from stationary.workload.summary import NetworkSummary, summarize

__all__ += ["zoo", "load_network", "load_network_yaml", "dump_network_yaml", "network_from_yaml", "network_to_yaml",
            "NetworkSummary", "summarize"]
