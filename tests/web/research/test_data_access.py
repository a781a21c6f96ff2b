"""What the data pages may and may not show: a participant's own rows only, study data only for
the researcher, and the analysis run on the task runner for a large study."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from django.urls import reverse

from counterpoint.accounts.services import account_delete
from counterpoint.research import analysis, exports, services
from counterpoint.research.runs.models import AnalysisRun
from tests.web.conftest import ALICE_PRIVATE_MARKER, ALICE_SHARED_MARKER, BOB_PRIVATE_MARKER, World

ALICE_ANSWER = "ALICE-STUDY-ANSWER-51d2"
BOB_ANSWER = "BOB-STUDY-ANSWER-7e0a"


@pytest.fixture
def answered(world: World) -> World:
    """Alice and Bob each answer their open prompt of Rhea's study, with a note."""
    services.prompt_submit(
        prompt=world.objects["prompt_alice"], answers={"mood": 6, "calm": 3, "note": ALICE_ANSWER}
    )
    services.prompt_submit(
        prompt=world.objects["prompt_bob"], answers={"mood": 4, "calm": 8, "note": BOB_ANSWER}
    )
    return world


def _get(world: World, person: str, url_name: str, **kwargs: object) -> bytes:
    response = world.client_for(person).get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == 200
    return response.content


def test_each_partner_downloads_their_own_answers_and_never_the_others(answered: World) -> None:
    w = answered
    alice = _get(w, "A", "research:my_data", pk=w.objects["participant_alice"].pk).decode()
    bob = _get(w, "B", "research:my_data", pk=w.objects["participant_bob"].pk).decode()
    assert ALICE_ANSWER in alice and BOB_ANSWER not in alice
    assert BOB_ANSWER in bob and ALICE_ANSWER not in bob
    rows = pd.read_csv(io.StringIO(alice))
    assert set(rows["person"]) == {w.objects["participant_alice"].person_code}


def test_the_researchers_files_hold_study_answers_and_nothing_of_the_app(answered: World) -> None:
    w = answered
    study = w.objects["study"].pk
    everything = ""
    for name in ("long.csv", "pairwise.csv", "codebook.json", "codebook.md"):
        everything += _get(w, "R", "research:export_file", pk=study, name=name).decode()
    parquet = _get(w, "R", "research:export_file", pk=study, name="long.parquet")
    frame = pd.read_parquet(io.BytesIO(parquet))
    assert set(frame["note"].dropna()) == {ALICE_ANSWER, BOB_ANSWER}
    assert ALICE_ANSWER in everything and BOB_ANSWER in everything
    for marker in (ALICE_PRIVATE_MARKER, ALICE_SHARED_MARKER, BOB_PRIVATE_MARKER):
        assert marker not in everything
    # the columns are the contract's and the study's items, nothing else
    items = [i.key for i in exports.study_items(w.objects["study"])]
    assert list(frame.columns) == [*exports.LONG_COLUMNS, *items]
    # no name or email of anyone, only numbers
    for person in (w.alice, w.bob):
        assert person.email not in everything and person.display_name not in everything


def test_the_other_researcher_gets_nothing_of_this_study(answered: World) -> None:
    w = answered
    client = w.client_for("R_other")
    study = w.objects["study"].pk
    for name, kwargs in (
        ("research:export", {"pk": study}),
        ("research:export_file", {"pk": study, "name": "long.csv"}),
        ("research:compliance", {"pk": study}),
        ("research:analysis", {"pk": study}),
        ("research:my_data", {"pk": w.objects["participant_alice"].pk}),
    ):
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 404
        assert ALICE_ANSWER not in response.content.decode()


def test_a_large_study_is_fitted_on_the_task_runner(
    answered: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    w = answered
    monkeypatch.setattr(analysis, "INLINE_ROWS", 0)
    client = w.client_for("R")
    url = reverse("research:analysis", kwargs={"pk": w.objects["study"].pk})
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url, {"var": "mood", "min_occasions": "3"})
    # the world already holds one (the access matrix's)
    run = AnalysisRun.objects.latest("created_at", "id")
    assert run.state == "running" and len(queued) == 1
    page = client.get(response["Location"])
    assert b'http-equiv="refresh"' in page.content
    assert b"Running on the task runner" in page.content
    queued[0]()  # the task runner picks it up (huey runs it at once in tests)
    run.refresh_from_db()
    # two answers are far too few for a VAR: the run ends, and says why
    assert run.state in ("done", "failed")
    page = client.get(response["Location"])
    assert b'http-equiv="refresh"' not in page.content


