"""CPUs and GPUs: device presets with sourced specs, the roofline model of a layer under an algorithm, and
this machine measured (numpy's BLAS on the lowered GEMMs, STREAM-like bandwidth, torch's CPU convolution)."""
from stationary.roofline.devices import PRESETS, Device, device
from stationary.roofline.host import HostMeasurement, measure_host
from stationary.roofline.model import RooflinePoint, point
from stationary.roofline.network import RooflineResult, roofline_network

__all__ = ["PRESETS", "Device", "device", "HostMeasurement", "measure_host", "RooflinePoint", "point",
           "RooflineResult", "roofline_network"]
