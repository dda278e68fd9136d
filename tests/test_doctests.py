"""Every docstring example in the package runs (the public API's examples are part of its contract)."""
import doctest
import importlib
import pkgutil

import pytest

import stationary

OPTIONAL = ("torch", "onnx", "mlxtend", "sklearn")


def _modules():
    for info in pkgutil.walk_packages(stationary.__path__, "stationary."):
        if info.name.endswith("__main__"):
            continue
        yield info.name


@pytest.mark.parametrize("name", sorted(_modules()))
def test_docstring_examples(name):
    try:
        module = importlib.import_module(name)
    except ImportError as err:  # an optional extra that is not installed
        if any(o in str(err) for o in OPTIONAL):
            pytest.skip(str(err))
        raise
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
