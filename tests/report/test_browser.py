"""In a real headless Chromium: hostile transcripts never run in the report or the
viewer and show as literal text; the screenshots in docs/ are taken here.

Chromium comes from Debian's package (`make chromium`, run by `make test` where apt
can install it); playwright drives it, with no browser download. Where Chromium is
missing these tests are skipped with the reason, unless ASSAY_REQUIRE_BROWSER=1.
ASSAY_UPDATE_SCREENSHOTS=1 copies the screenshots into docs/images/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assay import Store, load_rubric, summarise, write_report
from assay.models import load_registry
from assay.report import Viewer, ViewerServer

from ._showcase import MARKER, PAYLOADS, hostile_store, showcase_store

CHROMIUM = os.environ.get("ASSAY_CHROMIUM", "/usr/bin/chromium")
REQUIRE_ENV = "ASSAY_REQUIRE_BROWSER"
DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
# Without the background-networking flags Chromium tries to reach Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by playwright."""
    if not Path(CHROMIUM).exists():
        _unavailable(
            f"browser tests skipped: no Chromium at {CHROMIUM} "
            "(`make chromium` installs Debian's package; ASSAY_CHROMIUM names another)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("browser tests skipped: playwright is not installed (`make install`)")
    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def visit(browser: Any, url: str) -> dict[str, Any]:
    """Open `url` and report what the page did: dialogs, console output, requests,
    its title, whether the payload's flag was set, and its visible text."""
    page = browser.new_page()
    seen: dict[str, Any] = {"dialogs": [], "console": [], "requests": []}
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("console", lambda m: seen["console"].append(m.text))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.goto(url)
    page.wait_for_load_state("load")
    seen["title"] = page.title()
    seen["flag"] = page.evaluate("() => typeof window.__pwned")
    seen["text"] = page.inner_text("body")
    seen["elements"] = page.evaluate(
        """() => ({
            scripts: document.querySelectorAll('script').length,
            iframes: document.querySelectorAll('iframe').length,
            svgs: document.querySelectorAll('svg').length,
            fake: document.querySelectorAll('#fake').length,
            jsLinks: document.querySelectorAll('a[href^="javascript:"]').length,
            foreignImages: [...document.images].filter(i => !i.src.startsWith('data:')).length,
            hidden: getComputedStyle(document.body).display === 'none',
        })"""
    )
    page.close()
    return seen


def assert_inert(seen: dict[str, Any], url: str) -> None:
    assert seen["dialogs"] == [] and seen["console"] == [], url
    assert MARKER not in seen["title"] and seen["flag"] == "undefined", url
    assert seen["requests"] == [url], url  # nothing fetched but the page itself
    assert seen["elements"] == {
        "scripts": 0,
        "iframes": 0,
        "svgs": 0,
        "fake": 0,
        "jsLinks": 0,
        "foreignImages": 0,
        "hidden": False,
    }, url


def test_hostile_transcripts_never_run_and_show_literally(
    browser: Any, tmp_path: Path, loopback: None
) -> None:
    db = hostile_store(tmp_path / "hostile.db")
    store = Store.open(str(db))
    rubric = load_rubric()
    report = write_report(summarise(store.audits(), rubric, ["all"]), tmp_path / "report")
    report_url = report.as_uri()
    seen = visit(browser, report_url)
    assert_inert(seen, report_url)
    for payload in PAYLOADS:
        assert payload in seen["text"], payload
    with ViewerServer(Viewer(store), port=0).start() as server:
        for url in (server.url, server.url + "audit/1", server.url + "?target=" + "%3Cb%3E"):
            seen = visit(browser, url)
            assert_inert(seen, url)
        seen = visit(browser, server.url + "audit/1")
        for payload in PAYLOADS:
            assert payload in seen["text"], payload
        assert "sim/<b>m1</b>" in visit(browser, server.url)["text"]


def test_screenshots_of_the_report_and_the_viewer(
    browser: Any, tmp_path: Path, loopback: None
) -> None:
    db, registry_file = showcase_store(tmp_path / "showcase.db")
    store = Store.open(str(db))
    summary = summarise(
        store.audits(), load_rubric(), ["showcase"], registry=load_registry([registry_file])
    )
    report = write_report(summary, tmp_path / "report")
    shots = tmp_path / "shots"
    shots.mkdir()
    page = browser.new_page(viewport={"width": 1280, "height": 1500})
    page.goto(report.as_uri())
    figure = page.locator("figure img").first
    assert figure.evaluate("img => img.naturalWidth") > 400  # the trajectory figure drew
    page.screenshot(path=str(shots / "report.png"), full_page=False)
    figure.screenshot(path=str(shots / "trajectory.png"))
    with ViewerServer(Viewer(store), port=0).start() as server:
        page.goto(server.url)
        assert "36 of 36 audits match" in page.inner_text("body")
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.screenshot(path=str(shots / "viewer-list.png"))
        page.goto(server.url + "audit/1")
        assert page.locator("mark").count() == 3
        page.screenshot(path=str(shots / "viewer-audit.png"), full_page=True)
    page.close()
    for name in ("report.png", "trajectory.png", "viewer-list.png", "viewer-audit.png"):
        assert (shots / name).stat().st_size > 20_000, name
    if os.environ.get("ASSAY_UPDATE_SCREENSHOTS") == "1":
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        for shot in shots.iterdir():
            shutil.copy(shot, DOCS_IMAGES / shot.name)
