"""Home's first steps are the person's own, kept until their own data moves (pages/first_steps.py).

A newly paired person sees three steps; each is marked done by their own act only, as soon as
they have done it, whatever their partner does first, and with the page cache on as in
production.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.models import User
from counterpoint.pairing.services import invite_create
from tests.factories import make_user
from tests.web.checkin_form import checkin_values

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _steps_left(client: Client) -> list[str]:
    page = client.get(reverse("pages:home")).content.decode().replace("&#x27;", "'")
    assert "Getting started with" in page
    return [s for s in ("Check in now", "See today's question", "Start the map") if s in page]


def _check_in(client: Client, who: User) -> None:
    values = checkin_values(who.local_today().isoformat(), 6, note="A slow morning")
    assert client.post(reverse("checkins:today"), values).status_code == 302


def test_a_step_is_done_by_the_persons_own_check_in_not_by_the_partners(settings: object) -> None:
    assert settings.PAGE_CACHE_SECONDS > 0  # type: ignore[attr-defined]  # kept, as in production
    ann, ben = make_user("ann@x.org", "Ann"), make_user("ben@x.org", "Ben")
    invite = invite_create(inviter=ann)
    assert _client(ben).post(f"/couple/join/{invite.token}/")["Location"] == "/home/"
    ann_client, ben_client = _client(ann), _client(ben)
    every = ["Check in now", "See today's question", "Start the map"]
    assert _steps_left(ben_client) == every
    assert _steps_left(ben_client) == every  # served as kept

    _check_in(ann_client, ann)  # the partner's shared check-in moves Ben's page, not his steps
    assert _steps_left(ben_client) == every
    assert _steps_left(ann_client) == every[1:]

    _check_in(ben_client, ben)  # his own: done at once, though his steps were kept before
    assert _steps_left(ben_client) == every[1:]
    assert _steps_left(ann_client) == every[1:]
