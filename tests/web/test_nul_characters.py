"""NUL characters from a visitor never reach the database (PostgreSQL refuses NUL in text: a lookup
with one is a 500 there, a quiet miss on SQLite). In the address (path or query string) or a
header: a clear 400 before any view runs. In a cookie: the cookie is ignored, as if absent (a 400
would lock the browser out until the cookie is cleared)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.conftest import World


@pytest.mark.parametrize(
    "path",
    [
        "/%00",
        "/journal/%00/",
        "/couple/join/abc%00def/",
        "/research/join/%00/",
        "/account/signup/confirm/%00/",
        "/checkins/reminders/skip/%00/",
        "/research/studies/1/data/x%00.csv",
        "/map/take/%00/",
    ],
)
@pytest.mark.parametrize("who", ["anon", "A"])
def test_a_nul_in_the_address_is_a_clear_400(world: World, path: str, who: str) -> None:
    client = world.client_for(who)
    client.raise_request_exception = False
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 400, (method, path)
        assert b"NUL" in response.content or b"null character" in response.content.lower()


@pytest.mark.parametrize("query", ["next=%00", "page=1%00", "week=2026-01-05%00", "a%00=1"])
def test_a_nul_in_the_query_string_is_a_clear_400(world: World, query: str) -> None:
    client = world.client_for("A")
    client.raise_request_exception = False
    for path in ("/activity/", "/time/", "/account/login/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query)


@pytest.mark.parametrize("name", ["sessionid", "csrftoken", "django_language", "counterpoint_tz"])
def test_a_cookie_with_a_nul_is_ignored(world: World, name: str) -> None:
    # The Cookie header stays plain ASCII: Django unquotes "\\000" into a NUL.
    client = world.client_for("anon")
    client.raise_request_exception = False
    client.cookies[name] = "aaaaaaaaaaaa\x00bb"
    assert "\\000" in client.cookies.output()
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    response = client.post(reverse("accounts:login"), {"username": "a@b.c", "password": "x"})
    assert response.status_code == 200


def test_a_header_with_a_nul_is_a_clear_400(world: World) -> None:
    client = world.client_for("anon")
    client.raise_request_exception = False
    response = client.post(
        reverse("accounts:login"),
        {"username": "alice@example.org", "password": "x"},
        headers={"user-agent": "Mozilla\x00/5.0"},
    )
    assert response.status_code == 400
    assert b"NUL" in response.content


@pytest.mark.parametrize("raw", ["a%ED%A0%80b", "%FF%FE", "%C0%AF"])
def test_a_form_or_query_that_is_not_utf8_is_a_clear_400_and_changes_nothing(
    world: World, raw: str
) -> None:
    """Found by tests/web/test_garbage_later_states.py: Django read the bytes as U+FFFD and the
    forms stored that in place of what was sent (a memory's words, a plan's title, …)."""
    from counterpoint.practices.plans.models import MemoryWords

    client = world.client_for("A")
    client.raise_request_exception = False
    url = reverse("plans:memory_words", args=[world.objects["memory"].pk])
    before = list(MemoryWords.objects.values_list("pk", "text"))
    response = client.post(url, f"text={raw}", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()
    assert list(MemoryWords.objects.values_list("pk", "text")) == before
    assert client.get(f"{reverse('plans:memories')}?page={raw}").status_code == 400
    ordinary = client.post(url, {"text": "Zoë’s café ✓"})
    assert ordinary.status_code == 302
    assert MemoryWords.objects.filter(text="Zoë’s café ✓").exists()
