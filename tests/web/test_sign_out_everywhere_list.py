"""Issue 10 (lower): after "sign out everywhere" the security page no longer lists the devices that
were signed out, and still knows which one is this device."""

from __future__ import annotations

from django.test import Client

from tests.factories import make_user

PASSWORD = "a long and careful passphrase"


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
    phone = _sign_in("PhoneOne/1.0")
    laptop = _sign_in("LaptopTwo/1.0")
    before = _where_signed_in(laptop)
    assert "PhoneOne/1.0" in before and "LaptopTwo/1.0" in before
    laptop.post("/account/security/sign-out-everywhere/")
    after = _where_signed_in(laptop)
    assert "PhoneOne/1.0" not in after
    assert "LaptopTwo/1.0" in after and "this device" in after
    assert phone.get("/account/security/").status_code == 302  # the phone really is signed out
