"""Every destination is reachable on a phone without sideways scrolling (bottom bar + "More"), and
on a wide screen from the top row; sign out sits in the menu. axe on each, light and dark."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, click_through, open_menu, sign_in, sign_out
from tests.factories import make_couple, make_user

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-test-passphrase"
DESTINATIONS = {
    "Today": "/home/",
    "Check in": "/checkins/",
    "Insights": "/insights/",
    "Activity": "/activity/",
    "Map": "/map/",
    "Practices": "/practices/",
    "Journal": "/journal/",
    "Couple": "/couple/",
    "Account settings": "/account/settings/",
}


def _inside_the_screen(page, locator) -> None:
    box = locator.bounding_box()
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_destination_on_a_phone(new_page, shot, check_a11y, scheme) -> None:
    ana, ben = (
        make_user("ana@example.net", "Ana", password=PASSWORD),
        make_user("ben@example.net", "Ben"),
    )
    make_couple(ana, ben)
    page = new_page(PHONE, color_scheme=scheme)
    sign_in(page, "ana@example.net", PASSWORD)
    for label, path in DESTINATIONS.items():
        page.goto("/home/")
        nav = page.locator("nav.bottom-nav")
        link = nav.get_by_role("link", name=label, exact=False).first
        if not link.is_visible():
            open_menu(page)
            check_a11y(page, f"phone menu open ({scheme})")
        _inside_the_screen(page, link)
        click_through(link)
        page.wait_for_url(f"**{path}*")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        check_a11y(page, f"{label} on a phone ({scheme})")
        shot(page, f"nav-phone-{scheme}-{label}")
    page.goto("/home/")
    open_menu(page)
    shot(page, f"nav-phone-{scheme}-more-open")
    _inside_the_screen(page, page.locator("nav.bottom-nav").get_by_role("button", name="Sign out"))
    sign_out(page)
    assert "/home/" not in page.url


def test_every_destination_on_a_wide_screen(new_page, check_a11y, shot) -> None:
    make_user("ana@example.net", "Ana", password=PASSWORD)
    page = new_page(DESKTOP)
    sign_in(page, "ana@example.net", PASSWORD)
    for label, path in DESTINATIONS.items():
        page.goto("/home/")
        nav = page.locator("nav.site-nav")
        link = nav.get_by_role("link", name=label, exact=False).first
        if not link.is_visible():
            open_menu(page)
        click_through(link)
        page.wait_for_url(f"**{path}*")
    page.goto("/home/")
    open_menu(page)
    check_a11y(page, "account menu open")
    shot(page, "nav-desktop-account-menu")
    sign_out(page)
