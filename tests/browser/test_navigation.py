"""Every destination is reachable on a phone without sideways scrolling (bottom bar + "More"), and
on a wide screen from the top row; sign out sits in the menu. Signed out, "Sign in" and "Create an
account" are in view and uncovered on the narrowest phone, and reachable by keyboard. axe on each,
light and dark."""

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


def _on_top(page, locator) -> bool:
    """Whether a tap at the middle of ``locator`` lands on it (nothing drawn over it)."""
    return locator.evaluate(
        """el => { const r = el.getBoundingClientRect();
                   const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                   return el === hit || el.contains(hit); }"""
    )


@pytest.mark.parametrize("width", [320, PHONE["width"]], ids=["320px", "phone"])
def test_the_guest_navigation_on_a_narrow_phone(new_page, shot, check_a11y, width) -> None:
    page = new_page({"width": width, "height": PHONE["height"]})
    for path in ("/", "/account/login/", "/account/signup/"):
        page.goto(path)
        nav = page.get_by_role("navigation", name="Main")
        for name in ("Sign in", "Create an account"):
            link = nav.get_by_role("link", name=name)
            _inside_the_screen(page, link)
            assert _on_top(page, link), f"{name} is covered on {path} at {width}px"
        _inside_the_screen(page, page.get_by_role("link", name="Leave quickly"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        check_a11y(page, f"guest navigation on {path} at {width}px")
    shot(page, f"nav-guest-{width}px")

    # by keyboard alone: Tab reaches "Sign in", then "Create an account", and Enter follows each
    page.goto("/")
    _tab_to(page, "Sign in")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/account/login/")
    _tab_to(page, "Create an account")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/account/signup/")


def _tab_to(page, text: str) -> None:
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == text:
            return
    raise AssertionError(f"Tab never reached {text!r}")


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    """Whether two bounding boxes share any area."""
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.parametrize("width", [320, PHONE["width"]], ids=["320px", "phone"])
def test_leave_quickly_and_the_brand_never_overlap_when_signed_in(
    new_page, shot, check_a11y, width
) -> None:
    make_user("ana@example.net", "Ana", password=PASSWORD)
    page = new_page({"width": width, "height": PHONE["height"]})
    sign_in(page, "ana@example.net", PASSWORD)
    for path in ("/home/", "/account/settings/"):
        page.goto(path)
        brand = page.locator("header a.brand")
        leave = page.get_by_role("link", name="Leave quickly")
        brand_box, leave_box = brand.bounding_box(), leave.bounding_box()
        assert brand_box is not None and leave_box is not None
        assert not _overlap(brand_box, leave_box), f"{brand_box} {leave_box} on {path}"
        _inside_the_screen(page, leave)
        _inside_the_screen(page, brand)
        assert _on_top(page, leave), f"Leave quickly is covered on {path} at {width}px"
        assert leave_box["height"] >= 44  # still easy to hit
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        check_a11y(page, f"signed-in header on {path} at {width}px")
    shot(page, f"header-signed-in-{width}px")
