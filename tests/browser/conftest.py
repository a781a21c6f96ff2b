"""Browser tests: a real Chromium (Debian's) driven by Playwright against the live test server.

Helpers here: ``browser`` (one Chromium for the session), ``new_page(viewport)`` (a fresh
context per person, so cookies never mix), ``check_a11y(page, name)`` (axe: no serious or critical
violation) and ``shot(page, name)`` (a screenshot under artifacts/screenshots/ to look at).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite the browser tests' database is a file, as in production, not the in-memory one.

    The live server answers on several threads (a page and its service worker's requests arrive
    together). An in-memory SQLite database is one connection that Django shares between those
    threads, and two requests interleaving on it fail with "database table is locked". With a
    file, each thread has its own connection and SQLite's locks (WAL, a busy timeout) order them,
    as they do under gunicorn. PostgreSQL needs nothing.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("browser-database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. Run `make test` (installs it as root) or "
            "`sudo apt-get install chromium`, or set CHROMIUM=/path/to/chromium."
        )
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)  # as long as any other wait of the tests (new_page)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable[..., object]]:
    contexts = []

    def make(viewport: dict[str, int] | None = None, color_scheme: str = "light"):
        context = browser.new_context(
            viewport=viewport or PHONE, base_url=live_server.url, color_scheme=color_scheme
        )
        context.set_default_timeout(20_000)  # a busy CI machine is slower than a laptop
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def shot() -> Callable[[object, str], Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def check_a11y() -> Callable[[object, str], None]:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, name: str) -> None:
        results = axe.run(page)
        bad = [
            v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
        ]
        detail = "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in bad
        )
        assert not bad, f"axe found serious/critical problems on {name}: {detail}"

    return check


def click_through(target) -> None:
    """Click a link or a form's button, and wait until the page it opens has loaded.

    A click returns once the browser has taken it: the page it opens may still be on its way, and
    reading the page then (``content()``, ``count()``, ``is_visible()``) reads the old page or a
    half-parsed new one. Going to another page then can even cancel the form being sent. So every
    click that opens a page goes through here; a click that only changes this page (a menu, a
    "copy" button) is a plain ``click()``, and whatever it changes is awaited with ``expect``.
    """
    with target.page.expect_navigation():
        target.click()


def sign_up(page, name: str, email: str, password: str = "a-long-test-passphrase") -> None:
    """Create an account through the real sign-up form and the link it emails."""
    page.goto("/account/signup/")
    fill_sign_up_form(page, name, email, password)
    follow_sign_up_link(page, email)
    page.wait_for_url("**/home/")


def fill_sign_up_form(page, name: str, email: str, password: str) -> None:
    """Fill in and send the sign-up form on the page; wait for "check your email"."""
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    click_through(page.get_by_role("button", name="Create my account"))
    page.wait_for_url("**/account/signup/sent/")


def follow_sign_up_link(page, email: str) -> None:
    """Open the link emailed to ``email`` (the test outbox) and finish creating the account."""
    from tests.factories import signup_link_path

    page.goto(signup_link_path(email))
    click_through(page.get_by_role("button", name="Create my account"))


def sign_in(page, email: str, password: str) -> None:
    page.goto("/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home/")


def sign_out(page) -> None:
    """Sign out through the menu that holds it: "More" on a phone, "Account" on a wide screen."""
    open_menu(page)
    page.locator("nav:visible").get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")


def open_menu(page) -> None:
    """Open the visible navigation menu (phone: "More"; wide screen: "Account")."""
    menu = page.locator("nav:visible details.menu").first
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()


@pytest.fixture(autouse=True)
def _plain_static_names(settings) -> None:
    """Pages in the browser tests name static files plainly, as the live server serves them:
    a manifest left in var/ by `make run` (hashed names) must not decide whether a test passes."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
