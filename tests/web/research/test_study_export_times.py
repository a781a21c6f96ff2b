"""A participant's export tells no one else's clock: the study's log of her prompts holds moments
that follow her partner's acts (his consent, which enrols the couple and plans her prompts; his
unpairing, which cancels them within a minute). Those are days in her archive, as the pages give
the partner's acts; her own acts and her prompts' schedule stay exact (docs/privacy.md)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from counterpoint.pairing.services import couple_unpair
from counterpoint.research import services
from counterpoint.research.models import PromptEvent
from tests.factories import make_couple, make_user
from tests.web.form_pages import export_text
from tests.web.research.study_world import make_researcher, make_study

START = dt.datetime(2031, 3, 3, 9, 0, tzinfo=dt.UTC)


def _at(minutes: int, seconds: int) -> dt.datetime:
    """A moment no other act in this test shares."""
    micro = 100_000 + minutes * 1000 + seconds
    return START + dt.timedelta(minutes=minutes, seconds=seconds, microseconds=micro)


def _clock_texts(moment: dt.datetime) -> set[str]:
    return {moment.strftime("%H:%M:%S"), moment.strftime("%S.%f")}


@pytest.mark.django_db
def test_the_study_log_in_an_export_gives_the_partners_acts_as_days() -> None:
    alice = make_user("alice@example.org", "Alice")
    bob = make_user("bob@example.org", "Bob")
    make_couple(alice, bob)
    with time_machine.travel(_at(1, 11), tick=False):
        study = make_study(make_researcher("rita@example.org", "Rita"))
        version = study.current_consent().version  # type: ignore[union-attr]
        mine = services.study_consent(user=alice, study=study, consent_version=version)
    others: list[dt.datetime] = []
    with time_machine.travel(_at(7, 23), tick=False):
        services.study_consent(user=bob, study=study, consent_version=version)
        others.append(_at(7, 23))
    with time_machine.travel(_at(13, 37), tick=False):
        couple_unpair(user=bob)
    with time_machine.travel(_at(14, 29), tick=False):
        assert services.prompts_tick(deliver=False)["stopped"] > 0
        others.append(_at(14, 29))
    events = PromptEvent.objects.filter(prompt__participant=mine)
    assert {e.reason for e in events} == {"planned at enrolment", "the couple unpaired"}

    with time_machine.travel(_at(45, 3), tick=False):
        text = export_text(alice)

    assert "the couple unpaired" in text and "planned at enrolment" in text
    leaked = {m.isoformat(): [t for t in _clock_texts(m) if t in text] for m in others}
    leaked = {moment: texts for moment, texts in leaked.items() if texts}
    assert not leaked, f"Alice's archive names the time of Bob's act: {leaked}"
    # what Alice did herself (her consent) and her prompts' schedule stay exact
    mine.refresh_from_db()
    assert mine.consented_at.isoformat() in text
    first = mine.prompts.order_by("scheduled_at").first()
    assert first is not None and first.scheduled_at.isoformat() in text
