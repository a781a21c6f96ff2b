"""Two-factor sign-in with a code computed from the shown secret, and passkeys through Chromium's
virtual authenticator (DevTools WebAuthn domain). The live server is http://localhost:<port>, a
secure context whose host is a valid relying-party id."""

from __future__ import annotations

import time

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, click_through, open_menu, sign_out, sign_up
from tests.web.authenticator import app_code

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-test-passphrase"


def _sign_out(page) -> None:
    sign_out(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_authenticator_app_enrolment_and_sign_in(new_page, shot, check_a11y, viewport) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    page = new_page(viewport)
    email = f"ana-{size}@example.net"
    sign_up(page, "Ana", email)
    page.goto("/account/two-factor/")
    check_a11y(page, "two-factor page")
    click_through(page.get_by_role("button", name="Set up an authenticator app"))
    page.wait_for_url("**/account/two-factor/app/")
    secret = page.locator("#totp-secret").inner_text()
    check_a11y(page, "authenticator set-up")
    shot(page, f"2fa-01-setup-{size}")
    page.get_by_label("Code").fill(app_code(secret))
    click_through(page.get_by_role("button", name="Turn on two-factor sign-in"))
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    assert page.get_by_role("list", name="Recovery codes").get_by_role("listitem").count() == 10
    check_a11y(page, "recovery codes")
    shot(page, f"2fa-02-recovery-codes-{size}")
    _sign_out(page)

    # Half a minute later (a code works once), sign in: password, then the app's code.
    with time_machine.travel(time.time() + 30, tick=True):
        page.goto("/account/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        click_through(page.get_by_role("button", name="Sign in", exact=True))
        page.wait_for_url("**/account/login/code/")
        check_a11y(page, "sign-in code")
        shot(page, f"2fa-03-code-{size}")
        page.get_by_label("Code").fill("000000")
        click_through(page.get_by_role("button", name="Sign in"))
        page.get_by_text("That code is not right").wait_for()
        page.wait_for_timeout(1500)  # django-otp refuses any code for a second after a wrong one
        page.get_by_label("Code").fill(app_code(secret))
        click_through(page.get_by_role("button", name="Sign in"))
        page.wait_for_url("**/home/")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_passkey_registration_and_sign_in(new_page, shot, check_a11y, viewport) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    page = new_page(viewport)
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    authenticator = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]

    email = f"lee-{size}@example.net"
    sign_up(page, "Lee", email)
    page.goto("/account/two-factor/")
    page.get_by_label("Name for this passkey").fill("Test phone")
    page.get_by_role("button", name="Add a passkey").click()
    page.get_by_role("button", name="Remove Test phone").wait_for()
    stored = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(stored["credentials"]) == 1
    check_a11y(page, "passkey added")
    shot(page, f"passkey-01-added-{size}")
    click_through(page.get_by_role("link", name="Rename Test phone"))
    page.get_by_label("Name for this passkey").fill("Lee's laptop")
    check_a11y(page, "rename a passkey")
    shot(page, f"passkey-01b-rename-{size}")
    click_through(page.get_by_role("button", name="Save the name"))
    page.get_by_role("button", name="Remove Lee's laptop").wait_for()
    _sign_out(page)

    page.goto("/account/login/")
    check_a11y(page, "sign-in with a passkey button")
    shot(page, f"passkey-02-sign-in-{size}")
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url("**/home/")
    open_menu(page)
    expect(page.locator("nav:visible").get_by_role("button", name="Sign out")).to_be_visible()
