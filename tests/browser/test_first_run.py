"""First run in a real Chromium: one person invites, the other opens the link with no account,
learns who invited them and what Counterpoint is, signs up, accepts, and is guided to a first
check-in. Phone and desktop, light and dark, axe on every step."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from counterpoint.checkins.models import CheckIn
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    click_through,
    fill_sign_up_form,
    follow_sign_up_link,
    sign_up,
)

pytestmark = pytest.mark.django_db(transaction=True)

LOOKS = [(PHONE, "light"), (PHONE, "dark"), (DESKTOP, "light"), (DESKTOP, "dark")]
IDS = ["phone-light", "phone-dark", "desktop-light", "desktop-dark"]


@pytest.mark.parametrize(("viewport", "scheme"), LOOKS, ids=IDS)
def test_from_invite_link_to_first_check_in(new_page, shot, check_a11y, viewport, scheme) -> None:
    look = f"{'phone' if viewport == PHONE else 'desktop'}-{scheme}"
    mina = new_page(viewport, color_scheme=scheme)
    sign_up(mina, "Mina", "mina@example.net")
    # Before there is a partner, home says nothing about one and offers both ways to pair.
    home = mina.content()
    assert "From your partner" not in home and "No check-in from" not in home
    check_a11y(mina, f"home before pairing {look}")
    click_through(mina.get_by_role("link", name="Invite my partner"))
    mina.wait_for_url("**/couple/**")
    click_through(mina.get_by_role("button", name="Create an invitation"))
    mina.wait_for_url("**/couple/")
    link = mina.get_by_label("Invitation link").input_value()
    # The copy buttons appear (this page is a secure context with a clipboard) and say so.
    copy = mina.get_by_role("button", name="Copy the link")
    copy.wait_for()
    expect(mina.get_by_role("button", name="Copy the code")).to_be_visible()
    expect(mina.get_by_role("button", name="Join with this code")).to_be_visible()
    check_a11y(mina, f"invitation {look}")
    shot(mina, f"first-run-01-invitation-{look}")

    # Theo opens the link with no account: who invited him and what this is, before any form.
    theo = new_page(viewport, color_scheme=scheme)
    theo.goto(link)
    expect(theo.get_by_role("heading", name="Mina invited you to Counterpoint")).to_be_visible()
    check_a11y(theo, f"invite welcome {look}")
    shot(theo, f"first-run-02-welcome-{look}")
    click_through(theo.get_by_role("link", name="Create my account and join"))
    theo.wait_for_url("**/account/signup/**")
    fill_sign_up_form(theo, "Theo", "theo@example.net", "another-long-passphrase")
    follow_sign_up_link(theo, "theo@example.net")
    theo.wait_for_url("**/couple/join/**")
    check_a11y(theo, f"accept {look}")
    click_through(theo.get_by_role("button", name="Accept and pair"))
    theo.wait_for_url("**/home/")

    # After pairing: a guide to the first steps, not a page whose only button is "Unpair…".
    guide = theo.get_by_role("heading", name="Getting started with Mina")
    guide.wait_for()
    check_a11y(theo, f"guide {look}")
    shot(theo, f"first-run-03-guide-{look}")
    click_through(theo.get_by_role("link", name="Check in now"))
    theo.wait_for_url("**/checkins/")
    theo.locator("label[for=mood-8]").click()
    theo.get_by_label("A note to your partner (optional)").fill("THEO-FIRST hello from here")
    click_through(theo.get_by_role("button", name="Save check-in and answer"))
    theo.wait_for_url("**/checkins/")
    theo.get_by_text("Checked in. Thank you.").wait_for()
    check_a11y(theo, f"first check-in saved {look}")
    assert CheckIn.objects.get(author__email="theo@example.net").mood == 8

    # Home now marks the first step done; Mina sees Theo's note.
    theo.goto("/home/")
    steps = theo.locator(".first-steps")
    assert "Check in now" not in steps.inner_text()
    mina.goto("/home/")
    assert "THEO-FIRST hello from here" in mina.content()
    check_a11y(mina, f"home after pairing {look}")
    shot(mina, f"first-run-04-inviter-home-{look}")
