"""report.html opens in a real browser: headless Chromium (Debian's package) loads the report
of a run, a comparison and a sweep; every image loads, the page asks the network for
nothing, and its screenshot is not blank.

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
    return {"run": sweep / "0" / "report.html", "comparison": comparison / "report.html",
            "sweep": sweep / "report.html"}


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("kind", ["run", "comparison", "sweep"])
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
    assert page.title().startswith(("When will", "How the runs", "Sweep"))
    page.close()
