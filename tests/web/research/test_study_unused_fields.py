"""A study's form with the fields of the other kinds of schedule filled in: they are cleared, never
stored, shown or exported, and never come back on a switch back; a running study keeps the schedule
its prompts were planned from (docs/conventions.md, "Fields a choice makes unused")."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.research.models import Prompt, Study
from tests.factories import make_couple, make_user
from tests.web.form_pages import form_values, page_text
from tests.web.research.study_world import enrol, make_researcher
from tests.web.research.test_study_views import FORM

pytestmark = pytest.mark.django_db

SCHEDULE_FIELDS = ("times", "count", "window_start", "window_end", "min_gap", "every", "time")
# What each kind uses, valid; and, for every field, a value no kind would accept (or one only
# another kind would: 20 prompts a day, every 45 days).
USED = {
    "fixed": {"times": "20:00, 09:00"},
    "random": {"count": "3", "window_start": "18:00", "window_end": "22:00", "min_gap": "45"},
    "every_n_days": {"every": "3", "time": "19:30"},
    "diary": {"time": "21:15"},
}
STORED = {
    "fixed": {"kind": "fixed", "times": ["09:00", "20:00"]},
    "random": {"kind": "random", "count": 3, "start": "18:00", "end": "22:00", "min_gap": 45},
    "every_n_days": {"kind": "every_n_days", "every": 3, "time": "19:30"},
    "diary": {"kind": "diary", "time": "21:15"},
}
DESCRIBED = {
    "fixed": "Every day at 09:00, 20:00",
    "random": "3 a day at random times between 18:00 and 22:00, at least 45 minutes apart",
    "every_n_days": "Every 3 days at 19:30",
    "diary": "An end-of-day diary every day at 21:15",
}
UNUSED = {
    "times": "07:07, 23:23",
    "count": "20",
    "window_start": "06:06",
    "window_end": "not a time",
    "min_gap": "-5",
    "every": "45",
    "time": "25:99",
}
UNUSED_MARKS = ("07:07", "23:23", "06:06", "not a time", "25:99")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(kind: str, *, unused: bool = True) -> dict[str, str]:
    data = {k: v for k, v in FORM.items() if k not in SCHEDULE_FIELDS}
    if unused:
        data.update({k: v for k, v in UNUSED.items() if k not in USED[kind]})
    return {**data, "schedule_kind": kind, **USED[kind]}


def _codebook(client: Client, study: Study) -> dict:
    url = reverse("research:export_file", args=[study.pk, "codebook.json"])
    response = client.get(url)
    assert response.status_code == 200
    return json.loads(response.content)


def _long_rows(client: Client, study: Study) -> list[dict[str, str]]:
    response = client.get(reverse("research:export_file", args=[study.pk, "long.csv"]))
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("kind", list(USED))
def test_each_kind_keeps_only_its_own_fields(kind: str) -> None:
    rita = make_researcher("rita@uni.example", "Rita")
    client = _client(rita)
    response = client.post(reverse("research:study_new"), _form(kind))
    assert response.status_code == 302, response.content.decode()[:3000]
    study = Study.objects.get()
    assert study.schedule == STORED[kind]
    # The study page, the edit form and the export's codebook say the chosen schedule only.
    page = page_text(client, reverse("research:study", args=[study.pk]))
    assert DESCRIBED[kind] in page
    edit = form_values(page_text(client, reverse("research:study_edit", args=[study.pk])))
    for name in SCHEDULE_FIELDS:
        if name not in USED[kind]:
            assert edit.get(name, "") == "", name
    book = _codebook(client, study)
    assert book["schedule"] == DESCRIBED[kind]
    for mark in UNUSED_MARKS:
        assert mark not in page and mark not in json.dumps(book)


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [
        ("random", "count", "20", "Prompts a day: between 1 and 12."),
        ("every_n_days", "every", "45", "Every how many days: between 1 and 30."),
        ("diary", "time", "25:99", "Diary time: give a time as HH:MM"),
        ("random", "window_end", "17:00", "The daily window must end after it starts"),
    ],
)
def test_a_value_out_of_range_for_the_chosen_kind_is_refused_on_its_field(
    kind: str, field: str, value: str, message: str
) -> None:
    """20 prompts a day would be 20 fixed times' worth of nothing: for "random" it is refused,
    with the message beside the field it is about."""
    rita = make_researcher("rita@uni.example", "Rita")
    response = _client(rita).post(
        reverse("research:study_new"), {**_form(kind, unused=False), field: value}
    )
    assert response.status_code == 400
    assert not Study.objects.exists()
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors


def test_switching_kinds_and_back_never_brings_old_values_back() -> None:
    rita = make_researcher("rita@uni.example", "Rita")
    client = _client(rita)
    client.post(reverse("research:study_new"), _form("random", unused=False))
    study = Study.objects.get()
    edit_url = reverse("research:study_edit", args=[study.pk])
    # The researcher opens the edit page (it shows the random window), picks fixed times and
    # saves: the browser still sends the window's fields.
    sent = form_values(page_text(client, edit_url))
    assert (sent["count"], sent["window_start"]) == ("3", "18:00")
    response = client.post(edit_url, {**sent, "schedule_kind": "fixed", "times": "08:00"})
    assert response.status_code == 302
    study.refresh_from_db()
    assert study.schedule == {"kind": "fixed", "times": ["08:00"]}
    # Back to random from the page as it is now: the old window is not there to come back.
    sent = form_values(page_text(client, edit_url))
    assert (sent.get("count", ""), sent.get("window_start", "")) == ("", "")
    response = client.post(edit_url, {**sent, "schedule_kind": "random"})
    assert response.status_code == 400
    assert "Prompts a day: give a whole number." in response.content.decode()
    study.refresh_from_db()
    assert study.schedule == {"kind": "fixed", "times": ["08:00"]}
    # And with a new window it is that window alone; the fixed time is gone.
    sent = {**sent, "schedule_kind": "random", "count": "2", "window_start": "10:00"}
    response = client.post(edit_url, {**sent, "window_end": "12:00", "min_gap": ""})
    assert response.status_code == 302
    study.refresh_from_db()
    assert study.schedule == {
        "kind": "random",
        "count": 2,
        "start": "10:00",
        "end": "12:00",
        "min_gap": 0,
    }
    assert "08:00" not in page_text(client, reverse("research:study", args=[study.pk]))


def _prompts(study: Study) -> list[tuple[int, str]]:
    return sorted(
        (p.participant_id, p.scheduled_at.isoformat()) for p in Prompt.objects.filter(study=study)
    )


def test_a_running_study_keeps_the_schedule_its_prompts_were_planned_from() -> None:
    rita = make_researcher("rita@uni.example", "Rita")
    client = _client(rita)
    client.post(reverse("research:study_new"), _form("fixed", unused=False))
    study = Study.objects.get()
    client.post(reverse("research:study_status", args=[study.pk]), {"status": "recruiting"})
    ann, ben = make_user("ann@example.org", "Ann"), make_user("ben@example.org", "Ben")
    make_couple(ann, ben)
    enrol(study, ann, ben)
    planned = _prompts(study)
    assert len(planned) == 2 * 2 * int(FORM["duration_days"])  # two people, two times a day
    rows = _long_rows(client, study)
    edit_url = reverse("research:study_edit", args=[study.pk])
    page = page_text(client, edit_url)
    assert "Couples have consented" in page
    shown = form_values(page)

    # Saving the page with a new title and every other kind's fields filled: saved, nothing moves.
    unused = {k: v for k, v in UNUSED.items() if k not in USED["fixed"]}
    response = client.post(edit_url, {**shown, **unused, "title": "Evenings, renamed"})
    assert response.status_code == 302
    study.refresh_from_db()
    assert study.title == "Evenings, renamed"
    assert study.schedule == STORED["fixed"]
    assert _prompts(study) == planned
    assert _long_rows(client, study) == rows

    # Another kind, or another time of the same kind: refused, and nothing moves either.
    for change in (
        {"schedule_kind": "diary", "time": "21:00"},
        {"schedule_kind": "random", **USED["random"]},
        {"times": "09:00, 20:30"},
    ):
        response = client.post(edit_url, {**shown, **change})
        assert response.status_code == 400, change
        assert "can no longer change" in response.content.decode()
        study.refresh_from_db()
        assert study.schedule == STORED["fixed"]
        assert _prompts(study) == planned
    assert _codebook(client, study)["schedule"] == DESCRIBED["fixed"]
