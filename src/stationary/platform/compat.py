"""Which techniques compose with which platform, and why not where they do not (the rules as data, one reason each).

>>> from stationary.platform.spec import Platform, parse_techniques
>>> why_not(Platform.parse("cim:isaac"), parse_techniques("fft"), "lenet5")[:45]
'fft on cim:isaac: a crossbar computes each ma'
>>> why_not(Platform.parse("eyeriss"), parse_techniques("winograd+int8"), "alexnet") is None
True
"""
from __future__ import annotations

from stationary.platform.spec import Platform, PlatformKind, Technique, TechniqueKind

# (platform kind, technique kind) -> why the pair cannot run; pairs not listed compose.
RULES: dict[tuple[PlatformKind, TechniqueKind], str] = {
    (PlatformKind.CIM, TechniqueKind.ALGORITHM):
        "a crossbar computes each matrix-vector product in one analog step, so an algorithm that saves "
        "multiplications saves nothing there; Winograd's and FFT's transformed weights are also fractional "
        "(FFT's complex) and would need more cells and signed inputs",
    (PlatformKind.CIM, TechniqueKind.PRECISION):
        "ISAAC's pipeline is built around 16-bit operands (eight 2-bit cells per weight, 16 one-bit input "
        "cycles, 8-bit ADCs); a narrower ISAAC would be another design, not modelled here",
    (PlatformKind.CIM, TechniqueKind.SENSOR):
        "the CIM runner executes the network it trained on pixels; an angle-sensitive front end needs the "
        "crossbar network retrained on the optical layer's outputs, which is not wired",
}
# CIM designs that fix their own workload (a network name they accept, or None for their own classifier)
FIXED_WORKLOAD = {
    "sram-binary": "a fixed 9 x 9 MNIST classifier of +/-1 weights (Zhang, Wang, Verma, JSSC 2017), not a CNN",
    "switched-cap": "one fixed 32 x 32 x 3 -> 4 x 4 x 9 feature layer (Lee and Wong, JSSC 2017), not a CNN",
}
TRAINED = ("lenet5",)   # networks with real weights trained here on real digits (accuracy is measured on these)


def why_not(platform: Platform, techniques: tuple[Technique, ...], network: str) -> str | None:
    """The reason ``techniques`` cannot run on ``platform`` for ``network``, or None when they can."""
    for t in techniques:
        reason = RULES.get((platform.kind, t.kind))
        if reason:
            return f"{t} on {platform.name}: {reason}"
        if t.kind is TechniqueKind.SENSOR and network not in TRAINED + ("alexnet", "vgg16"):
            return f"{t}: the angle-sensitive front end replaces a first CONV layer of edge filters on images"
    if platform.kind is PlatformKind.CIM:
        if platform.target in FIXED_WORKLOAD:
            return f"{platform.target} runs {FIXED_WORKLOAD[platform.target]}"
        if network not in TRAINED:
            return (f"a CIM design is executed on real weights and data; {network} has no trained weights here "
                    f"(networks trained on real digits: {', '.join(TRAINED)})")
    return None
