"""A NUL character anywhere in the address (path or query string) gets a clear 400 before any view
runs: no page takes one, and PostgreSQL refuses NUL in text (a lookup with it would be a 500)."""

from __future__ import annotations

import pytest

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
