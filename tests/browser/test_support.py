"""A support request round trip in a real Chromium: Alice asks, Bob answers (and his second tab
is told it was already answered), Alice says how it landed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from counterpoint.practices.support.models import SupportRequest, SupportResponse
from tests.browser.conftest import DESKTOP, PHONE, click_through, sign_in
from tests.factories import make_couple, make_user

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-test-passphrase"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_support_request_round_trip(new_page, shot, check_a11y, viewport) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    alice = make_user("alice@example.net", "Alice", password=PASSWORD)
    bob = make_user("bob@example.net", "Bob", password=PASSWORD)
    make_couple(alice, bob)
    a = new_page(viewport)
    b = new_page(viewport)
    b2 = new_page(viewport)  # Bob's second tab (its own session, same person)

    sign_in(a, "alice@example.net", PASSWORD)
    a.goto("/practices/")
    click_through(a.get_by_role("link", name="Support requests"))
    click_through(a.get_by_role("link", name="Ask for support"))
    a.get_by_label("Someone to listen").check()
    a.get_by_label("A little more, if you like").fill("Rough meeting today. Can I tell you?")
    check_a11y(a, "support: ask")
    shot(a, f"support-01-ask-{size}")
    click_through(a.get_by_role("button", name="Send request"))
    a.get_by_text("Not answered yet").wait_for()
    check_a11y(a, "support: asked")
    shot(a, f"support-02-asked-{size}")

    sign_in(b, "bob@example.net", PASSWORD)
    expect(b.get_by_role("heading", name="Your partner could use you")).to_be_visible()
    check_a11y(b, "home with a request waiting")
    shot(b, f"support-03-bob-home-{size}")
    click_through(b.get_by_role("link", name="See and answer"))
    detail_url = b.url
    sign_in(b2, "bob@example.net", PASSWORD)
    b2.goto(detail_url)  # the same form open in a second tab

    b.get_by_label("Yes, I can do that").check()
    b.get_by_label("What you can offer").fill("Of course. Walk after dinner?")
    b.get_by_label("When").fill("tonight, 8pm")
    check_a11y(b, "support: answer form")
    shot(b, f"support-04-answer-{size}")
    click_through(b.get_by_role("button", name="Send my answer"))
    b.get_by_text("Answer sent.").wait_for()

    b2.get_by_label("Some of it, or a little later").check()
    b2.get_by_label("What you can offer").fill("A different answer from the old tab")
    click_through(b2.get_by_role("button", name="Send my answer"))
    b2.get_by_text("You have already answered this request.").wait_for()
    expect(b2.get_by_text("Walk after dinner?")).to_be_visible()
    check_a11y(b2, "support: second tab")
    shot(b2, f"support-05-second-tab-{size}")

    a.goto("/activity/")
    click_through(a.get_by_role("button", name="Bob answered your request for support."))
    expect(a.get_by_text("Walk after dinner?")).to_be_visible()
    a.get_by_label("It helped a lot").check()
    a.get_by_label("Anything to add").fill("Thank you, I slept better.")
    check_a11y(a, "support: how it landed")
    shot(a, f"support-06-landing-{size}")
    click_through(a.get_by_role("button", name="Save"))
    a.get_by_text("Thank you for saying how it landed.").wait_for()
    shot(a, f"support-07-landed-{size}")

    b.reload()
    expect(b.get_by_text("It helped a lot")).to_be_visible()
    check_a11y(b, "support: landed, seen by Bob")
    shot(b, f"support-08-bob-sees-{size}")

    request = SupportRequest.objects.get()
    assert request.landed == "helped_a_lot"
    assert SupportResponse.objects.get().message == "Of course. Walk after dinner?"
