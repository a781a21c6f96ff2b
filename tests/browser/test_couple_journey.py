"""Two people sign up, pair with an invitation link, keep a private entry private, and unpair."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    click_through,
    fill_sign_up_form,
    follow_sign_up_link,
    sign_up,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_pair_share_privately_and_unpair(new_page, shot, check_a11y, viewport) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    riley = new_page(viewport)
    jordan = new_page(viewport)

    riley.goto("/")
    check_a11y(riley, "welcome")
    shot(riley, f"01-welcome-{size}")

    sign_up(riley, "Riley", "riley@example.net")
    check_a11y(riley, "home")
    riley.goto("/couple/")
    click_through(riley.get_by_role("button", name="Create an invitation"))
    link = riley.get_by_label("Invitation link").input_value()
    check_a11y(riley, "couple page with invitation")
    shot(riley, f"02-invitation-{size}")

    # Jordan opens the link without an account: who invited him, then sign up and come back.
    jordan.goto(link)
    click_through(jordan.get_by_role("link", name="Create my account and join"))
    jordan.wait_for_url("**/account/signup/**")
    fill_sign_up_form(jordan, "Jordan", "jordan@example.net", "another-long-passphrase")
    check_a11y(jordan, "check your email")
    follow_sign_up_link(jordan, "jordan@example.net")
    jordan.wait_for_url("**/couple/join/**")
    check_a11y(jordan, "join")
    shot(jordan, f"03-join-{size}")
    click_through(jordan.get_by_role("button", name="Accept and pair"))
    jordan.wait_for_url("**/home/")
    jordan.goto("/couple/")
    expect(jordan.get_by_role("heading", name="You and Riley")).to_be_visible()

    riley.goto("/couple/")
    expect(riley.get_by_role("heading", name="You and Jordan")).to_be_visible()
    shot(riley, f"04-paired-{size}")

    # A private entry stays Riley's; a shared one reaches Jordan.
    riley.goto("/journal/new/")
    riley.get_by_label("Entry").fill("Only mine: I am scared of the new job.")
    riley.get_by_label("Only me").check()
    click_through(riley.get_by_role("button", name="Save"))
    check_a11y(riley, "journal entry")
    private_url = riley.url
    riley.goto("/journal/new/")
    riley.get_by_label("Entry").fill("For Jordan: thank you for Sunday.")
    riley.get_by_label("Shared with my partner").check()
    click_through(riley.get_by_role("button", name="Save"))
    riley.goto("/journal/")
    check_a11y(riley, "journal list")
    shot(riley, f"05-journal-{size}")

    jordan.goto("/journal/")
    text = jordan.content()
    assert "thank you for Sunday" in text
    assert "scared of the new job" not in text
    response = jordan.goto(private_url)
    assert response is not None and response.status == 404
    check_a11y(jordan, "404")
    shot(jordan, f"06-partner-sees-404-{size}")

    # Jordan unpairs; the shared entry is Riley's alone again.
    jordan.goto("/couple/")
    jordan.get_by_text("If things change").click()
    click_through(jordan.get_by_role("link", name="Unpair…"))
    jordan.wait_for_url("**/couple/unpair/")
    check_a11y(jordan, "unpair confirmation")
    jordan.get_by_label("I understand").check()
    click_through(jordan.get_by_role("button", name="Unpair now"))
    jordan.wait_for_url("**/couple/")
    expect(jordan.get_by_role("button", name="Create an invitation")).to_be_visible()
    jordan.goto("/journal/")
    assert "thank you for Sunday" not in jordan.content()
    riley.goto("/activity/")
    assert "has ended" in riley.content()
    check_a11y(riley, "notices")
    shot(riley, f"07-unpaired-notice-{size}")
