"""Playwright against Debian's Chromium, driving pytest-django's live server.

Browser tests are marked `browser` and left out of the default run; `make
browser-test` runs them. They never skip: without /usr/bin/chromium they fail
and say how to install it.
"""

import contextlib
import os
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.factories import PASSWORD
from tests.video.conftest import bbb  # noqa: F401 (the BigBlueButton fake, for test_video)

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


DOCS_SCREENSHOTS = Path(django_settings.BASE_DIR).parent.parent / "docs" / "screenshots"
# A phone: 390×844, a touch screen that honours the page's viewport meta tag.
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def new_context(
    browser: Browser, *, locale: str, timezone_id: str, phone: bool = False
) -> BrowserContext:
    size = PHONE if phone else {"viewport": {"width": 1280, "height": 900}}
    context = browser.new_context(locale=locale, timezone_id=timezone_id, **size)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def log_in(
    page: Page, base: str, person: Any, lang: str = "en", zone: str = "America/Toronto"
) -> None:
    """Sign in through the login page, as a person would (the context's zone is `zone`)."""
    page.goto(base + url("account_login", lang))
    # timezone.js may reload the page once to tell the server the browser's zone:
    # wait for the page that knows it, so the reload cannot swallow what is typed.
    expect(page.locator("html")).to_have_attribute("data-tz", zone)
    form = page.locator("#main form").filter(has=page.locator("#id_password"))
    form.locator("#id_login").fill(person.email)
    form.locator("#id_password").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    # On a phone the log-out button is folded in the menu: present, not necessarily shown.
    logout = page.locator(f'.main-nav form[action="{url("account_logout", lang)}"] button')
    expect(logout).to_be_attached()


def open_menu(page: Page) -> None:
    """On a phone the main links fold under "Menu": open it, as a person would."""
    summary = page.locator(".main-nav summary")
    if summary.is_visible() and page.locator(".main-nav details[open]").count() == 0:
        summary.click()


def doc_screenshot(page: Page, name: str) -> None:
    """A small picture for the README: what the viewport shows, not the whole page."""
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS_SCREENSHOTS / f"{name}.png"), type="png", full_page=False)


def assert_accessible(page: Page) -> None:
    """axe-core (bundled with axe-playwright-python, never downloaded) finds no violation."""
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def screenshot(page: Page, name: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def contexts(request, browser):
    """Open browser contexts with `contexts(locale=…, timezone_id=…, phone=False)`; on failure,
    every open page is saved to test-results/ for whoever reads the CI log."""
    opened: list[BrowserContext] = []

    def make(*, locale: str, timezone_id: str, phone: bool = False) -> BrowserContext:
        context = new_context(browser, locale=locale, timezone_id=timezone_id, phone=phone)
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
