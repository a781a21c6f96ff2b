"""How prompts reach a participant: push to their devices with a neutral text that lives until
the window closes, email when they have none, only in the app during their quiet hours; the log
says which."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import http_ece
import pytest
from django.core import mail

from counterpoint.accounts.alerts import ALERTS
from counterpoint.notify import services as notify_services
from counterpoint.research import services
from counterpoint.research.models import Prompt, PromptEvent
from tests.factories import make_couple, make_user
from tests.web.push_endpoint import FakeBrowserKeys, push_endpoint
from tests.web.research.study_world import enrol, make_researcher, make_study

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture
def first_prompts() -> tuple[Any, Any, Prompt]:
    nina = make_user("nina@example.org", "Nina", tz="America/New_York")
    omar = make_user("omar@example.org", "Omar", tz="America/New_York")
    make_couple(nina, omar)
    study = make_study(make_researcher("rita@uni.example", "Rita"))
    a, _b = enrol(study, nina, omar, now=dt.datetime(2026, 6, 1, 15, 0, tzinfo=UTC))
    return nina, omar, Prompt.objects.get(participant=a, day=1, beep=1)


def _channel(prompt: Prompt, to_state: str = "sent") -> str:
    return PromptEvent.objects.get(prompt=prompt, to_state=to_state).detail["channel"]


def test_without_a_device_the_prompt_comes_by_email(
    first_prompts, django_capture_on_commit_callbacks: Any
) -> None:
    _nina, _omar, prompt = first_prompts
    with django_capture_on_commit_callbacks(execute=True):
        services.prompts_tick(now=prompt.scheduled_at)
    assert sorted(m.to[0] for m in mail.outbox) == ["nina@example.org", "omar@example.org"]
    message = next(m for m in mail.outbox if m.to == ["nina@example.org"])
    assert message.subject == "A study question is waiting"
    assert f"/research/prompts/{prompt.pk}/" in message.body
    assert "open until 09:30" in message.body  # 09:00 in New York, a 30-minute window
    assert _channel(prompt) == "email"


def test_with_a_device_the_prompt_is_a_neutral_push_that_lives_until_the_window_closes(
    first_prompts, django_capture_on_commit_callbacks: Any
) -> None:
    nina, _omar, prompt = first_prompts
    keys = FakeBrowserKeys()
    with push_endpoint() as endpoint:
        notify_services.push_subscription_save(
            user=nina, endpoint=f"{endpoint.url}/nina", p256dh=keys.p256dh, auth=keys.auth
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.prompts_tick(now=prompt.scheduled_at + dt.timedelta(minutes=2))
        [arrived] = endpoint.received
    # until the window closes (28 minutes after the tick), counted from when the push was
    # written: the second or so the test takes to send it is off the lifetime, never added
    assert 28 * 60 - 5 <= int(arrived.headers["ttl"]) <= 28 * 60
    payload = json.loads(
        http_ece.decrypt(arrived.body, private_key=keys.private_key, auth_secret=keys.auth_secret)
    )
    assert payload["url"] == f"/research/prompts/{prompt.pk}/"
    assert "Daily moods" not in payload["body"]  # the study's title never on a lock screen
    # Omar has no device, so his prompt is an email; Nina's only email says a device was added
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["nina@example.org"], str(ALERTS["device_added"][0])),
        (["omar@example.org"], "A study question is waiting"),
    ]
    assert _channel(prompt) == "push to 1 device(s)"


def test_in_quiet_hours_the_prompt_is_shown_in_the_app_only(
    first_prompts, django_capture_on_commit_callbacks: Any
) -> None:
    nina, _omar, prompt = first_prompts
    notify_services.notify_preferences_update(
        user=nina, values={"quiet_start": dt.time(22, 0), "quiet_end": dt.time(9, 30)}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.prompts_tick(now=prompt.scheduled_at)
    assert [m.to for m in mail.outbox] == [["omar@example.org"]]
    assert _channel(prompt) == "in the app only (quiet hours)"
    prompt.refresh_from_db()
    assert prompt.state == "sent"


def test_the_reminder_goes_the_same_way_and_is_logged(
    first_prompts, django_capture_on_commit_callbacks: Any
) -> None:
    _nina, _omar, prompt = first_prompts
    with django_capture_on_commit_callbacks(execute=True):
        services.prompts_tick(now=prompt.scheduled_at)
        services.prompts_tick(now=prompt.scheduled_at + dt.timedelta(minutes=15))
    assert len(mail.outbox) == 4  # two prompts, two reminders
    assert _channel(prompt, "reminded") == "email"
