"""report.html opens in a real browser: headless Chromium (Debian's package) loads the report
of a run, a comparison, a sweep and a validation; every image loads, the page asks the
network for nothing, its screenshot is not blank, and at 400 px and 1280 px nothing runs off
the screen.

Chromium is driven by Playwright for Python, with Debian's own ``/usr/bin/chromium`` (no
browser download). ``.ci/run`` installs Chromium where it is missing; the test is skipped,
saying why, only where it cannot be.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from conftest import run_cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed (pip install -e "
                                  "'.[test]' installs it)")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium on this machine: `apt-get install chromium` (as .ci/run "
                             "does) could not be run here")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """report.html of a run, a comparison and a sweep, made from the command line."""
    cwd = tmp_path_factory.mktemp("user")
    # a sweep's job draws its figures only when asked: here, to test a run's report
    proc = run_cli("-m", "seed=0,1", "horizon=2028-12-31", "outputs.figures=always", cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    (sweep,) = (cwd / "results" / "multirun").iterdir()
    proc = run_cli(sweep, cwd=cwd, module="sim.compare")
    assert proc.returncode == 0, proc.stderr
    (comparison,) = (cwd / "results" / "compare").iterdir()
    proc = run_cli("--replications", "4", "--dates", "2025-10-31,2025-12-31", cwd=cwd,
                   module="sim.validate")
    assert proc.returncode == 0, proc.stderr
    (validation,) = (cwd / "results" / "validation").iterdir()
    return {"run": sweep / "0" / "report.html", "comparison": comparison / "report.html",
            "sweep": sweep / "report.html", "validation": validation / "report.html"}


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


KINDS = ["run", "comparison", "sweep", "validation"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_report_renders_offline_with_every_image(kind, reports, browser):
    import numpy as np
    from PIL import Image

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    asked = []
    page.on("request", lambda r: asked.append(r.url))
    url = reports[kind].resolve().as_uri()
    page.goto(url, wait_until="load")
    images = page.eval_on_selector_all(
        "img", "els => els.map(e => [e.complete, e.naturalWidth, e.naturalHeight])")
    svgs = page.eval_on_selector_all("figure svg", "els => els.length")
    assert len(images) + svgs >= 1
    assert all(done and width > 0 and height > 0 for done, width, height in images), images
    outside = [u for u in asked if u != url and not u.startswith(("data:", "about:"))]
    assert not outside, outside
    shot = np.asarray(Image.open(io.BytesIO(page.screenshot(full_page=False))).convert("L"))
    assert shot.std() > 10, "the screenshot is blank"
    assert (shot < 128).mean() > 0.01  # text and figures, not an empty page
    assert page.title().startswith(("When will", "How the runs", "Sweep", "How good"))
    page.close()


@pytest.mark.parametrize("width", [400, 1280])
@pytest.mark.parametrize("kind", KINDS)
def test_on_a_phone_or_a_laptop_nothing_runs_off_the_screen(kind, width, reports, browser):
    """At 400 px (a phone) and 1280 px (a laptop) wide the page itself never scrolls
    sideways: a wide table scrolls in its own box, figures shrink to fit."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(reports[kind].resolve().as_uri(), wait_until="load")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("document.body.scrollWidth") <= width
    assert page.eval_on_selector_all("table", "els => els.length") >= 1
    boxes = page.eval_on_selector_all(
        "table", "els => els.map(e => getComputedStyle(e.parentElement).overflowX)")
    assert set(boxes) <= {"auto", "scroll"}, boxes  # each table in a box of its own
    page.close()
