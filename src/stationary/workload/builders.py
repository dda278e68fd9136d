"""Builders for the layer kinds: convolution (grouped, depthwise, pointwise), fully connected, matmul.

>>> conv("CONV2", 256, 48, 27, 5, pad=2, groups=2).E
27
>>> conv("res2a", 256, 64, 56, 1, stride=2, floor=True).E     # reads rows 0..54 of 56
28
>>> fc("FC6", 4096, 9216).macs
37748736
"""
from __future__ import annotations

from stationary.core import StationaryError
from stationary.workload.layer import Layer, LayerKind


def conv(name: str, filters: int, channels: int, size: int | tuple[int, int], kernel: int | tuple[int, int],
         *, stride: int = 1, pad: int | tuple[int, int] = 0, groups: int = 1, batch: int = 1,
         dilation: int = 1, floor: bool = False) -> Layer:
    """A convolution. ``channels`` is per group; ``pad`` is per side (the usual framework convention).

    With ``floor=True`` the output size is rounded down as frameworks do, and the padding is trimmed to
    the rows the stride actually reaches (see :class:`Layer`).
    """
    h, w = (size, size) if isinstance(size, int) else size
    r, s = (kernel, kernel) if isinstance(kernel, int) else kernel
    ph, pw = (pad, pad) if isinstance(pad, int) else pad
    pad_h, pad_w = 2 * ph, 2 * pw
    if floor:
        pad_h = _trimmed(name, "H", h, pad_h, r, stride, dilation)
        pad_w = _trimmed(name, "W", w, pad_w, s, stride, dilation)
    return Layer(name, LayerKind.CONV, M=filters, C=channels, H=h, W=w, R=r, S=s, U=stride, N=batch,
                 G=groups, pad_h=pad_h, pad_w=pad_w, dilation=dilation)


def _trimmed(name: str, axis: str, size: int, pad: int, filt: int, stride: int, dilation: int) -> int:
    span = size + pad - dilation * (filt - 1) - 1
    if span < 0:
        raise StationaryError("the filter does not fit the padded input", where=f"layer {name}", field=axis,
                              value=size)
    return pad - span % stride


def depthwise(name: str, channels: int, size: int, kernel: int, *, stride: int = 1, pad: int = 0,
              batch: int = 1, floor: bool = False) -> Layer:
    """A depthwise convolution: one filter per channel (G = M = channels, C = 1)."""
    return conv(name, channels, 1, size, kernel, stride=stride, pad=pad, groups=channels, batch=batch,
                floor=floor)


def pointwise(name: str, filters: int, channels: int, size: int, *, batch: int = 1) -> Layer:
    """A 1x1 convolution."""
    return conv(name, filters, channels, size, 1, batch=batch)


def fc(name: str, outputs: int, inputs: int, *, batch: int = 1) -> Layer:
    """A fully connected layer: M outputs from C flattened inputs (H = W = R = S = 1)."""
    return Layer(name, LayerKind.FC, M=outputs, C=inputs, N=batch)


def matmul(name: str, tokens: int, d_in: int, d_out: int, *, heads: int = 1, batch: int = 1) -> Layer:
    """A matrix multiplication (tokens x d_in) @ (d_in x d_out), once per head.

    Heads are groups (each has its own second operand), tokens run along E, so the nest is the same as a
    1x1 convolution's: MACs = batch x heads x tokens x d_in x d_out.

    >>> matmul("QK", tokens=128, d_in=64, d_out=128, heads=12).macs
    12582912
    """
    return Layer(name, LayerKind.MATMUL, M=d_out * heads, C=d_in, H=tokens, G=heads, N=batch)
