"""Playwright against Debian's Chromium, driving pytest-django's live server.

Browser tests are marked `browser` and left out of the default run; `make
browser-test` runs them. They never skip: without /usr/bin/chromium they fail
and say how to install it.
"""

import contextlib
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
RESULTS = Path(django_settings.BASE_DIR).parent.parent / "test-results"
TIMEOUT_MS = 15_000  # for actions (click, fill, goto); a busy CI machine is slow
expect.set_options(timeout=10_000)


def url(name: str, lang: str, **kwargs) -> str:
    """A path in the given language: French paths are translated, so always reverse."""
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so `contexts` can screenshot a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
            "Install it with `apt-get update && apt-get install -y chromium` "
            "(never a Playwright browser download).",
            pytrace=False,
        )
    # Playwright's sync API runs an asyncio loop in this thread, and Django refuses
    # ORM calls from a thread with a running loop unless told they are safe: only
    # while the browser tests run, never for the rest of the suite.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def browser_live(reference_lists, live_server):
    """The live server, on a committed database holding the reference lists.

    (Serialized rollback cannot keep them here: once Playwright's event loop runs
    in this thread, asgiref hands Django a fresh connection object, without the
    serialized copy; so `reference_lists` loads them again.)
    """
    return live_server


def new_context(browser: Browser, *, locale: str, timezone_id: str) -> BrowserContext:
    context = browser.new_context(
        locale=locale, timezone_id=timezone_id, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def screenshot(page: Page, name: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def contexts(request, browser):
    """Open browser contexts with `contexts(locale=…, timezone_id=…)`; on failure,
    every open page is saved to test-results/ for whoever reads the CI log."""
    opened: list[BrowserContext] = []

    def make(*, locale: str, timezone_id: str) -> BrowserContext:
        context = new_context(browser, locale=locale, timezone_id=timezone_id)
        opened.append(context)
        return context

    yield make
    failed = getattr(request.node, "report_call", None) is not None and (
        request.node.report_call.failed
    )
    for i, context in enumerate(opened):
        if failed:
            for j, page in enumerate(context.pages):
                # A failed screenshot must not hide the test's own failure.
                with contextlib.suppress(Exception):
                    screenshot(page, f"{request.node.name}-FAILED-{i}-{j}")
        context.close()
