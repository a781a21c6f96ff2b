"""Studies through the services: consent and enrolment, the life of a prompt and its windows,
time-zone and DST changes, withdrawal mid-study, and what a researcher can read."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.models import User
from counterpoint.privacy import access
from counterpoint.research import selectors, services
from counterpoint.research.models import (
    Enrolment,
    Participant,
    Prompt,
    PromptEvent,
    PromptState,
    Response,
    Study,
)
from tests.factories import make_couple, make_user
from tests.web.research.study_world import enrol, make_researcher, make_study

pytestmark = pytest.mark.django_db
S = PromptState
UTC = dt.UTC
ANSWERS = {"mood": "7", "calm": "4", "where": "2", "note": "a quiet morning"}


@pytest.fixture
def people() -> dict[str, User]:
    alice = make_user("alice@example.org", "Alice", tz="Europe/Berlin")
    bob = make_user("bob@example.org", "Bob", tz="Europe/Berlin")
    carol = make_user("carol@example.org", "Carol", tz="America/New_York")
    dave = make_user("dave@example.org", "Dave", tz="America/New_York")
    make_couple(alice, bob)
    make_couple(carol, dave)
    return {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "dave": dave,
        "rita": make_researcher("rita@uni.example", "Rita"),
        "otto": make_researcher("otto@uni.example", "Otto"),
    }


def _prompt(participant: Participant, day: int = 1, beep: int = 1) -> Prompt:
    return Prompt.objects.get(participant=participant, day=day, beep=beep)


def _states(prompt: Prompt) -> list[tuple[str, str]]:
    return list(
        prompt.events.order_by("at", "logged_at", "id").values_list("from_state", "to_state")
    )


# -- consent and enrolment ----------------------------------------------------------------------------
def test_one_consent_enrols_nobody_two_enrol_the_couple(people: dict[str, User]) -> None:
    study = make_study(people["rita"])
    version = study.current_consent().version  # type: ignore[union-attr]
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False):
        a = services.study_consent(user=people["alice"], study=study, consent_version=version)
        assert not Prompt.objects.exists()
        assert Enrolment.objects.get().enrolled_at is None
        b = services.study_consent(user=people["bob"], study=study, consent_version=version)
    enrolment = Enrolment.objects.get()
    assert enrolment.enrolled_at == dt.datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    assert (a.role, a.person_code, b.role, b.person_code) == ("A", "1A", "B", "1B")
    assert a.consent_version.version == b.consent_version.version == 1
    # 14 days x 3 fixed times, for each partner, starting the next local day.
    assert Prompt.objects.filter(participant=a).count() == 42
    assert Prompt.objects.filter(participant=b).count() == 42
    first = _prompt(a)
    assert first.local_date == dt.date(2026, 6, 2)
    assert first.scheduled_at == dt.datetime(2026, 6, 2, 7, 0, tzinfo=UTC)  # 09:00 in Berlin
    assert first.closes_at - first.scheduled_at == dt.timedelta(minutes=30)
    assert _states(first) == [("", "scheduled")]


@pytest.mark.parametrize("alice_left", [False, True], ids=["both in", "the first one left"])
def test_the_second_consent_tells_nobody_who_left_and_nothing_of_it(
    people: dict[str, User], alice_left: bool
) -> None:
    """Bob, consenting second, hears the same whether Alice is still in or has left (leaving tells
    the partner nothing); Alice hears that both are in only if she is; having left, nothing."""
    from counterpoint.activity.models import Notice

    study = make_study(people["rita"])
    version = study.current_consent().version  # type: ignore[union-attr]
    a = services.study_consent(user=people["alice"], study=study, consent_version=version)
    if alice_left:
        services.participant_withdraw(participant=a, choice=Participant.Withdrawal.KEEP)
    Notice.objects.all().delete()
    services.study_consent(user=people["bob"], study=study, consent_version=version)
    told = {n.recipient.display_name: n.message for n in Notice.objects.select_related("recipient")}
    assert told["Bob"] == "You are in “Daily moods together”. The first prompts come tomorrow."
    if alice_left:
        assert "Alice" not in told
        assert not Prompt.objects.filter(participant=a).exists()
    else:
        assert told["Alice"].startswith("You are both in “Daily moods together”.")


def test_consent_needs_the_current_version_and_a_couple(people: dict[str, User]) -> None:
    study = make_study(people["rita"])
    services.study_update(
        study=study,
        title=study.title,
        description=study.description,
        consent_text="A changed text: we also ask where you are.",
    )
    assert study.current_consent().version == 2  # type: ignore[union-attr]
    with pytest.raises(ValidationError):
        services.study_consent(user=people["alice"], study=study, consent_version=1)
    single = make_user("sol@example.org", "Sol")
    with pytest.raises(ValidationError):
        services.study_consent(user=single, study=study, consent_version=2)
    with pytest.raises(ValidationError):
        services.study_consent(user=people["rita"], study=study, consent_version=2)
    assert not Participant.objects.exists()
    a = services.study_consent(user=people["alice"], study=study, consent_version=2)
    assert a.consent_version.version == 2


def test_an_unchanged_consent_text_is_not_a_new_version(people: dict[str, User]) -> None:
    study = make_study(people["rita"])
    text = study.current_consent().text  # type: ignore[union-attr]
    services.consent_text_update(study=study, text=text + "\n")
    assert study.consent_versions.count() == 1


def test_a_draft_or_closed_study_takes_nobody(people: dict[str, User]) -> None:
    study = make_study(people["rita"], open_now=False)
    with pytest.raises(ValidationError):
        services.study_consent(user=people["alice"], study=study, consent_version=1)
    services.study_set_status(study=study, status=Study.Status.CLOSED)
    with pytest.raises(ValidationError):
        services.study_consent(user=people["alice"], study=study, consent_version=1)


def test_design_is_frozen_once_someone_consented(people: dict[str, User]) -> None:
    study = make_study(people["rita"])
    services.study_consent(user=people["alice"], study=study, consent_version=1)
    with pytest.raises(ValidationError):
        services.study_update(
            study=study,
            title=study.title,
            description=study.description,
            consent_text="same",
            schedule={"kind": "diary", "time": "21:00"},
        )
    study.refresh_from_db()
    assert study.schedule["kind"] == "fixed"
    # The title and the threshold may still change.
    services.study_update(
        study=study,
        title="Moods together",
        description=study.description,
        consent_text=study.current_consent().text,  # type: ignore[union-attr]
        compliance_threshold=0.7,
    )
    study.refresh_from_db()
    assert (study.title, study.compliance_threshold) == ("Moods together", 0.7)


# -- the windows ---------------------------------------------------------------------------------------
@pytest.fixture
def enrolled(people: dict[str, User]) -> tuple[Study, Participant, Participant]:
    study = make_study(people["rita"], grace_minutes=5)
    a, b = enrol(
        study, people["alice"], people["bob"], now=dt.datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    )
    return study, a, b


def test_send_is_idempotent_and_logged(enrolled) -> None:
    _study, a, _b = enrolled
    at = _prompt(a).scheduled_at
    first = services.prompts_tick(now=at)
    again = services.prompts_tick(now=at + dt.timedelta(seconds=30))
    assert first["sent"] == 2 and again["sent"] == 0  # Alice's and Bob's first prompts
    prompt = _prompt(a)
    assert (prompt.state, prompt.sent_at) == (S.SENT, at)
    assert _states(prompt) == [("", "scheduled"), ("scheduled", "sent")]


def test_answer_at_the_windows_last_second_counts(enrolled) -> None:
    _study, a, _b = enrolled
    prompt = _prompt(a)
    services.prompts_tick(now=prompt.scheduled_at)
    last_second = prompt.closes_at - dt.timedelta(seconds=1)
    services.prompt_open(prompt=_prompt(a), now=last_second)
    response = services.prompt_submit(prompt=_prompt(a), answers=ANSWERS, now=last_second)
    prompt.refresh_from_db()
    assert prompt.state == S.SUBMITTED and prompt.submitted_at == last_second
    assert response.answers == {"mood": 7, "calm": 4, "where": 2, "note": "a quiet morning"}
    assert prompt.events.get(to_state="submitted").reason == "submitted in the window"


def test_a_form_not_opened_before_the_window_closed_cannot_be_answered(enrolled) -> None:
    _study, a, _b = enrolled
    prompt = _prompt(a)
    services.prompts_tick(now=prompt.scheduled_at)
    with pytest.raises(services.PromptClosed):
        services.prompt_submit(prompt=_prompt(a), answers=ANSWERS, now=prompt.closes_at)
    prompt.refresh_from_db()
    assert prompt.state == S.EXPIRED and prompt.expired_at == prompt.closes_at
    assert prompt.events.get(to_state="expired").reason == "window closed, not opened"
    assert not Response.objects.exists()


def test_a_form_opened_in_time_may_be_sent_in_the_grace_period(enrolled) -> None:
    _study, a, _b = enrolled
    prompt = _prompt(a)
    services.prompts_tick(now=prompt.scheduled_at)
    services.prompt_open(prompt=_prompt(a), now=prompt.closes_at - dt.timedelta(seconds=10))
    # The task runs after the window closed: it expires Bob's unopened prompt, not Alice's form
    # that is inside its grace period.
    assert services.prompts_tick(now=prompt.closes_at + dt.timedelta(minutes=1))["expired"] == 1
    assert _prompt(a).state == S.OPENED
    inside = prompt.closes_at + dt.timedelta(minutes=5) - dt.timedelta(seconds=1)
    services.prompt_submit(prompt=_prompt(a), answers=ANSWERS, now=inside)
    prompt.refresh_from_db()
    assert prompt.state == S.SUBMITTED
    assert prompt.events.get(to_state="submitted").reason == "submitted in the grace period"


def test_after_the_grace_period_an_opened_form_expires(enrolled) -> None:
    _study, a, _b = enrolled
    prompt = _prompt(a)
    services.prompts_tick(now=prompt.scheduled_at)
    services.prompt_open(prompt=_prompt(a), now=prompt.scheduled_at + dt.timedelta(minutes=2))
    grace_end = prompt.closes_at + dt.timedelta(minutes=5)
    with pytest.raises(services.PromptClosed):
        services.prompt_submit(prompt=_prompt(a), answers=ANSWERS, now=grace_end)
    prompt.refresh_from_db()
    assert prompt.state == S.EXPIRED and prompt.expired_at == grace_end
    assert _states(prompt)[-1] == ("opened", "expired")


def test_the_task_expires_unopened_prompts_once(enrolled) -> None:
    _study, a, _b = enrolled
    prompt = _prompt(a)
    services.prompts_tick(now=prompt.scheduled_at)
    assert services.prompts_tick(now=prompt.closes_at)["expired"] == 2
    assert services.prompts_tick(now=prompt.closes_at)["expired"] == 0
    assert PromptEvent.objects.filter(prompt=prompt, to_state="expired").count() == 1


def test_a_prompt_never_sent_in_its_window_expires_unsent(enrolled) -> None:
    """The task runner was down for the whole window: the prompt is not sent late."""
    _study, a, _b = enrolled
    prompt = _prompt(a)
    result = services.prompts_tick(now=prompt.closes_at + dt.timedelta(minutes=1))
    prompt.refresh_from_db()
    assert prompt.state == S.EXPIRED and prompt.sent_at is None
    assert result["sent"] == 0
    assert prompt.events.get(to_state="expired").reason == "window closed before it could be sent"


def test_reminder_inside_the_window_once(enrolled) -> None:
    _study, a, _b = enrolled
    prompt = _prompt(a)
    services.prompts_tick(now=prompt.scheduled_at)
    assert (
        services.prompts_tick(now=prompt.scheduled_at + dt.timedelta(minutes=14))["reminded"] == 0
    )
    assert (
        services.prompts_tick(now=prompt.scheduled_at + dt.timedelta(minutes=15))["reminded"] == 2
    )
    assert (
        services.prompts_tick(now=prompt.scheduled_at + dt.timedelta(minutes=16))["reminded"] == 0
    )
    assert PromptEvent.objects.filter(prompt=prompt, to_state="reminded").count() == 1


def test_an_answer_out_of_range_saves_nothing(enrolled) -> None:
    _study, a, _b = enrolled
    prompt = _prompt(a)
    services.prompts_tick(now=prompt.scheduled_at)
    with pytest.raises(ValidationError) as info:
        services.prompt_submit(
            prompt=_prompt(a),
            answers={**ANSWERS, "calm": "11", "where": "4"},
            now=prompt.scheduled_at,
        )
    assert set(info.value.message_dict) == {"calm", "where"}
    prompt.refresh_from_db()
    assert prompt.state == S.SENT and not Response.objects.exists()


def test_a_text_answer_longer_than_allowed_is_refused_not_cut(enrolled) -> None:
    _study, a, _b = enrolled
    prompt = _prompt(a)
    services.prompts_tick(now=prompt.scheduled_at)
    with pytest.raises(ValidationError) as info:
        services.prompt_submit(
            prompt=_prompt(a), answers={**ANSWERS, "note": "w" * 501}, now=prompt.scheduled_at
        )
    assert set(info.value.message_dict) == {"note"}
    assert "500" in info.value.message_dict["note"][0]
    assert not Response.objects.exists()


# -- time zones and DST ----------------------------------------------------------------------------------
def test_changing_time_zone_mid_study_moves_the_prompts_ahead(enrolled) -> None:
    study, a, _b = enrolled
    alice = a.user
    # Day 3, 10:00 in Berlin (08:00 UTC): Alice flies to New York and sets her zone.
    now = dt.datetime(2026, 6, 4, 8, 0, tzinfo=UTC)
    before = {(p.day, p.beep): p.scheduled_at for p in Prompt.objects.filter(participant=a)}
    alice.time_zone = "America/New_York"
    alice.save()
    result = services.prompts_tick(now=now)
    assert result["rescheduled"] > 0
    a.refresh_from_db()
    assert a.time_zone == "America/New_York"
    ny = ZoneInfo("America/New_York")
    for p in Prompt.objects.filter(participant=a):
        if before[(p.day, p.beep)] <= now:  # already due: untouched
            assert p.scheduled_at == before[(p.day, p.beep)]
        elif (p.day, p.beep) >= (4, 1):  # later days: the same wall clock in New York
            assert p.scheduled_at.astimezone(ny).time() == p.local_time
            assert p.time_zone == "America/New_York"
            assert p.closes_at - p.scheduled_at == dt.timedelta(minutes=study.window_minutes)
    moved = Prompt.objects.get(participant=a, day=4, beep=1)
    assert moved.events.get(to_state="rescheduled").reason == (
        "time zone changed from Europe/Berlin to America/New_York"
    )
    # Running again changes nothing.
    assert services.prompts_tick(now=now)["rescheduled"] == 0


def test_prompts_keep_their_local_time_across_dst(people: dict[str, User]) -> None:
    """Carol and Dave (New York) in a study across 8 March 2026, when the clocks go forward."""
    study = make_study(people["otto"], schedule={"kind": "diary", "time": "21:00"}, duration_days=4)
    c, _d = enrol(
        study, people["carol"], people["dave"], now=dt.datetime(2026, 3, 6, 15, tzinfo=UTC)
    )
    ats = list(
        Prompt.objects.filter(participant=c).order_by("day").values_list("scheduled_at", flat=True)
    )
    assert [at.astimezone(ZoneInfo("America/New_York")).time() for at in ats] == [dt.time(21)] * 4
    # 7 March 21:00 EST is 02:00 UTC; 8 March 21:00 EDT is 01:00 UTC.
    assert ats[0] == dt.datetime(2026, 3, 8, 2, 0, tzinfo=UTC)
    assert ats[1] == dt.datetime(2026, 3, 9, 1, 0, tzinfo=UTC)
    # The window of the DST day is still 30 real minutes, and the task finds it at its time.
    assert services.prompts_tick(now=ats[1])["sent"] == 2


# -- withdrawal ------------------------------------------------------------------------------------------
def test_withdrawal_mid_study_keeping_answers(enrolled) -> None:
    _study, a, b = enrolled
    day1 = _prompt(a)
    services.prompts_tick(now=day1.scheduled_at)
    services.prompt_submit(prompt=_prompt(a), answers=ANSWERS, now=day1.scheduled_at)
    beep2 = _prompt(a, 1, 2)
    services.prompts_tick(now=beep2.scheduled_at)  # sent, waiting
    services.participant_withdraw(
        participant=a, choice="keep", now=beep2.scheduled_at + dt.timedelta(minutes=1)
    )
    beep2.refresh_from_db()
    assert beep2.state == S.CANCELLED
    assert beep2.events.get(to_state="cancelled").reason == "participant withdrew"
    assert not Prompt.objects.filter(
        participant=a, state__in=(S.SCHEDULED, S.SENT, S.OPENED)
    ).exists()
    assert Response.objects.filter(author=a.user).count() == 1
    # Nothing more is sent to Alice; Bob's prompts go on.
    result = services.prompts_tick(now=_prompt(a, 1, 3).scheduled_at)
    assert result["sent"] == 1 and _prompt(b, 1, 3).state == S.SENT


def test_withdrawal_deleting_answers(enrolled) -> None:
    _study, a, b = enrolled
    day1 = _prompt(a)
    services.prompts_tick(now=day1.scheduled_at)
    services.prompt_submit(prompt=_prompt(a), answers=ANSWERS, now=day1.scheduled_at)
    services.participant_withdraw(participant=a, choice="delete", now=day1.closes_at)
    assert not Prompt.objects.filter(participant=a).exists()
    assert not PromptEvent.objects.filter(prompt__participant=a).exists()
    assert not Response.objects.filter(author=a.user).exists()
    a.refresh_from_db()
    assert (a.withdrawal_choice, a.withdrawn_at) == ("delete", day1.closes_at)
    assert Prompt.objects.filter(participant=b).count() == 42


# -- who reads what --------------------------------------------------------------------------------------
def test_answers_are_the_authors_and_their_researchers_only(enrolled, people) -> None:
    study, a, _b = enrolled
    day1 = _prompt(a)
    services.prompts_tick(now=day1.scheduled_at)
    response = services.prompt_submit(prompt=_prompt(a), answers=ANSWERS, now=day1.scheduled_at)
    assert access.can_read(people["alice"], response)
    assert not access.can_read(people["bob"], response)  # the partner never sees them
    assert not access.can_read(people["rita"], response)  # not through the app's rules either
    assert list(selectors.study_responses(people["rita"], study)) == [response]
    assert not selectors.study_responses(people["otto"], study).exists()
    assert not selectors.study_prompts(people["otto"], study).exists()
    assert not selectors.study_responses(people["bob"], study).exists()
    with pytest.raises(Exception):  # noqa: B017 - Http404
        selectors.study_for_researcher_or_404(people["otto"], study.pk)


def test_the_study_never_reads_app_data(enrolled, people) -> None:
    """A check-in item asked by a study is answered in the prompt: the study's rows hold only what
    was submitted, whatever the participant wrote elsewhere."""
    from counterpoint.checkins.services import checkin_submit

    study, a, _b = enrolled
    assert set(study.items.values_list("name", flat=True)) == {"mood", "calm", "where", "note"}
    day1 = _prompt(a)
    with time_machine.travel(day1.scheduled_at, tick=False):
        checkin_submit(
            user=people["alice"],
            day=people["alice"].local_today(),
            values={"mood": 9, "journal_line": "ALICE-PRIVATE line"},
        )
    services.prompts_tick(now=day1.scheduled_at)
    services.prompt_submit(prompt=_prompt(a), answers={"mood": "3"}, now=day1.scheduled_at)
    values = [r.answers for r in selectors.study_responses(people["rita"], study)]
    assert values == [{"mood": 3, "calm": None, "where": None, "note": None}]


def test_deleting_an_account_deletes_its_study_data_and_not_the_partners(enrolled) -> None:
    from counterpoint.accounts.services import account_delete

    study, a, b = enrolled
    day1 = _prompt(a)
    services.prompts_tick(now=day1.scheduled_at)
    services.prompt_submit(prompt=_prompt(a), answers=ANSWERS, now=day1.scheduled_at)
    services.prompt_submit(prompt=_prompt(b), answers={"mood": "5"}, now=day1.scheduled_at)
    alice = a.user
    account_delete(user=alice, remove_couple_items=False)
    assert not Participant.objects.filter(pk=a.pk).exists()
    assert not Prompt.objects.filter(participant_id=a.pk).exists()
    assert list(Response.objects.filter(study=study).values_list("answers", flat=True)) == [
        {"mood": 5, "calm": None, "where": None, "note": None}
    ]
    assert Prompt.objects.filter(participant=b).count() == 42


def test_unpairing_stops_the_couples_prompts_and_keeps_their_answers(enrolled) -> None:
    from counterpoint.pairing.services import couple_unpair

    _study, a, b = enrolled
    day1 = _prompt(a)
    services.prompts_tick(now=day1.scheduled_at)
    services.prompt_submit(prompt=_prompt(a), answers=ANSWERS, now=day1.scheduled_at)
    couple_unpair(user=b.user)
    with pytest.raises(services.PromptClosed):  # Bob's open prompt: before the task runs
        services.prompt_open(prompt=_prompt(b), now=day1.scheduled_at + dt.timedelta(minutes=1))
    result = services.prompts_tick(now=_prompt(a, 1, 2).scheduled_at)
    assert result["sent"] == 0
    left = Prompt.objects.filter(participant__in=[a, b]).exclude(state=S.SUBMITTED)
    assert set(left.values_list("state", flat=True)) == {S.CANCELLED}
    assert set(
        PromptEvent.objects.filter(to_state="cancelled").values_list("reason", flat=True)
    ) == {"the couple unpaired"}
    assert Response.objects.filter(author=a.user).count() == 1
    a.refresh_from_db()
    assert a.withdrawn_at is None  # leaving, and keep or delete, is still each one's choice


def test_no_prompt_of_a_couple_that_ended_is_next(enrolled) -> None:
    """Once the couple has ended none of its prompts opens (``open_prompts`` and the task runner
    leave them out, its next run cancels them), so none is the next one either: the home page's
    card would otherwise end its kept copy at a moment when nothing changes."""
    _study, a, b = enrolled
    first = _prompt(a).scheduled_at
    before = first - dt.timedelta(minutes=1)
    assert selectors.next_prompt_at(a.user, before) == first
    bob = Client()
    bob.force_login(b.user)
    assert bob.post(reverse("couples:unpair"), {"confirm": "on"}).status_code == 302
    # before the task runner has cancelled anything
    assert Prompt.objects.filter(participant__in=[a, b], state=S.SCHEDULED).exists()
    assert selectors.next_prompt_at(a.user, before) is None
    assert selectors.next_prompt_at(b.user, before) is None
