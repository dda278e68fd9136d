"""Malformed spec files always end in a clear StationaryError naming the file: never a traceback, never a default.

Each example takes a valid document (an arch spec, a mapping in this package's format, a Timeloop problem or
map.yaml) and breaks it one way that is invalid wherever it lands: a key no reader knows, a required key deleted,
or a value replaced by one no field accepts (a negative number, a boolean, a nested list, a mapping with an
unknown key), or a loop bound doubled, so that the loops no longer cover the layer. Together the properties run well over 1,000 examples.
"""
import copy
import io
import re
from contextlib import redirect_stderr
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from stationary import cli
from stationary.arch import arch_to_yaml, preset
from stationary.arch.yaml_io import arch_from_yaml
from stationary.core import StationaryError
from stationary.mapping import load_mapping_yaml, load_timeloop_problem, mapping_to_yaml
from stationary.mapping.timeloop import load_timeloop_mapping
from strategies import document_paths

DATA = Path(__file__).parent / "data" / "timeloop"
TL = preset("timeloop-eyeriss-like")
CONV1 = load_timeloop_problem(DATA / "conv1.problem.yaml", name="CONV1")
TL_MAP = yaml.safe_load((DATA / "conv1.map.yaml").read_text())
TL_PROBLEM = yaml.safe_load((DATA / "conv1.problem.yaml").read_text())
OUR_MAP = yaml.safe_load(mapping_to_yaml(load_timeloop_mapping(DATA / "conv1.map.yaml", TL), TL))
ARCH_DOCS = [yaml.safe_load(arch_to_yaml(preset(n))) for n in ("eyeriss", "timeloop-eyeriss-like",
                                                                 "isca2016-ws", "isca2016-nlr")]
ARCH_DOCS.append(yaml.safe_load((Path(__file__).parents[1] / "examples" / "arch" / "eyeriss-256.yaml").read_text()))

BAD_VALUES = (-1, True, [[]], {"?": 1})
# keys whose deletion leaves a document invalid, per document kind (context-free: they are required wherever seen)
REQUIRED = {
    "arch": {"name", "unit", "word_bits", "clock_mhz", "levels", "mac", "kind", "keeps", "read_energy",
             "write_energy", "tensors", "energy"},
    "timeloop-map": {"mapping", "target", "type"},
    "timeloop-problem": {"problem", "instance", "C", "M", "R", "S", "N", "P", "Q"},
    "map": {"levels"},
}
SKIP = {"source"}  # free text: any string is valid (a non-string is still caught: see BAD_VALUES)


_paths = document_paths


def _at(doc, path):
    for key in path:
        doc = doc[key]
    return doc


@st.composite
def broken(draw, doc, kind):
    doc = copy.deepcopy(doc)
    dicts = [p for p, v in _paths(doc) if isinstance(v, dict) and (not p or p[-1] not in SKIP)]
    values = [p for p, _ in _paths(doc) if p and not set(p) & SKIP]
    deletable = [p + (k,) for p in dicts for k in _at(doc, p) if k in REQUIRED[kind]]
    loops = [p for p in values if p[-1] in ("temporal", "factors", "X", "Y") and re.search(r"\d", _at(doc, p))]
    how = draw(st.sampled_from([h for h, ok in (("add", 1), ("replace", 1), ("delete", deletable),
                                                ("rebound", loops)) if ok]))
    if how == "add":
        _at(doc, draw(st.sampled_from(dicts)))[draw(st.sampled_from(["colour", "sise_words", "Z", "bias"]))] = 1
    elif how == "replace":
        path = draw(st.sampled_from(values))
        _at(doc, path[:-1])[path[-1]] = draw(st.sampled_from(BAD_VALUES))
    elif how == "delete":
        path = draw(st.sampled_from(deletable))
        del _at(doc, path[:-1])[path[-1]]
    else:  # loop bounds that no longer multiply to the layer's dimensions
        path = draw(st.sampled_from(loops))
        numbers = list(re.finditer(r"\d+", _at(doc, path)))
        hit = numbers[draw(st.integers(0, len(numbers) - 1))]
        text = _at(doc, path)
        _at(doc, path[:-1])[path[-1]] = text[:hit.start()] + str(int(hit.group()) * 2) + text[hit.end():]
    return yaml.safe_dump(doc, sort_keys=False)


def _clear(call, source):
    try:
        call()
    except StationaryError as err:
        text = str(err)
        assert text.startswith(source) and "\n" not in text, text
        return
    pytest.fail("a malformed spec was accepted")


FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.sampled_from(range(len(ARCH_DOCS))).flatmap(lambda i: broken(ARCH_DOCS[i], "arch")))
def test_broken_arch_specs(text):
    _clear(lambda: arch_from_yaml(text, source="fuzz.yaml"), "fuzz.yaml")


@FAST
@given(broken(OUR_MAP, "map"))
def test_broken_mappings(text):
    _clear(lambda: load_mapping_yaml(text, TL, CONV1), "<mapping text>")


@FAST
@given(broken(TL_MAP, "timeloop-map"))
def test_broken_timeloop_maps(text):
    _clear(lambda: load_mapping_yaml(text, TL, CONV1), "<mapping text>")


@settings(max_examples=150, deadline=None)
@given(broken(TL_PROBLEM, "timeloop-problem"))
def test_broken_timeloop_problems(text):
    _clear(lambda: load_timeloop_problem(text), "<problem text>")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_any_text_as_a_spec(text):
    """Arbitrary text (a path that is not there, a YAML scalar, broken YAML) is an error naming its source."""
    for call in (lambda: arch_from_yaml(text, source="any.yaml"), lambda: load_mapping_yaml(text, TL)):
        try:
            call()
        except StationaryError as err:
            assert "\n" not in str(err)
        else:
            pytest.fail("arbitrary text was accepted")


# ---- through the command line --------------------------------------------------------------------------------
needs_evaluate = pytest.mark.skipif("evaluate" not in cli.COMMANDS,
                                    reason="`stationary evaluate` is not registered in stationary.cli yet")


def _cli(argv) -> tuple[int, str]:
    err = io.StringIO()
    with redirect_stderr(err):
        status = cli.main(argv)
    return status, err.getvalue()


@needs_evaluate
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_cli_reports_broken_specs_in_one_line(tmp_path, data):
    arch_text = data.draw(st.sampled_from(range(len(ARCH_DOCS))).flatmap(lambda i: broken(ARCH_DOCS[i], "arch")))
    map_text = data.draw(broken(TL_MAP, "timeloop-map"))
    arch_file, map_file = tmp_path / "arch.yaml", tmp_path / "map.yaml"
    arch_file.write_text(arch_text)
    map_file.write_text(map_text)
    problem = str(DATA / "conv1.problem.yaml")
    for argv, name in ((["--arch", str(arch_file), "--mapping", str(DATA / "conv1.map.yaml")], "arch.yaml"),
                       (["--arch", "timeloop-eyeriss-like", "--mapping", str(map_file)], "map.yaml")):
        status, err = _cli(["evaluate", "--problem", problem, *argv])
        assert status == 2 and err.startswith("stationary evaluate: error: ") and err.count("\n") == 1, err
        assert name in err, err
