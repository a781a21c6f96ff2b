"""Issue 10 (lower): after "sign out everywhere" the security page no longer lists the devices that
were signed out, and still knows which one is this device."""

from __future__ import annotations

from django.test import Client

from tests.factories import make_user

PASSWORD = "a long and careful passphrase"
PHONE = "Mozilla/5.0 (Android 15; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
LAPTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def _sign_in(agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post("/account/login/", {"username": "kim@example.org", "password": PASSWORD})
    assert response.status_code == 302
    return client


def _where_signed_in(client: Client) -> str:
    page = client.get("/account/security/").content.decode()
    return page.split("Where you are signed in")[1].split("Recent sign-ins")[0]


def test_after_sign_out_everywhere_the_signed_out_devices_are_not_listed(db: None) -> None:
    make_user("kim@example.org", "Kim", password=PASSWORD)
    phone = _sign_in(PHONE)
    laptop = _sign_in(LAPTOP)
    before = _where_signed_in(laptop)  # devices are named in words (accounts/devices.py)
    assert "Firefox on Android" in before and "Chrome on Windows" in before
    laptop.post("/account/security/sign-out-everywhere/")
    after = _where_signed_in(laptop)
    assert "Firefox on Android" not in after
    assert "Chrome on Windows" in after and "this device" in after
    assert phone.get("/account/security/").status_code == 302  # the phone really is signed out
