"""Check-in services: atomic saves, one per day (a second edits), the reveal rule, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from counterpoint.activity.models import Notice
from counterpoint.checkins import services
from counterpoint.checkins.models import CheckIn, CheckInSettings, QuestionAnswer, ReminderSent
from counterpoint.checkins.reminders import reminders_send
from counterpoint.checkins.selectors import me_we_minutes, question_view, visible_checkins
from tests.web.access_cases import checkins as _seeds  # noqa: F401  (adds check-ins to the world)
from tests.web.conftest import World

pytestmark = pytest.mark.django_db

VALUES = {
    "mood": 6,
    "energy": 5,
    "stress": 3,
    "closeness": 5,
    "sought_support": "helped",
    "gave_support": True,
    "me_minutes": 40,
    "we_minutes": 100,
    "note": "see you tonight",
    "journal_line": "tired but ok",
}


def test_second_checkin_the_same_day_edits_the_first(world: World) -> None:
    yesterday = world.alice.local_today() - dt.timedelta(days=1)  # the world has one already
    seeded = CheckIn.objects.get(author=world.alice, day=yesterday)
    first = services.checkin_submit(user=world.alice, day=yesterday, values=VALUES)
    second = services.checkin_submit(user=world.alice, day=yesterday, values={**VALUES, "mood": 9})
    assert seeded.pk == first.pk == second.pk
    assert CheckIn.objects.filter(author=world.alice, day=yesterday).count() == 1
    assert CheckIn.objects.get(pk=first.pk).mood == 9


def test_checkin_is_atomic(world: World) -> None:
    """A failure half-way (here: the database refusing a value) leaves nothing behind."""
    yesterday = world.alice.local_today() - dt.timedelta(days=2)
    before = CheckIn.objects.count()
    with pytest.raises(ValidationError):
        services.checkin_submit(user=world.alice, day=yesterday, values={**VALUES, "stress": 11})
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        # bypassing the service's own check: the database constraint still holds the line
        CheckIn.objects.create(author=world.alice, day=yesterday, **{**VALUES, "closeness": 9})
    assert CheckIn.objects.count() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("mood", 11),
        ("mood", -1),
        ("stress", 99),
        ("closeness", 0),
        ("me_minutes", -5),
        ("we_minutes", 2000),
    ],
)
def test_out_of_range_values_are_refused(world: World, field: str, value: int) -> None:
    with pytest.raises(ValidationError):
        services.checkin_submit(
            user=world.bob,
            day=world.bob.local_today(),
            values={**VALUES, field: value},
        )
    assert not CheckIn.objects.filter(author=world.bob, day=world.bob.local_today()).exists()


@pytest.mark.parametrize("days", [1, 2, 30])
def test_future_and_long_past_days_are_refused(world: World, days: int) -> None:
    today = world.bob.local_today()
    target = today + dt.timedelta(days=1) if days == 1 else today - dt.timedelta(days=days)
    with pytest.raises(ValidationError) as err:
        services.checkin_submit(user=world.bob, day=target, values=VALUES)
    assert "today or yesterday" in str(err.value) or "hasn't happened" in str(err.value)
    assert not CheckIn.objects.filter(author=world.bob, day=target).exists()


def test_yesterday_is_allowed_and_days_are_local(world: World) -> None:
    world.alice.time_zone = "Pacific/Auckland"
    world.alice.save()
    with time_machine.travel(dt.datetime(2026, 3, 10, 20, 0, tzinfo=dt.UTC), tick=False):
        # 20:00 UTC is already 11 March in Auckland
        assert world.alice.local_today() == dt.date(2026, 3, 11)
        services.checkin_submit(user=world.alice, day=dt.date(2026, 3, 10), values=VALUES)
        with pytest.raises(ValidationError):
            services.checkin_submit(user=world.alice, day=dt.date(2026, 3, 12), values=VALUES)


def test_evening_checkin_only_when_twice_daily(world: World) -> None:
    today = world.alice.local_today()
    with pytest.raises(ValidationError):
        services.checkin_submit(user=world.alice, day=today, slot=1, values=VALUES)
    CheckInSettings.objects.create(user=world.alice, twice_daily=True)
    services.checkin_submit(user=world.alice, day=today, values={**VALUES, "me_minutes": 30})
    services.checkin_submit(
        user=world.alice, day=today, slot=1, values={**VALUES, "me_minutes": 20}
    )
    assert me_we_minutes(world.alice, today, today)[today].me == 30 + 20


def test_me_we_minutes_are_the_persons_own(world: World) -> None:
    today = world.alice.local_today()
    yesterday = today - dt.timedelta(days=1)
    got = me_we_minutes(world.alice, today - dt.timedelta(days=7), today)
    assert list(got) == [yesterday]
    assert got[yesterday].me == 30 and got[yesterday].we == 90
    assert me_we_minutes(world.terry, yesterday, today) == {}


def test_partner_sees_shared_fields_never_the_journal_line(world: World) -> None:
    CheckInSettings.objects.create(user=world.alice, share_mood=False, share_note=False)
    seen = {c.author_id: c for c in visible_checkins(world.bob)}
    alice = seen[world.alice.pk]
    assert alice.mood is None and alice.note is None and alice.journal_line is None
    assert alice.stress == 3 and alice.me_minutes == 30
    assert {"mood", "note"} <= alice.hidden
    assert seen[world.bob.pk].journal_line is not None  # his own
    assert world.carol.pk not in seen
    assert all(c.mine for c in visible_checkins(world.carol) if c.author_id == world.carol.pk)
    assert not [
        c for c in visible_checkins(world.carol) if c.author_id in (world.alice.pk, world.bob.pk)
    ]


def test_reveal_rule(world: World) -> None:
    q = world.objects["question"]  # Alice has answered; Bob has not
    assert question_view(world.bob, q).partner_answered
    assert question_view(world.bob, q).partner_answer is None
    # Bob skips: still nothing revealed, for either
    services.question_answer(user=world.bob, question_pk=q.pk, text="", skip=True)
    assert question_view(world.bob, q).partner_answer is None
    assert question_view(world.alice, q).partner_answer is None
    # Bob answers after all: both see both, and Alice hears about it
    services.question_answer(user=world.bob, question_pk=q.pk, text="a walk")
    assert question_view(world.bob, q).partner_answer.text.endswith("until Bob answers")  # type: ignore[union-attr]
    assert question_view(world.alice, q).partner_answer.text == "a walk"  # type: ignore[union-attr]
    assert Notice.objects.filter(recipient=world.alice, kind="question_revealed").exists()
    # once revealed, an answer can't change
    with pytest.raises(ValidationError):
        services.question_answer(user=world.bob, question_pk=q.pk, text="changed my mind")


def test_answering_another_couples_question_saves_nothing(world: World) -> None:
    other = world.objects["other_question"]
    with pytest.raises(ValidationError) as err:
        services.question_answer(user=world.alice, question_pk=other.pk, text="hello")
    assert "isn't one of yours" in str(err.value)
    assert not QuestionAnswer.objects.filter(question=other).exists()


def test_both_partners_get_the_same_daily_question(world: World) -> None:
    day = world.alice.local_today() + dt.timedelta(days=1)
    a = services.daily_question_get(user=world.alice, day=day)
    b = services.daily_question_get(user=world.bob, day=day)
    assert a is not None and a == b
    assert services.daily_question_get(user=world.terry) is None


def test_reminders_are_sent_once_and_only_when_due(world: World) -> None:
    CheckIn.objects.filter(author=world.bob).delete()
    CheckInSettings.objects.create(user=world.bob, reminder_time=dt.time(20, 0))
    CheckInSettings.objects.create(user=world.alice, reminder_time=dt.time(20, 0))  # checked in
    with time_machine.travel(dt.datetime(2026, 5, 4, 19, 59, tzinfo=dt.UTC), tick=False):
        assert reminders_send() == 0
    with time_machine.travel(dt.datetime(2026, 5, 4, 20, 1, tzinfo=dt.UTC), tick=False):
        CheckIn.objects.filter(author=world.alice).update(day=dt.date(2026, 5, 4))
        call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ReminderSent.objects.filter(user=world.bob).count() == 1
    assert not ReminderSent.objects.filter(user=world.alice).exists()
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert Notice.objects.filter(recipient=world.bob, kind="checkin_reminder").count() == 1
    with time_machine.travel(dt.datetime(2026, 5, 5, 20, 30, tzinfo=dt.UTC), tick=False):
        assert reminders_send() == 2  # a new day: neither has checked in yet
