"""Sensor front ends as a table and as JSON, beside the talk's figures (HOG in the imager: 96.5% less bandwidth
than 8-bit output; ASP: 10x less read bandwidth, 10x fewer ADC conversions)."""
from __future__ import annotations

from stationary.report.table import format_table

TALK = {"hog-imager": "96.5% less bandwidth than 8-bit output", "asp": "10x less read bandwidth, 10x fewer ADC "
        "conversions"}


def frontend_json(fronts, networks=None, accuracy=None) -> dict:
    base = fronts[0]
    out = {"frame": [base.height, base.width], "energy_unit": "pJ", "front_ends": []}
    for k, f in enumerate(fronts):
        entry = {"front_end": f.name, "pixels_read": f.pixels_read, "adc_conversions": f.adc_conversions,
                 "adc_bits": f.adc_bits, "values_out": f.values_out, "bits_out": f.bits_out,
                 "energy_pj": f.energy_pj, "energy_nj_per_pixel": f.energy_nj_per_pixel,
                 "energy_by_part_pj": {"readout": f.readout_pj, "adc": f.adc_pj, "compute": f.compute_pj,
                                       "link": f.link_pj},
                 "vs_imager": f.versus(base), "replaces_layers": list(f.replaces), "assumptions": list(f.assumptions),
                 "talk": TALK.get(f.name)}
        if networks is not None:
            net = networks[k]
            entry["network_after"] = {"name": net.name, "layers": len(net.layers), "macs": net.macs}
        out["front_ends"].append(entry)
    if accuracy is not None:
        out["asp_accuracy"] = {"learned": accuracy.learned, "fixed_bank": accuracy.fixed,
                               "fixed_bank_sparse_readout": accuracy.sparse, "kept_on_test_digits": accuracy.kept,
                               "epochs": accuracy.epochs, "seed": accuracy.seed, "threshold": accuracy.threshold}
    return out


def frontend_table(fronts, networks=None, accuracy=None) -> str:
    base = fronts[0]
    headers = ["front end", "pixels read", "ADC conv", "ADC bits", "bits out", "energy uJ", "reads x", "conv x",
               "bandwidth saved", "talk"]
    body = []
    for f in fronts:
        v = f.versus(base)
        body.append([f.name, f.pixels_read, f.adc_conversions, f.adc_bits, f.bits_out, f"{f.energy_pj / 1e6:.2f}",
                     f"{v['reads_x']:.1f}x", f"{v['conversions_x']:.1f}x", f"{100 * v['bandwidth_saved']:.2f}%",
                     TALK.get(f.name, "")])
    out = [f"Sensor front ends, one {base.height} x {base.width} frame (energy: readout, ADC, on-sensor compute, link)",
           format_table(headers, body), "", "Assumptions:"]
    out += [f"- {f.name}: " + "; ".join(f.assumptions) for f in fronts]
    if networks is not None:
        out += ["", "Left for the accelerator:"]
        out += [f"- after {f.name}: {net.name}, {len(net.layers)} layers, {net.macs:,} MACs"
                for f, net in zip(fronts, networks)]
    if accuracy is not None:
        out += ["", f"LeNet-5 on MNIST ({accuracy.epochs} epochs, seed {accuracy.seed}): first layer learned "
                f"{accuracy.learned:.2%}, fixed ASP bank {accuracy.fixed:.2%}, fixed bank with the sparse readout "
                f"{accuracy.sparse:.2%} (threshold {accuracy.threshold:.2%} of full scale keeps {accuracy.kept:.1%} "
                "of the responses on the test digits)"]
    return "\n".join(out)