def test_the_codebook_json_names_each_items_values(answered: World) -> None:
    w = answered
    book = json.loads(
        _get(w, "R", "research:export_file", pk=w.objects["study"].pk, name="codebook.json")
    )
    by_name = {c["name"]: c for c in book["columns"]}
    assert by_name["calm"]["range"] == [0, 10]
    assert by_name["mood"]["type"] == "integer"
    assert by_name["note"]["type"] == "text (free answer)"


def test_an_item_named_like_an_export_column_gets_a_column_of_its_own(db: None) -> None:
    import datetime as dt

    import time_machine
    from django.test import Client
    from django.utils import timezone

    from counterpoint.research.measures import ItemSpec
    from counterpoint.research.models import Prompt, Study
    from tests.factories import make_couple, make_user

    rhea = make_user("rhea@uni.example", "Rhea")
    services.researcher_profile_save(user=rhea, name="Rhea", institution="Lab", contact="r@x.org")
    study = services.study_create(
        researcher=rhea,
        title="Occasions",
        description="What kind of occasion is it?",
        consent_text="Kept under a number.",
        items=[ItemSpec("occasion", "scale", "How special is this moment?", "not", "very")],
        schedule={"kind": "diary", "time": "21:00"},
        duration_days=3,
    )
    services.study_set_status(study=study, status=Study.Status.RECRUITING)
    ann, ben = make_user("ann@example.org", "Ann"), make_user("ben@example.org", "Ben")
    make_couple(ann, ben)
    for person in (ann, ben):
        services.study_consent(user=person, study=study, consent_version=1)
    prompt = Prompt.objects.filter(participant__user=ann).order_by("scheduled_at").first()
    assert prompt is not None
    with time_machine.travel(prompt.scheduled_at + dt.timedelta(minutes=1), tick=False):
        services.prompts_tick(now=timezone.now())
        services.prompt_submit(prompt=prompt, answers={"occasion": 9})
    client = Client()
    client.force_login(rhea)
    content = client.get(
        reverse("research:export_file", kwargs={"pk": study.pk, "name": "long.csv"})
    ).content
    frame = pd.read_csv(io.BytesIO(content))
    assert list(frame["occasion"]) == [1, 1, 2, 2, 3, 3]  # the schedule's numbering
    assert frame["item_occasion"].dropna().tolist() == [9]


def test_a_run_made_from_answers_since_deleted_is_deleted_too(answered: World) -> None:
    w = answered
    client = w.client_for("R")
    study = w.objects["study"]
    response = client.post(
        reverse("research:analysis", kwargs={"pk": study.pk}), {"var": "mood", "min_occasions": "3"}
    )
    run_url = response["Location"]
    assert client.get(run_url).status_code == 200
    services.participant_withdraw(participant=w.objects["participant_bob"], choice="delete")
    assert client.get(run_url).status_code == 404
    assert not AnalysisRun.objects.filter(study=study).exists()
    # a run made after the deletion is kept
    client.post(
        reverse("research:analysis", kwargs={"pk": study.pk}), {"var": "mood", "min_occasions": "3"}
    )
    page = client.get(reverse("research:analysis", kwargs={"pk": study.pk}))
    assert len(page.context["runs"]) == 1


def test_the_export_page_shows_each_items_question_and_values(answered: World) -> None:
    w = answered
    page = _get(w, "R", "research:export", pk=w.objects["study"].pk).decode()
    assert 'How calm are you? <span class="muted">(0 (not at all) to 10 (very))</span>' in page
    assert "Anything to add?</td>" in page  # a text item: no empty brackets


def test_a_run_made_from_the_answers_of_someone_who_deleted_their_account_is_deleted_too(
    answered: World,
) -> None:
    """Deleting one's account deletes one's participation with it: no record of a "delete" stays
    to tell that a run used those answers, and the run's couple estimates were made from them."""
    w = answered
    client = w.client_for("R")
    study = w.objects["study"]
    response = client.post(
        reverse("research:analysis", kwargs={"pk": study.pk}), {"var": "mood", "min_occasions": "3"}
    )
    run_url = response["Location"]
    assert client.get(run_url).status_code == 200
    account_delete(user=w.bob, remove_couple_items=False)
    assert client.get(run_url).status_code == 404
    assert not AnalysisRun.objects.filter(study=study).exists()
    # a run made after the deletion is kept
    client.post(
        reverse("research:analysis", kwargs={"pk": study.pk}), {"var": "mood", "min_occasions": "3"}
    )
    page = client.get(reverse("research:analysis", kwargs={"pk": study.pk}))
    assert len(page.context["runs"]) == 1
