"""Per-access energy tables, each naming its source.

>>> ISCA2016_NORMALIZED["DRAM"] / ISCA2016_NORMALIZED["RF"]
200.0
"""
from __future__ import annotations

# Chen, Emer, Sze, "Eyeriss: A Spatial Architecture for Energy-Efficient Dataflow for CNNs", ISCA 2016, Table IV:
# normalized energy cost relative to one 16-bit MAC, commercial 65 nm process.
ISCA2016_NORMALIZED: dict[str, float] = {"MAC": 1.0, "RF": 1.0, "array": 2.0, "buffer": 6.0, "DRAM": 200.0}
ISCA2016_SOURCE = "Chen, Emer, Sze, ISCA 2016, Table IV (normalized to a 16-bit MAC, 65 nm)"
