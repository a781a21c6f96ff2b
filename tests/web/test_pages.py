"""Pages, error pages, htmx wiring and the demo command."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send
from counterpoint.couples.selectors import partner_of
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_patterns_page_shows_every_component_when_debug_is_on() -> None:
    page = Client().get("/-/patterns/").content.decode()
    for component in ("button", "message success", "pill private", "errorlist", "<table", "empty"):
        assert component in page


def test_unknown_page_is_a_friendly_404() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "find that" in response.content.decode()


def test_server_error_page_renders_without_the_database() -> None:
    from counterpoint.pages.errors import server_error

    response = server_error(None)  # type: ignore[arg-type]
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_pages_load_htmx_and_send_the_csrf_token_with_it() -> None:
    user = make_user("kim@example.org", "Kim")
    client = Client()
    client.force_login(user)
    page = client.get("/home/").content.decode()
    assert "htmx" in page and "hx-headers" in page and "X-CSRFToken" in page


def test_unread_count_shows_in_the_navigation_until_read() -> None:
    user = make_user("kim@example.org", "Kim")
    notice_send(recipient=user, kind="test", message="Hello there")
    client = Client()
    client.force_login(user)
    assert '<span class="badge"' in client.get("/home/").content.decode()
    response = client.post("/activity/read/")
    assert response.status_code == 302
    assert '<span class="badge"' not in client.get("/home/").content.decode()


def test_demo_command_creates_alex_and_sam_paired_once(capsys) -> None:
    with override_settings(DEBUG=True):
        call_command("demo")
        call_command("demo")
    alex = User.objects.get(email="alex@example.com")
    assert alex.check_password("counterpoint-demo")
    assert partner_of(alex) == User.objects.get(email="sam@example.com")
    assert "already exists" in capsys.readouterr().out


def test_demo_command_refuses_when_debug_is_off() -> None:
    with override_settings(DEBUG=False), pytest.raises(CommandError):
        call_command("demo")
    assert not User.objects.filter(email="alex@example.com").exists()


@pytest.mark.django_db
def test_the_hub_and_the_navigation_come_from_their_plain_lists() -> None:
    """Every practice in the hub's list and every navigation entry links to a page that opens."""
    from django.urls import reverse

    from counterpoint.pages.context_processors import NAV_ITEMS
    from counterpoint.practices.hub import PRACTICE_LINKS

    client = Client()
    client.force_login(make_user("hub@example.org", "Hub"))
    hub = client.get(reverse("practices:hub")).content.decode()
    for link in PRACTICE_LINKS:
        assert str(link.title) in hub.replace("&#x27;", "'")
        assert client.get(reverse(link.url_name)).status_code == 200
    home = client.get(reverse("journal:list")).content.decode()
    for url_name, label in NAV_ITEMS:
        assert f'href="{reverse(url_name)}"' in home and str(label) in home
