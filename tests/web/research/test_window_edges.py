"""The window's edges as a participant meets them: the clock moved by time-machine, the task run
as the task runner runs it (no time given), answers sent through the page. The answer at the
window's last second, after it, inside the grace period, a time-zone change mid-study (through
the account's settings), a DST change and withdrawal mid-study."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.models import User
from counterpoint.research.models import Participant, Prompt, PromptState, Response, Study
from counterpoint.research.services import prompts_tick
from tests.factories import make_couple, make_user
from tests.web.research.study_world import enrol, make_researcher, make_study

pytestmark = pytest.mark.django_db
S = PromptState
SECOND = dt.timedelta(seconds=1)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _couple(tz: str) -> tuple[User, User]:
    ana = make_user("ana@example.org", "Ana", tz=tz)
    ben = make_user("ben@example.org", "Ben", tz=tz)
    make_couple(ana, ben)
    return ana, ben


def _study(**overrides) -> Study:
    return make_study(make_researcher("rita@uni.example", "Rita"), **overrides)


def _first(user: User) -> Prompt:
    return Prompt.objects.filter(participant__user=user).order_by("scheduled_at").first()  # type: ignore[return-value]


def _answer(user: User, prompt: Prompt) -> int:
    return (
        _client(user).post(reverse("research:answer", args=[prompt.pk]), {"mood": "6"}).status_code
    )


def _at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def berlin() -> tuple[User, User, Prompt]:
    ana, ben = _couple("Europe/Berlin")
    with _at(dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)):
        enrol(_study(grace_minutes=0), ana, ben)
    prompt = _first(ana)
    with _at(prompt.scheduled_at):
        prompts_tick()
    return ana, ben, prompt


def test_an_answer_in_the_windows_last_second_counts(berlin) -> None:
    ana, _ben, prompt = berlin
    with _at(prompt.closes_at - SECOND):
        prompts_tick()
        assert _answer(ana, prompt) == 302
    prompt.refresh_from_db()
    assert prompt.state == S.SUBMITTED and prompt.submitted_at == prompt.closes_at - SECOND


def test_an_answer_when_the_window_has_closed_is_refused(berlin) -> None:
    ana, _ben, prompt = berlin
    with _at(prompt.closes_at - SECOND):
        _client(ana).get(reverse("research:answer", args=[prompt.pk]))  # opened in time
    with _at(prompt.closes_at):  # no grace period in this study
        assert _answer(ana, prompt) == 410
    prompt.refresh_from_db()
    assert prompt.state == S.EXPIRED and not Response.objects.exists()


def test_inside_the_grace_period_a_form_opened_in_time_is_accepted() -> None:
    ana, ben = _couple("Europe/Berlin")
    with _at(dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)):
        enrol(_study(grace_minutes=5), ana, ben)
    prompt = _first(ana)
    grace_end = prompt.closes_at + dt.timedelta(minutes=5)
    with _at(prompt.scheduled_at + dt.timedelta(minutes=29)):
        prompts_tick()
        _client(ana).get(reverse("research:answer", args=[prompt.pk]))
    with _at(grace_end - SECOND):
        prompts_tick()  # the task runs in the grace period: it leaves the opened form alone
        assert _answer(ana, prompt) == 302
    # Ben never opened his: at the window's end it expired, grace or not.
    with _at(grace_end):
        prompts_tick()
        assert _answer(ben, _first(ben)) == 410
    assert _first(ana).state == S.SUBMITTED
    assert _first(ben).state == S.EXPIRED


def test_changing_time_zone_mid_study_moves_the_next_prompts() -> None:
    """Ana flies from Berlin to New York on the study's first day (2 June) and sets her zone in
    her account settings: her next morning prompt comes at 09:00 New York time, not at 09:00
    Berlin time."""
    ana, ben = _couple("Europe/Berlin")
    with _at(dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)):
        enrol(_study(), ana, ben)
    with _at(dt.datetime(2026, 6, 2, 22, 0, tzinfo=dt.UTC)):  # 18:00 in New York
        response = _client(ana).post(
            reverse("accounts:settings"),
            {"display_name": "Ana", "time_zone": "America/New_York"},
        )
        assert response.status_code == 302
        prompts_tick()
    berlin_nine = dt.datetime(2026, 6, 3, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    ny_nine = dt.datetime(2026, 6, 3, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    with _at(berlin_nine):
        assert prompts_tick()["sent"] == 1  # Ben's only
    with _at(ny_nine):
        assert prompts_tick()["sent"] == 1  # Ana's
        day2 = Prompt.objects.get(participant__user=ana, day=2, beep=1)
        assert day2.local_date == dt.date(2026, 6, 3)
        assert day2.state == S.SENT and day2.time_zone == "America/New_York"
        assert _answer(ana, day2) == 302


def test_across_the_dst_change_prompts_keep_their_local_time() -> None:
    """New York moved its clocks forward on 8 March 2026: the 20:00 prompt is at 20:00 both sides
    of it, and is answerable then, not an hour off."""
    ana, ben = _couple("America/New_York")
    ny = ZoneInfo("America/New_York")
    with _at(dt.datetime(2026, 3, 6, 18, 0, tzinfo=dt.UTC)):
        enrol(_study(schedule={"kind": "diary", "time": "20:00"}, duration_days=3), ana, ben)
    for day in (dt.date(2026, 3, 7), dt.date(2026, 3, 8), dt.date(2026, 3, 9)):
        local_eight = dt.datetime.combine(day, dt.time(20), tzinfo=ny)
        with _at(local_eight - dt.timedelta(minutes=1)):
            assert prompts_tick()["sent"] == 0
        with _at(local_eight):
            assert prompts_tick()["sent"] == 2
            prompt = Prompt.objects.get(participant__user=ana, local_date=day)
            assert _answer(ana, prompt) == 302


def test_withdrawal_mid_study_stops_the_prompts_at_once(berlin) -> None:
    ana, ben, prompt = berlin
    participant = Participant.objects.get(user=ana)
    with _at(prompt.scheduled_at + dt.timedelta(minutes=1)):
        leave = reverse("research:withdraw", args=[participant.pk])
        assert _client(ana).post(leave, {"choice": "keep"}).status_code == 302
        assert _answer(ana, prompt) == 410  # the open prompt was cancelled
    next_one = Prompt.objects.get(participant=participant, day=1, beep=2)
    with _at(next_one.scheduled_at):
        assert prompts_tick()["sent"] == 1  # Ben's only
    next_one.refresh_from_db()
    assert next_one.state == S.CANCELLED
    assert Prompt.objects.get(participant__user=ben, day=1, beep=2).state == S.SENT
