"""Access cases for check-ins, the daily question, reflections and insights.

The world gets check-ins, answers and reflections from Alice and Bob (and Carol), with private
markers in Alice's and Bob's journal lines and in answers that must stay hidden.
"""

from __future__ import annotations

import datetime as dt

from counterpoint.checkins import services
from tests.web.access import COUPLE_ONLY, SIGNED_IN_ONLY, Case, expect
from tests.web.conftest import ALICE_PRIVATE_MARKER, BOB_PRIVATE_MARKER, WORLD_SEEDERS

CHECKIN = {
    "mood": 6,
    "energy": 5,
    "stress": 3,
    "closeness": 5,
    "sought_support": "no",
    "gave_support": False,
    "me_minutes": 30,
    "we_minutes": 90,
}


def seed_checkins(w) -> None:
    """Check-ins, reflections and answers through the check-in services, as people send them."""
    today = w.alice.local_today()
    for person, line in (
        (w.alice, ALICE_PRIVATE_MARKER),
        (w.bob, BOB_PRIVATE_MARKER),
        (w.carol, "carol's line"),
    ):
        w.objects[f"checkin_{person.display_name.lower()}"] = services.checkin_submit(
            user=person,
            day=today - dt.timedelta(days=1),  # today is left free for other tests
            values={
                **CHECKIN,
                "note": f"note from {person.display_name}",
                "journal_line": f"{line} journal",
            },
        )
        services.reflection_submit(
            user=person,
            week_start=today - dt.timedelta(days=today.weekday()),
            life_satisfaction=7,
            relationship_satisfaction=8,
            helped=f"helped {person.display_name}",
        )
    # Alice has answered today's question, Bob not yet: Bob must not see her answer.
    q = services.daily_question_get(user=w.alice, day=today)
    assert q is not None
    services.question_answer(
        user=w.alice, question_pk=q.pk, text=f"{ALICE_PRIVATE_MARKER} until Bob answers"
    )
    w.objects["question"] = q
    w.objects["other_question"] = services.daily_question_get(user=w.carol, day=today)


WORLD_SEEDERS.append(seed_checkins)


def _alices_unrevealed_answer(w) -> dict:
    from counterpoint.checkins.models import QuestionAnswer

    return {"pk": QuestionAnswer.objects.get(question=w.objects["question"], author=w.alice).pk}


def _today(w) -> dict:
    return {"day": w.alice.local_today().isoformat(), **CHECKIN, "mood": 7}


CASES = [
    Case("checkins:today", SIGNED_IN_ONLY),
    Case(
        "checkins:today",
        expect(SIGNED_IN_ONLY, A=302, B=302, C=302, T=302),
        method="post",
        data=_today,
    ),
    Case("checkins:history", SIGNED_IN_ONLY),
    Case("checkins:question", SIGNED_IN_ONLY),
    Case(
        "checkins:question_answer",
        expect(COUPLE_ONLY, A=302, B=302),
        method="post",
        kwargs=lambda w: {"pk": w.objects["question"].pk},
        data=lambda w: {"text": "an answer"},
        label="own couple's question",
    ),
    Case(
        "checkins:question_answer",
        expect(COUPLE_ONLY, A=404, B=404, C=302),
        method="post",
        kwargs=lambda w: {"pk": w.objects["other_question"].pk},
        data=lambda w: {"text": "sneaky"},
        label="another couple's question",
    ),
    # Reactions: only to the partner's note while shared, and to their answer once revealed.
    Case(
        "checkins:react_note",
        expect(COUPLE_ONLY, A=404, B=302),
        method="post",
        kwargs=lambda w: {"pk": w.objects["checkin_alice"].pk},
        data=lambda w: {"kind": "love", "words": "thank you"},
        label="partner's shared note",
    ),
    Case(
        "checkins:react_answer",
        expect(COUPLE_ONLY, A=404, B=404),
        method="post",
        kwargs=_alices_unrevealed_answer,
        data=lambda w: {"kind": "hug"},
        label="answer not yet revealed",
    ),
    Case("checkins:reflection", SIGNED_IN_ONLY),
    Case(
        "checkins:reflection",
        expect(SIGNED_IN_ONLY, A=302, B=302, C=302, T=302),
        method="post",
        data=lambda w: {
            "week_start": (
                w.alice.local_today() - dt.timedelta(days=w.alice.local_today().weekday())
            ).isoformat(),
            "life_satisfaction": 6,
            "relationship_satisfaction": 7,
            "helped": "walks",
        },
    ),
    Case("checkins:settings", SIGNED_IN_ONLY),
    Case(
        "checkins:settings",
        expect(SIGNED_IN_ONLY, A=302, B=302, C=302, T=302),
        method="post",
        data=lambda w: {"share_mood": "on", "reminder_time": "20:00", "reminder_email": "on"},
    ),
    Case("insights:page", SIGNED_IN_ONLY),
    Case("insights:json", SIGNED_IN_ONLY),
    Case("insights:how", SIGNED_IN_ONLY),
]
