"""The HTML reports in a real headless Chromium: they load with no console error (the page's Content-Security-
Policy turns any network fetch into one), every table and image renders, the tables sort; screenshots are kept in
test-artifacts/ (or $STATIONARY_TEST_ARTIFACTS). Chromium is Debian's package, installed by headless.py when
missing and the tests run as root."""
import os
import re

import pytest

from headless import Browser, find_chromium
from stationary.cli import main

ARTIFACTS = os.environ.get("STATIONARY_TEST_ARTIFACTS",
                           os.path.join(os.path.dirname(__file__), os.pardir, "test-artifacts"))


@pytest.fixture(scope="module")
def browser():
    binary = find_chromium()
    if binary is None:
        pytest.skip("no chromium, and cannot install it (needs root and apt-get: apt-get install -y chromium)")
    b = Browser(binary)
    yield b
    b.close()


@pytest.fixture(scope="module")
def pages(small_store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    study = str(folder / "study.html")
    assert main(["report", small_store, "-o", study]) == 0
    evaluation = str(folder / "evaluation.html")
    assert main(["evaluate", "lenet5", "--arch", "eyeriss", "--layer", "F6", "--layer", "OUTPUT",
                 "--objective", "energy", "--html", evaluation]) == 0
    comparison = str(folder / "comparison.html")
    assert main(["compare", "lenet5", "--layer", "OUTPUT", "--dataflow", "ws", "--dataflow", "rs", "--batch", "1",
                 "--jobs", "1", "--quiet", "--html", comparison]) == 0
    crosslevel = str(folder / "crosslevel.html")
    net = os.path.join(os.path.dirname(__file__), os.pardir, "examples", "networks", "small-cnn.yaml")
    assert main(["crosslevel", net, "--platforms", "eyeriss,gpu:gp100,cim:isaac", "--techniques", "none,int8,prune",
                 "--html", crosslevel]) == 0
    return {"study": study, "evaluation": evaluation, "comparison": comparison, "crosslevel": crosslevel}


def _render(browser, path: str) -> dict:
    assert browser.load(path) == []
    return browser.evaluate("""(() => ({
        images: [...document.images].map(i => [i.complete, i.naturalWidth, i.getBoundingClientRect().width]),
        tables: [...document.querySelectorAll('table')].map(t => [t.tBodies[0].rows.length,
                                                                 t.getBoundingClientRect().height]),
        external: [...document.querySelectorAll('[src],[href]')].map(e => e.getAttribute('src') ||
                  e.getAttribute('href')).filter(u => !u.startsWith('data:')),
        text: document.body.innerText, source: document.body.textContent}))()""")


@pytest.mark.parametrize("name, images, heading", [("study", 3, "Study small"),
                                                   ("evaluation", 1, "lenet5 on eyeriss"),
                                                   ("comparison", 1, "Energy per MAC by dataflow"),
                                                   ("crosslevel", 1, "Interactions: a pair against")])
def test_report_renders_in_chromium_without_console_errors(browser, pages, name, images, heading):
    page = _render(browser, pages[name])
    assert len(page["images"]) >= images
    assert all(done and natural > 0 and shown > 0 for done, natural, shown in page["images"])
    assert page["tables"] and all(rows > 0 and height > 0 for rows, height in page["tables"])
    assert page["external"] == []
    assert heading in page["text"] and "Provenance" in page["text"]
    os.makedirs(ARTIFACTS, exist_ok=True)
    shot = browser.screenshot(os.path.join(ARTIFACTS, f"report-{name}.png"))
    assert os.path.getsize(shot) > 10_000


def test_study_report_holds_loop_nests_breakdowns_provenance_and_sorts(browser, pages):
    page = _render(browser, pages["study"])
    text = page["text"]
    assert "Best designs" in text and re.search(r"for [MCNEFRS] in \[0:\d+\)", page["source"])  # folded nests
    assert "ALU per MAC" in text and "stationary" in text and "arch sources" in text
    # sorting the points by energy (a click on its head) puts them in energy order
    order = browser.evaluate("""(() => {
        const t = [...document.querySelectorAll('table.sortable')].find(t => t.tHead.innerText.includes('energy_unit'));
        const col = [...t.tHead.rows[0].cells].findIndex(c => c.innerText.trim().startsWith('energy'));
        t.tHead.rows[0].cells[col].click();
        return [...t.tBodies[0].rows].map(r => parseFloat(r.cells[col].getAttribute('data-v')));
    })()""")
    assert len(order) == 8 and order == sorted(order)
    assert browser.errors() == []
