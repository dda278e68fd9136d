"""Fixtures shared by the study tests: one small study run once per session (tests/data/study/small.yaml)."""
import os
import shutil

import pytest

STUDY_DIR = os.path.join(os.path.dirname(__file__), "data", "study")
SMALL = os.path.join(STUDY_DIR, "small.yaml")


@pytest.fixture(scope="session")
def small_store(tmp_path_factory):
    """The small study run in one process, uninterrupted: the reference every other run is held to."""
    from stationary.study.execute import run_study
    out = str(tmp_path_factory.mktemp("study") / "small.sqlite")
    run_study(SMALL, out, jobs=1, progress=False)
    return out


@pytest.fixture
def store_copy(small_store, tmp_path):
    """A private copy of the reference store, for tests that damage it."""
    path = str(tmp_path / "copy.sqlite")
    shutil.copyfile(small_store, path)
    return path
