"""Issue 10 (re-authentication): a stale confirmation on export, account deletion, security and
two-factor pages carries the person's request through once they confirm: a GET lands where it
was going; a POST comes back as one button that sends it again (passwords and codes are asked
for again, never written into a page); nothing leaves the site."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.models import User
from counterpoint.accounts.reauth import SESSION_KEY
from tests.web.conftest import World

PASSWORD = "an-old-long-passphrase"


def _signed_in(user: User) -> Client:
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    client.force_login(user)  # a sign-in counts as a fresh confirmation
    return client


def _make_stale(client: Client) -> None:
    session = client.session
    session[SESSION_KEY] = int(time.time()) - 3600
    session.save()


def _form(page: str) -> tuple[str, list[tuple[str, str]]]:
    """The action and hidden fields of the confirm page's form, as a browser would send them."""
    section = re.search(r'<section class="card narrow">(.*?)</section>', page, re.S)
    assert section is not None, "not the confirm page"
    found = re.search(
        r'<form [^>]*method="post" action="([^"]*)"[^>]*>(.*?)</form>', section[1], re.S
    )
    assert found is not None, "no form on the page"
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', found.group(2))
    return unescape(found.group(1)), [(name, unescape(value)) for name, value in fields]


def _as_data(fields: list[tuple[str, str]], **more: str) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    for name, value in more.items():
        data[name] = [value]
    return data


def test_a_stale_account_deletion_comes_back_with_what_was_entered(world: World) -> None:
    client = _signed_in(world.alice)
    _make_stale(client)
    delete = reverse("accounts:delete")
    entered = {"confirm": "delete my account", "remove_couple_items": "on", "password": PASSWORD}
    response = client.post(delete, entered)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Confirm it" in page and "Nothing was done yet" in page
    assert PASSWORD not in page  # a password is never written into a page
    assert User.objects.filter(pk=world.alice.pk).exists()

    action, fields = _form(page)
    assert action == reverse("accounts:confirm")
    confirmed = client.post(action, _as_data(fields, password=PASSWORD))
    assert confirmed.status_code == 200
    action, fields = _form(confirmed.content.decode())
    assert action == delete
    sent_again = {n: v for n, v in fields if n != "csrfmiddlewaretoken"}
    assert sent_again == {"confirm": "delete my account", "remove_couple_items": "on"}
    assert User.objects.filter(pk=world.alice.pk).exists()  # confirming alone does nothing

    # The button sends the form again: what was typed is there; the password is asked again.
    again = client.post(action, _as_data(fields)).content.decode()
    assert 'value="delete my account"' in again
    assert re.search(r'name="remove_couple_items"[^>]*checked', again)
    assert User.objects.filter(pk=world.alice.pk).exists()
    done = client.post(delete, entered)
    assert done.status_code == 302
    assert not User.objects.filter(pk=world.alice.pk).exists()


def test_a_stale_post_without_fields_is_sent_again_after_confirming(world: World) -> None:
    """Turning on two-factor sign-in (a one-button form) lands on its next step, not on a 405."""
    client = _signed_in(world.alice)
    _make_stale(client)
    start = reverse("accounts:totp_start")
    response = client.post(start)
    assert response.status_code == 200
    action, fields = _form(response.content.decode())
    confirmed = client.post(action, _as_data(fields, password=PASSWORD))
    action, fields = _form(confirmed.content.decode())
    assert action == start
    done = client.post(action, _as_data(fields))
    assert done.status_code == 302 and done["Location"] == reverse("accounts:totp_setup")


@pytest.mark.parametrize("url_name", ["accounts:security", "accounts:my_data", "accounts:delete"])
def test_a_stale_page_is_where_the_confirmation_lands(world: World, url_name: str) -> None:
    client = _signed_in(world.alice)
    _make_stale(client)
    asked = client.get(reverse(url_name))
    confirmed = client.post(asked["Location"], {"password": PASSWORD})
    assert confirmed.status_code == 302 and confirmed["Location"] == reverse(url_name)


def test_a_stale_export_downloads_once_confirmed(world: World) -> None:
    client = _signed_in(world.alice)
    _make_stale(client)
    asked = client.get(reverse("accounts:export"))
    confirmed = client.post(asked["Location"], {"password": PASSWORD})
    assert confirmed["Location"] == reverse("accounts:export")
    download = client.get(confirmed["Location"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"


def test_a_stale_request_from_a_script_gets_a_message_not_a_page(world: World) -> None:
    client = _signed_in(world.alice)
    _make_stale(client)
    response = client.post(
        reverse("accounts:passkey_register_options"), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 403
    assert "confirm it" in response.json()["error"]


@pytest.mark.parametrize(
    "next_url", ["//evil.example/", "/\\evil.example/", "https://evil.example/", "/\\/evil/"]
)
def test_confirming_never_leaves_the_site(world: World, next_url: str) -> None:
    client = _signed_in(world.alice)
    response = client.post(reverse("accounts:confirm"), {"password": PASSWORD, "next": next_url})
    assert response["Location"] == reverse("accounts:security")
    continued = client.post(
        reverse("accounts:confirm"), {"password": PASSWORD, "next": next_url, "repeat_post": "1"}
    )
    action, _ = _form(continued.content.decode())
    assert action == reverse("accounts:security")
