"""Energy units, said the same way in every table, JSON object and plot (docs/semantics.md, "Units").

An architecture's energies are in pJ (an absolute table) or in multiples of one MAC's energy (the ISCA 2016
normalized table: MAC 1, RF 1, array 2, buffer 6, DRAM 200), written ``x MAC``. In JSON, ``energy`` and
``energy_per_mac`` are in ``energy_unit`` (per MAC for the latter); ``energy_per_mac_normalized`` is always in
multiples of the architecture's own MAC energy (the ISCA view, comparable across tables); ``energy_pj`` appears
only where the figure is in pJ (never ``null``).

>>> from stationary.arch import preset
>>> energy_json(1000.0, 100, preset("eyeriss"))
{'energy': 1000.0, 'energy_unit': 'x MAC', 'energy_per_mac': 10.0, 'energy_per_mac_normalized': 10.0}
>>> tl = preset("timeloop-eyeriss-like")
>>> sorted(energy_json(2200.0, 100, tl))
['energy', 'energy_per_mac', 'energy_per_mac_normalized', 'energy_pj', 'energy_unit']
>>> per_mac_text(2200.0, 100, preset("eyeriss"))
'22.000 x MAC'
"""
from __future__ import annotations

from stationary.arch.spec import Arch, Unit

NORMALIZED = "x MAC"   # multiples of one MAC's energy (ISCA 2016)


def energy_unit(arch: Arch) -> str:
    """The unit of ``arch``'s energies as tables, JSON and plots name it: ``pJ`` or ``x MAC``."""
    return "pJ" if arch.unit is Unit.PJ else NORMALIZED


def energy_json(total: float, macs: int, arch: Arch) -> dict:
    """The energy fields of one result: the total and per MAC in the arch's unit, the normalized per MAC, and
    ``energy_pj`` where the unit is pJ."""
    out = {"energy": total, "energy_unit": energy_unit(arch), "energy_per_mac": total / macs,
           "energy_per_mac_normalized": total / (macs * arch.mac.mac_energy)}
    if arch.unit is Unit.PJ:
        out["energy_pj"] = total
    return out


def per_mac_text(total: float, macs: int, arch: Arch) -> str:
    """Energy per MAC with its unit: ``8.22 pJ/MAC (3.737 x MAC)`` on a pJ table, ``3.737 x MAC`` otherwise."""
    normalized = f"{total / (macs * arch.mac.mac_energy):.3f} {NORMALIZED}"
    if arch.unit is Unit.PJ:
        return f"{total / macs:.3f} pJ/MAC ({normalized} of {arch.mac.mac_energy:g} pJ)"
    return normalized
