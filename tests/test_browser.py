"""The HTML report in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright.

The report must render without console errors, make no request but for the file itself, show the
plot, and show a ``<script>`` quote as text. A screenshot is saved under the test's temporary
directory. Without ``/usr/bin/chromium`` the tests skip, except in CI (``CI`` set), where
``.ci/run`` installs it and a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pytest

import casualties as cas
from casualties.rendering import render
from casualties.report import build_report

pytest.importorskip("matplotlib")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-dev-shm-usage"]
HOSTILE_QUOTE = '<script>document.title = "pwned"; console.error("pwned")</script> & "quoted"'


def _browser_or_skip():
    """Playwright's sync API and the Debian chromium, or a skip (a failure in CI)."""
    missing = []
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing.append("the playwright package (python -m pip install playwright; no browser download needed)")
        sync_playwright = None
    if not Path(CHROMIUM).is_file():
        missing.append("chromium (apt-get install chromium)")
    if missing:
        reason = "the browser test needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason + "; .ci/run installs both")
        pytest.skip(reason)
    return sync_playwright


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    claims = cas.bundled_claims()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        extra = cas.claims_from_records([{"claim_id": "hostile", "source": "SOHR", "date": "2017-06-05", "place": "Raqqa",
                                          "count": "3", "quote": HOSTILE_QUOTE, "url": "javascript:alert(1)"}])
    import pandas as pd

    report = build_report(pd.concat([claims, extra], ignore_index=True))
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render(report, "html"), encoding="utf-8")
    return path


def test_the_html_report_renders_cleanly_in_chromium(report_file, tmp_path):
    sync_playwright = _browser_or_skip()
    messages: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}") if msg.type in ("error", "warning") else None)
            page.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(report_file.as_uri(), wait_until="load")

            assert messages == []
            assert [url for url in requests if not url.startswith("data:")] == [report_file.as_uri()]

            plot = page.locator("figure#plot svg")
            assert plot.count() == 1 and plot.is_visible()
            box = plot.bounding_box()
            assert box is not None and box["width"] > 400 and box["height"] > 200
            assert page.locator("figure#plot svg text", has_text="deaths per month [people]").count() == 1

            assert page.title() != "pwned"  # the quote's script did not run...
            hostile = page.locator("#claim-hostile blockquote")
            assert hostile.inner_text().strip() == HOSTILE_QUOTE  # ...it shows as text
            assert page.locator("#claim-hostile a").count() == 0  # a javascript: URL is not a link
            assert page.locator("script").count() == 0

            assert "SOHR counts about 1,500 civilians" in page.locator("#discrepancies").inner_text()
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            page.emulate_media(media="print")
            assert plot.is_visible()  # readable printed
        finally:
            browser.close()


def _raqqa_file(directory: Path, report) -> Path:
    """The Airwars claims for Raqqa governorate in 2017, as an HTML report."""
    path = directory / "raqqa.html"
    path.write_text(render(report, "html"), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", ["seed", "raqqa"])
def test_the_plot_fits_its_figure_and_has_no_empty_quote(case, report_file, tmp_path, request):
    sync_playwright = _browser_or_skip()
    path = report_file if case == "seed" else _raqqa_file(tmp_path, request.getfixturevalue("raqqa_2017_report"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(path.as_uri(), wait_until="load")
            svg = page.locator("figure#plot svg")
            box = svg.bounding_box()
            assert box is not None
            # every text of the plot (title, panel titles, legend, ticks) lies inside the figure: nothing clipped
            outside = page.evaluate("""() => {
                const svg = document.querySelector('figure#plot svg').getBoundingClientRect();
                return [...document.querySelectorAll('figure#plot svg text')].map(t => [t.textContent, t.getBoundingClientRect()])
                    .filter(([_, r]) => r.width > 0 && (r.left < svg.left - 1 || r.right > svg.right + 1 || r.top < svg.top - 1
                                                        || r.bottom > svg.bottom + 1)).map(([text, _]) => text);
            }""")
            assert outside == []
            assert page.locator("figure#plot svg text", has_text="period of each total claim").count() == (1 if case == "seed" else 0)
            assert page.locator("figure#plot svg text", has_text="after the least change of").count() == 1
            empty = page.evaluate("() => [...document.querySelectorAll('blockquote')].filter(b => !b.textContent.replace(/[\\s\u201c\u201d]/g, '')).length")
            assert empty == 0
            page.locator("figure#plot").screenshot(path=str(tmp_path / f"{case}-plot.png"))
            assert (tmp_path / f"{case}-plot.png").stat().st_size > 10_000
        finally:
            browser.close()
