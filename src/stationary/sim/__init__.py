"""The functional simulator: runs a mapping on real tensors and counts the words it moves.

``simulate(layer, arch, mapping, weights, inputs, precision=..., zero=...)`` -> :class:`SimResult` (counts, output,
reference output, zero savings); ``count_accesses(layer, arch, mapping)`` -> AccessCounts alone;
``reference_conv`` is the convolution from its definition; ``rowstationary`` draws RS mappings on the array.
"""
from stationary.sim.arithmetic import Numeric, Precision, reference_conv
from stationary.sim.counting import count_accesses
from stationary.sim.execute import Execution, execute
from stationary.sim.simulate import CountRow, SimResult, ZeroCounts, ZeroMode, count_rows, simulate

__all__ = ["count_accesses", "execute", "Execution", "Numeric", "Precision", "reference_conv", "simulate",
           "SimResult", "ZeroCounts", "ZeroMode", "CountRow", "count_rows"]
