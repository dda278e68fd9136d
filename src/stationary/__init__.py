"""stationary: model, simulate and evaluate DNN accelerator dataflows the way the Eyeriss work does."""
from stationary.core import Dim, StationaryError, Tensor

__version__ = "0.1.0"
__all__ = ["Dim", "Tensor", "StationaryError", "__version__"]
