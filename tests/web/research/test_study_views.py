"""The research pages through the test client: a researcher sets up a study through its form,
both partners consent on the study link, a participant answers with the time left shown, the
window closing in between, leaving a study."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from counterpoint.research.models import (
    ConsentVersion,
    Participant,
    Prompt,
    PromptState,
    Response,
    Study,
)
from counterpoint.research.services import prompts_tick
from tests.factories import make_couple, make_user
from tests.web.research.study_world import enrol, make_researcher, make_study

pytestmark = pytest.mark.django_db
UTC = dt.UTC
FORM = {
    "title": "Evenings together",
    "description": "How the end of the day feels for each of you.",
    "consent_text": "One prompt each evening for ten days. Leave at any time: keep or delete.",
    "items": "closeness | checkin\nwarm | scale | How warm do you feel toward your partner? | not "
    "at all / very\nplace | choice | Where are you? | home; out\nword | text | One word for today",
    "schedule_kind": "random",
    "count": "3",
    "window_start": "18:00",
    "window_end": "22:00",
    "min_gap": "45",
    "duration_days": "10",
    "window_minutes": "20",
    "grace_minutes": "3",
    "reminder_minutes": "10",
    "compliance_threshold": "75",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_researcher_sets_up_a_study_through_the_form() -> None:
    rita = make_researcher("rita@uni.example", "Rita")
    client = _client(rita)
    response = client.post(reverse("research:study_new"), FORM)
    assert response.status_code == 302
    study = Study.objects.get()
    assert response["Location"] == reverse("research:study", args=[study.pk])
    assert study.schedule == {
        "kind": "random",
        "count": 3,
        "start": "18:00",
        "end": "22:00",
        "min_gap": 45,
    }
    assert (study.window_minutes, study.grace_minutes, study.reminder_minutes) == (20, 3, 10)
    assert study.compliance_threshold == 0.75
    assert [(i.name, i.kind) for i in study.items.all()] == [
        ("closeness", "checkin"),
        ("warm", "scale"),
        ("place", "choice"),
        ("word", "text"),
    ]
    assert study.items.get(name="place").choices == ["home", "out"]
    assert study.items.get(name="warm").high_label == "very"
    page = client.get(reverse("research:study", args=[study.pk])).content.decode()
    assert f"/research/join/{study.code}/" in page
    assert "3 a day at random times between 18:00 and 22:00, at least 45 minutes apart" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"min_gap": "200"}, "do not fit between 18:00 and 22:00"),
        ({"items": "mood | checkin\nmood | scale | Again?"}, "is used twice"),
        ({"items": "day | scale | Which day?"}, "export&#x27;s own columns"),
        ({"items": "sleep | checkin"}, "is not a check-in item"),
        ({"reminder_minutes": "25"}, "A reminder goes inside the window"),
    ],
)
def test_a_study_that_cannot_run_says_why_and_saves_nothing(change, message) -> None:
    rita = make_researcher("rita@uni.example", "Rita")
    response = _client(rita).post(reverse("research:study_new"), {**FORM, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Study.objects.exists()


def test_without_a_profile_new_study_asks_for_one_first() -> None:
    response = _client(make_user("pat@example.org", "Pat")).get(reverse("research:study_new"))
    assert response.status_code == 302 and response["Location"] == reverse("research:profile")


def test_a_researcher_without_studies_is_told_what_a_study_is_and_where_to_start() -> None:
    rita = make_researcher("rita@uni.example", "Rita")
    page = _client(rita).get(reverse("research:home")).content.decode()
    assert "No studies yet" in page and "A study is a set of questions" in page
    start = f'<a class="button" href="{reverse("research:study_new")}">Create your first study</a>'
    assert start in page
    assert "New study" not in page  # one clear way to start, not two
    assert _client(rita).post(reverse("research:study_new"), FORM).status_code == 302
    page = _client(rita).get(reverse("research:home")).content.decode()
    assert "No studies yet" not in page and "Evenings together" in page and "New study" in page


def test_without_a_profile_the_empty_state_waits_for_one() -> None:
    page = _client(make_user("pat@example.org", "Pat")).get(reverse("research:home"))
    assert "No studies yet" not in page.content.decode()
    assert "Set up your researcher profile" in page.content.decode()


def test_editing_the_consent_text_makes_a_new_version() -> None:
    rita = make_researcher("rita@uni.example", "Rita")
    client = _client(rita)
    client.post(reverse("research:study_new"), FORM)
    study = Study.objects.get()
    edit = {**FORM, "consent_text": FORM["consent_text"] + " We now also ask where you are."}
    assert client.post(reverse("research:study_edit", args=[study.pk]), edit).status_code == 302
    assert list(ConsentVersion.objects.values_list("version", flat=True)) == [1, 2]
    assert client.post(reverse("research:study_edit", args=[study.pk]), edit).status_code == 302
    assert ConsentVersion.objects.count() == 2  # the same text again is not a new version


def test_both_partners_consent_on_the_link_each_recording_their_version() -> None:
    rita = make_researcher("rita@uni.example", "Rita")
    study = make_study(rita)
    ana = make_user("ana@example.org", "Ana")
    ben = make_user("ben@example.org", "Ben")
    make_couple(ana, ben)
    url = reverse("research:join", args=[study.code])
    page = _client(ana).get(url).content.decode()
    assert "How calm do you feel?" in page and "Consent (version 1)" in page
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False):
        response = _client(ana).post(url, {"version": "1", "agree": "on"})
    assert response.status_code == 302
    mine = _client(ana).get(reverse("research:mine")).content.decode()
    assert "The study starts once your partner agrees too" in mine
    # Ben's own page says his partner agreed, and he decides for himself.
    assert (
        "agreed to take part in a study"
        in _client(ben).get(reverse("activity:feed")).content.decode()
    )
    # The text changes before Ben agrees: his consent records version 2.
    study.consent_versions.create(version=2, text="A clearer text.")
    stale = _client(ben).post(url, {"version": "1", "agree": "on"})
    assert stale.status_code == 400
    assert "changed while you were reading" in stale.content.decode()
    assert _client(ben).post(url, {"version": "2", "agree": "on"}).status_code == 302
    versions = dict(Participant.objects.values_list("user__email", "consent_version__version"))
    assert versions == {"ana@example.org": 1, "ben@example.org": 2}
    assert Prompt.objects.count() == 2 * 14 * 3
    # The researcher's list shows numbers and roles, never names or emails.
    listing = _client(rita).get(reverse("research:study", args=[study.pk])).content.decode()
    assert "1A" in listing and "1B" in listing
    assert not re.search(r"\b(Ana|Ben)\b", listing) and "@example.org" not in listing


def test_not_agreeing_saves_nothing() -> None:
    study = make_study(make_researcher("rita@uni.example", "Rita"))
    ana = make_user("ana@example.org", "Ana")
    make_couple(ana, make_user("ben@example.org", "Ben"))
    response = _client(ana).post(reverse("research:join", args=[study.code]), {"version": "1"})
    assert response.status_code == 400 and not Participant.objects.exists()


@pytest.fixture
def enrolled():
    study = make_study(make_researcher("rita@uni.example", "Rita"), grace_minutes=5)
    ana = make_user("ana@example.org", "Ana", tz="Europe/Berlin")
    ben = make_user("ben@example.org", "Ben", tz="Europe/Berlin")
    make_couple(ana, ben)
    a, _b = enrol(study, ana, ben, now=dt.datetime(2026, 6, 1, 10, 0, tzinfo=UTC))
    prompt = Prompt.objects.get(participant=a, day=1, beep=1)
    prompts_tick(now=prompt.scheduled_at)
    return ana, ben, prompt


def test_the_answer_page_shows_the_time_left_and_records_the_answer(enrolled) -> None:
    ana, _ben, prompt = enrolled
    url = reverse("research:answer", args=[prompt.pk])
    with time_machine.travel(
        prompt.scheduled_at + dt.timedelta(minutes=12, seconds=30), tick=False
    ):
        page = _client(ana).get(url).content.decode()
        assert "About 18 minutes left" in page and "send by 09:30" in page  # Berlin time
        assert 'data-seconds-left="1050"' in page
        response = _client(ana).post(url, {"mood": "6", "calm": "", "where": "3", "note": "ok"})
    assert response.status_code == 302
    prompt.refresh_from_db()
    assert prompt.state == PromptState.SUBMITTED
    assert Response.objects.get().answers == {"mood": 6, "calm": None, "where": 3, "note": "ok"}
    assert "You have answered this one" in _client(ana).get(url).content.decode()


def test_in_the_grace_period_the_page_says_the_window_closed(enrolled) -> None:
    ana, _ben, prompt = enrolled
    url = reverse("research:answer", args=[prompt.pk])
    with time_machine.travel(prompt.closes_at - dt.timedelta(minutes=1), tick=False):
        _client(ana).get(url)
    with time_machine.travel(prompt.closes_at + dt.timedelta(minutes=1), tick=False):
        page = _client(ana).get(url).content.decode()
        assert "the window has closed, but you opened this in time: send by 09:35" in page
        assert _client(ana).post(url, {"mood": "5"}).status_code == 302


def test_after_the_window_the_page_says_it_closed_and_saves_nothing(enrolled) -> None:
    ana, _ben, prompt = enrolled
    url = reverse("research:answer", args=[prompt.pk])
    with time_machine.travel(prompt.closes_at, tick=False):
        response = _client(ana).post(url, {"mood": "5"})
    assert response.status_code == 410
    assert "This prompt has closed" in response.content.decode()
    assert not Response.objects.exists()
    prompt.refresh_from_db()
    assert prompt.state == PromptState.EXPIRED


def test_an_answer_out_of_range_is_refused_with_a_message(enrolled) -> None:
    ana, _ben, prompt = enrolled
    with time_machine.travel(prompt.scheduled_at + dt.timedelta(minutes=1), tick=False):
        response = _client(ana).post(reverse("research:answer", args=[prompt.pk]), {"mood": "12"})
    assert response.status_code == 400
    assert "one of the choices here" in html.unescape(response.content.decode())
    assert not Response.objects.exists()


def test_my_studies_lists_what_waits_and_leaving_stops_it(enrolled) -> None:
    ana, _ben, prompt = enrolled
    with time_machine.travel(prompt.scheduled_at + dt.timedelta(minutes=1), tick=False):
        mine = _client(ana).get(reverse("research:mine")).content.decode()
        assert "Waiting for your answer" in mine and "open until 09:30" in mine
        home = _client(ana).get(reverse("pages:home")).content.decode()
        assert "A study question is waiting" in home
        participant = Participant.objects.get(user=ana)
        leave = reverse("research:withdraw", args=[participant.pk])
        assert _client(ana).post(leave, {}).status_code == 400  # a choice is needed
        assert _client(ana).post(leave, {"choice": "keep"}).status_code == 302
        mine = _client(ana).get(reverse("research:mine")).content.decode()
    assert "Waiting for your answer" not in mine
    assert re.search(r"You left on .*Your answers were kept", mine, re.S)
    prompt.refresh_from_db()
    assert prompt.state == PromptState.CANCELLED


def test_the_researcher_previews_a_drafts_consent_page_and_cannot_take_part() -> None:
    rita = make_researcher("rita@uni.example", "Rita")
    study = make_study(rita, open_now=False)
    url = reverse("research:join", args=[study.code])
    page = _client(rita).get(url).content.decode()
    assert "A preview: couples cannot open this link" in page
    assert "I agree" not in page
    assert _client(make_user("ana@example.org", "Ana")).get(url).status_code == 404


def test_the_home_page_kept_before_a_prompt_opens_shows_it_once_it_is_open(
    enrolled, django_assert_max_num_queries
) -> None:
    """A prompt opening writes nothing: the kept home page expires at the moment it opens
    (counterpoint/privacy/page_cache.py), and again when its window and grace are over."""
    ana, _ben, prompt = enrolled
    client = _client(ana)
    home = reverse("pages:home")
    waiting = "A study question is waiting"
    with time_machine.travel(prompt.scheduled_at - dt.timedelta(seconds=30), tick=True):
        client.get(home)  # the first view of the day makes its question (a write)
        client.get(home)
        with django_assert_max_num_queries(6):  # served as kept
            assert waiting not in client.get(home).content.decode()
    with time_machine.travel(prompt.scheduled_at + dt.timedelta(seconds=5), tick=True):
        assert waiting in client.get(home).content.decode()
        with django_assert_max_num_queries(6):
            assert waiting in client.get(home).content.decode()
    with time_machine.travel(prompt.grace_ends_at() + dt.timedelta(seconds=5), tick=True):
        assert waiting not in client.get(home).content.decode()


def test_a_new_title_reaches_the_participants_kept_home_page(enrolled) -> None:
    from counterpoint.research.services import study_update

    ana, _ben, prompt = enrolled
    client = _client(ana)
    home = reverse("pages:home")
    study = prompt.participant.study
    with time_machine.travel(prompt.scheduled_at + dt.timedelta(minutes=1), tick=True):
        client.get(home)
        assert study.title in client.get(home).content.decode()  # the second view is kept
        study_update(
            study=study,
            title="Evening moods",
            description=study.description,
            consent_text=study.consent_versions.order_by("-version").first().text,
        )
        page = client.get(home).content.decode()
    assert "From “Evening moods”" in page


def test_compliance_counts_one_closed_prompt_in_the_singular() -> None:
    """Ana's morning prompt (Berlin) has closed; Ben's (New York) is hours away."""
    rita = make_researcher("rita@uni.example", "Rita")
    study = make_study(rita, schedule={"kind": "fixed", "times": ["09:00"]})
    ana = make_user("ana@example.org", "Ana", tz="Europe/Berlin")
    ben = make_user("ben@example.org", "Ben", tz="America/New_York")
    make_couple(ana, ben)
    a, _b = enrol(study, ana, ben, now=dt.datetime(2026, 6, 1, 10, 0, tzinfo=UTC))
    prompt = Prompt.objects.get(participant=a, day=1)
    after = prompt.closes_at + dt.timedelta(minutes=study.grace_minutes + 1)
    prompts_tick(now=prompt.scheduled_at)
    prompts_tick(now=after)
    with time_machine.travel(after, tick=False):
        page = _client(rita).get(reverse("research:compliance", args=[study.pk])).content
    assert "0 of 1 closed prompt answered" in page.decode()
