"""The safety center in a real Chromium: quick exit (Back does not return) and the emergency reset."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    click_through,
    fill_sign_up_form,
    follow_sign_up_link,
    sign_in,
    sign_up,
)

pytestmark = pytest.mark.django_db(transaction=True)

NEUTRAL_PAGE = b"<!doctype html><html lang='en'><title>Weather</title><h1>Weather today</h1></html>"


class _Neutral(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(NEUTRAL_PAGE)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def neutral_site(settings) -> Iterator[str]:
    """A stand-in for the neutral website (the machine has no outside network), on another origin."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Neutral)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/weather"
    settings.QUICK_EXIT_URL = url
    yield url
    server.shutdown()
    server.server_close()


def _pair(first, second, second_name: str, second_email: str) -> None:
    first.goto("/couple/")
    click_through(first.get_by_role("button", name="Create an invitation"))
    link = first.get_by_label("Invitation link").input_value()
    second.goto(link)
    click_through(second.get_by_role("link", name="Create my account and join"))
    second.wait_for_url("**/account/signup/**")
    fill_sign_up_form(second, second_name, second_email, "another-long-passphrase")
    follow_sign_up_link(second, second_email)
    second.wait_for_url("**/couple/join/**")
    click_through(second.get_by_role("button", name="Accept and pair"))
    second.wait_for_url("**/home/")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_quick_exit_leaves_no_way_back(new_page, shot, check_a11y, neutral_site, viewport) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    page = new_page(viewport)
    sign_up(page, "Robin", "robin@example.net")
    control = page.get_by_role("link", name="Leave quickly")
    expect(control).to_be_visible()
    check_a11y(page, "home with the leave-quickly control")
    shot(page, f"safety-01-leave-quickly-{size}")

    # The control: the app page is replaced; Back does not bring the app back.
    page.goto("/journal/")
    page.get_by_role("link", name="Leave quickly").click()
    page.wait_for_url(neutral_site)
    expect(page.get_by_role("heading", name="Weather today")).to_be_visible()
    page.go_back()
    page.wait_for_url(neutral_site)
    expect(page.get_by_role("heading", name="Weather today")).to_be_visible()

    # Escape twice does the same from any page.
    page.goto("/practices/")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(neutral_site)
    page.go_back()
    page.wait_for_url(neutral_site)
    shot(page, f"safety-02-after-back-{size}")

    # Coming back on purpose (typing the address) works as usual.
    page.goto("/journal/")
    page.wait_for_timeout(300)
    assert "/journal/" in page.url


def test_quick_exit_is_a_plain_link_without_javascript(browser, live_server, neutral_site) -> None:
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/")
        page.get_by_role("link", name="Leave quickly").click()
        page.wait_for_url(neutral_site)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_emergency_reset(new_page, shot, check_a11y, viewport) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    sam = new_page(viewport)
    kai = new_page(viewport)
    sam_elsewhere = new_page(viewport)
    sign_up(sam, "Sam", "sam@example.net")
    _pair(sam, kai, "Kai", "kai@example.net")
    sign_in(sam_elsewhere, "sam@example.net", "a-long-test-passphrase")

    sam.goto("/journal/new/")
    sam.get_by_label("Entry").fill("For Kai: SHARED-FOR-KAI-51")
    sam.get_by_label("Shared with my partner").check()
    click_through(sam.get_by_role("button", name="Save"))
    kai.goto("/journal/")
    assert "SHARED-FOR-KAI-51" in kai.content()

    sam.goto("/safety/")
    expect(sam.get_by_role("heading", name="Who sees what")).to_be_visible()
    assert "SHARED-FOR-KAI-51" in sam.content()
    check_a11y(sam, "safety center")
    shot(sam, f"safety-03-center-{size}")

    click_through(sam.get_by_role("link", name="Start the emergency reset"))
    sam.wait_for_url("**/safety/reset/")
    check_a11y(sam, "emergency reset")
    shot(sam, f"safety-04-reset-{size}")
    sam.get_by_label("New password:", exact=True).fill("a-fresh-safe-passphrase")
    sam.get_by_label("New password confirmation").fill("a-fresh-safe-passphrase")
    click_through(sam.get_by_role("button", name="Reset now"))
    sam.wait_for_url("**/safety/reset/done/")
    check_a11y(sam, "emergency reset done")
    shot(sam, f"safety-05-reset-done-{size}")

    # Kai sees less and is told nothing; Sam's other device is signed out.
    kai.goto("/journal/")
    assert "SHARED-FOR-KAI-51" not in kai.content()
    kai.goto("/activity/")
    assert "reset" not in kai.content().lower()
    kai.goto("/couple/")
    expect(kai.get_by_role("heading", name="You and Sam")).to_be_visible()
    sam_elsewhere.goto("/journal/")
    assert "/account/login/" in sam_elsewhere.url
    sam.goto("/safety/")
    assert "SHARED-FOR-KAI-51" not in sam.content()
    sign_in(sam_elsewhere, "sam@example.net", "a-fresh-safe-passphrase")
