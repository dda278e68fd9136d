"""Every energy figure in every command's ``--json`` output says its unit (issue #12; docs/semantics.md, "Units").

Commands are discovered from the parser (every command with a ``--json`` option is run on the fuzz harness's
small valid inputs). An energy field is a key naming energy (``energy...``) or an energy breakdown; its unit is in
its key (``energy_pj``, ``energy_uj_per_image``, ``..._normalized`` = multiples of one MAC's energy) or in an
``energy_unit`` (or ``<key>_unit``) beside it. ``null`` is not a figure: a field that has no value is left out.
"""
import contextlib
import io
import json
import re

import pytest

import fuzz_harness as fh
from stationary.cli import main

# options that keep the long commands short (their JSON has the same keys)
SHORT = {"quantize": ["--qat-epochs", "0", "--schemes", "fixed8"],
         "prune": ["--finetune-epochs", "0", "--energy-samples", "20", "--method", "magnitude"]}
# the unit in the key: an SI energy, "normalized" (multiples of one MAC's energy), or "relative" (a ratio)
UNIT_IN_KEY = re.compile(r"(^|_)(pj|fj|nj|uj|mj|j|normalized|relative)(_|$)")


def energy_fields_without_unit(node, path="$"):
    """(path, key) of every energy figure whose unit is neither in its key nor beside it."""
    found = []
    if isinstance(node, list):
        for i, item in enumerate(node):
            found += energy_fields_without_unit(item, f"{path}[{i}]")
    elif isinstance(node, dict):
        for key, value in node.items():
            name = str(key).lower()
            is_energy = ("energy" in name or "breakdown" in name) and not name.endswith("_unit")
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool) or (
                isinstance(value, dict) and value and all(isinstance(v, (int, float)) for v in value.values()))
            if is_energy and (numeric or value is None):
                if value is None:
                    found.append((path, key, "null"))
                elif not (UNIT_IN_KEY.search(name) or "energy_unit" in node or f"{key}_unit" in node):
                    found.append((path, key, "no unit"))
            if isinstance(value, (dict, list)) and not (is_energy and numeric):
                found += energy_fields_without_unit(value, f"{path}.{key}")
    return found


def test_the_rule_itself():
    assert energy_fields_without_unit({"energy_pj": 1.0, "energy_uj_per_image": 2}) == []
    assert energy_fields_without_unit({"energy": 3.0, "energy_unit": "pJ", "breakdown": {"RF": 1.0},
                                       "breakdown_unit": "x MAC"}) == []
    assert energy_fields_without_unit({"layers": [{"energy": 3.0}]}) == [("$.layers[0]", "energy", "no unit")]
    assert energy_fields_without_unit({"energy_pj": None}) == [("$", "energy_pj", "null")]
    assert energy_fields_without_unit({"energy_model": "Horowitz 45 nm", "relative_mac_energy": 0.2}) == []


def _json_commands():
    out = []
    for command, options in fh.discover().items():
        if any(o.flag == "--json" for o in options):
            out.append((command, fh.base_argv(command, options) + SHORT.get(command, []) + ["--json"]))
    return out


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("units")
    for name, data in fh.seed_files().items():
        (path / name).write_bytes(data)
    return path


@pytest.mark.parametrize("command,argv", _json_commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_energy_figure_in_json_has_its_unit(command, argv, folder, monkeypatch):
    monkeypatch.chdir(folder)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = main(argv)
        except SystemExit as exit_:
            rc = exit_.code
    assert rc in (0, 1, 2) and "Traceback" not in err.getvalue(), err.getvalue()
    text = out.getvalue()
    if not text.strip():
        pytest.fail(f"`stationary {' '.join(argv)}` printed no JSON (exit {rc}): {err.getvalue()[-300:]}")
    document = json.loads(text)
    assert energy_fields_without_unit(document) == []
