"""Importers: a PyTorch module (through torch.fx) or an ONNX model, each to a :class:`Network`.

torch and onnx are optional extras (``pip install 'stationary[torch]'``, ``'stationary[onnx]'``), imported
only inside the functions below; this package imports without them. See docs/importers.md.

>>> callable(from_torch) and callable(from_onnx)
True
"""
from stationary.workload.importers.onnx import from_onnx
from stationary.workload.importers.torch_fx import from_torch

__all__ = ["from_torch", "from_onnx"]
