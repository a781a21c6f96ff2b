"""Expired sessions are deleted by the task runner, not kept for ever; live ones are left alone."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from counterpoint.operations.tasks import sessions_clear_expired
from tests.web.authenticator import Authenticator, passkey_added, sign_in_options
from tests.web.conftest import World

PASSWORD = "a long and careful passphrase"


def _signed_in(world: World) -> Client:
    world.alice.set_password(PASSWORD)
    world.alice.save()
    client = Client()
    data = {"username": world.alice.email, "password": PASSWORD}
    assert client.post(reverse("accounts:login"), data).status_code == 302
    return client


def test_the_hourly_task_deletes_sessions_past_their_expiry_and_no_other(world: World) -> None:
    device = Authenticator()
    passkey_added(world.client_for("B"), device)
    ended = _signed_in(world)  # a sign-in nobody came back to
    visitor = Client()
    sign_in_options(visitor)  # a passkey sign-in started and left: a session of minutes
    ended_key, visitor_key = ended.session.session_key, visitor.session.session_key

    later = timezone.now() + dt.timedelta(minutes=30)
    with time_machine.travel(later, tick=False):
        current = _signed_in(world)  # the same person on another device, half an hour later
        sessions_clear_expired()
        assert not Session.objects.filter(session_key=visitor_key).exists()
        assert Session.objects.filter(session_key=ended_key).exists()  # 30 days, not over yet

    lifetime = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(timezone.now() + lifetime + dt.timedelta(minutes=1), tick=False):
        sessions_clear_expired()
        assert not Session.objects.filter(session_key=ended_key).exists()
        assert Session.objects.filter(session_key=current.session.session_key).exists()
        assert current.get(reverse("pages:home")).status_code == 200
