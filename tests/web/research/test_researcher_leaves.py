"""A researcher deletes their account while couples take part in their study.

Before, the deletion failed with a server error (a participant's consent protected the study's
consent text) after the researcher had already been signed out. Now the study goes with its
researcher; each participant still taking part is told, and what they gave the study (consents,
prompts, the prompt log, answers) stays theirs, in their export exactly as before.

Each of these runs twice: deleted in the request, as a small study is, and closed in the request
and deleted by the task runner a few couples at a time, as a large one is (accounts/deletion.py;
tests/web/research/test_researcher_leaves_in_the_background.py for what happens in between)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counterpoint.accounts.deletion import account_deletions_finish
from counterpoint.accounts.models import User
from counterpoint.accounts.services import account_delete
from counterpoint.privacy.export import export_sections
from counterpoint.privacy.models import KeptRow
from counterpoint.research import services
from counterpoint.research.models import Participant, Prompt, Response, Study
from tests.web.conftest import World

PASSWORD = "a long and careful passphrase"
DELETE = {"confirm": "delete my account", "password": PASSWORD}
STUDY_SECTIONS = ("study_participations", "study_prompts", "study_prompt_log", "research_response")


def _export(user: Any) -> dict[str, Any]:
    user.refresh_from_db()
    return export_sections(user)


@pytest.fixture(params=["in the request", "by the task runner"])
def how(request: pytest.FixtureRequest, settings: Any) -> str:
    """Where the study's deletion happens: a study counts as large above the setting."""
    if request.param == "by the task runner":
        settings.ACCOUNT_DELETE_IN_REQUEST_ROWS = -1
    return str(request.param)


def _rhea_deletes_her_account(world: World, how: str = "in the request") -> int:
    """Through the form, as she would; returns the number her account had. By the task runner,
    the account is closed first, and the task runner's sweep finishes it."""
    rhea = world.person("R")
    assert rhea is not None
    rhea.set_password(PASSWORD)
    rhea.save()
    assert world.client_for("R").post(reverse("accounts:delete"), DELETE).status_code == 302
    if how == "by the task runner":
        assert User.objects.filter(pk=rhea.pk, is_active=False).exists()
        assert account_deletions_finish() == 1
    assert not User.objects.filter(pk=rhea.pk).exists()
    return rhea.pk


def _answer_both(world: World) -> None:
    services.prompt_submit(
        prompt=world.objects["prompt_alice"], answers={"mood": 6, "calm": 3, "note": "ALICE-NOTE"}
    )
    services.prompt_submit(
        prompt=world.objects["prompt_bob"], answers={"mood": 4, "calm": 8, "note": "BOB-NOTE"}
    )


def test_the_delete_page_tells_a_researcher_what_goes_with_their_studies(world: World) -> None:
    page = world.client_for("R").get(reverse("accounts:delete")).content.decode()
    assert "The studies you run go with your account" in page
    alice_page = world.client_for("A").get(reverse("accounts:delete")).content.decode()
    assert "The studies you run" not in alice_page


def test_the_researcher_can_delete_their_account_and_the_study_goes_with_it(
    world: World, how: str
) -> None:
    _answer_both(world)
    study = world.objects["study"]
    _rhea_deletes_her_account(world, how)
    assert not Study.objects.filter(pk=study.pk).exists()
    assert not Participant.objects.filter(study_id=study.pk).exists()
    assert not Response.objects.filter(study_id=study.pk).exists()
    # the participants' pages no longer offer it
    alice = world.client_for("A")
    assert (
        alice.get(reverse("research:answer", args=[world.objects["prompt_alice"].pk])).status_code
        == 404
    )
    assert "Moods through the day" not in alice.get(reverse("research:mine")).content.decode()


def test_each_participants_export_is_the_same_before_and_after(world: World, how: str) -> None:
    _answer_both(world)
    before = {p: _export(getattr(world, p)) for p in ("alice", "bob")}
    assert before["alice"]["research_response"] and before["alice"]["study_prompt_log"]
    rhea = _rhea_deletes_her_account(world, how)
    for person in ("alice", "bob"):
        after = _export(getattr(world, person))
        for section in STUDY_SECTIONS:
            assert after[section] == before[person][section], (person, section)
        # nothing else moved but the notice telling them the study ended
        told = [row for row in after.pop("notices") if row not in before[person]["notices"]]
        assert [row["kind"] for row in told] == ["study_ended"]
        assert after == {k: v for k, v in before[person].items() if k != "notices"}
    words = [row["answers"].get("note") for row in _export(world.alice)["research_response"]]
    assert words == ["ALICE-NOTE"]
    assert not KeptRow.objects.filter(owner_id=rhea).exists()


def test_each_participant_still_taking_part_is_told_once(world: World, how: str) -> None:
    services.participant_withdraw(
        participant=world.objects["participant_bob"], choice=Participant.Withdrawal.KEEP
    )
    _rhea_deletes_her_account(world, how)
    told = world.new_notices().filter(kind="study_ended")
    assert list(told.values_list("recipient", flat=True)) == [world.alice.pk]
    notice = told.get()
    assert "Moods through the day" in notice.message
    assert notice.link == reverse("accounts:my_data")


def test_what_a_participant_deleted_when_leaving_is_not_kept_for_them(
    world: World, how: str
) -> None:
    """Leaving with "delete" deletes their prompts, log and answers as their own act: nothing of
    it is kept, then or when the study goes later."""
    _answer_both(world)
    bob = world.objects["participant_bob"]
    services.participant_withdraw(participant=bob, choice=Participant.Withdrawal.DELETE)
    assert not Prompt.objects.filter(participant=bob).exists()
    assert not KeptRow.objects.filter(owner=world.bob).exists()
    before = _export(world.bob)
    _rhea_deletes_her_account(world, how)
    kept = set(KeptRow.objects.filter(owner=world.bob).values_list("section", flat=True))
    assert kept == {"study_participations"}  # his record of consenting and leaving, nothing more
    assert _export(world.bob) == before
    assert "BOB-NOTE" not in str(_export(world.bob))


def _deletion_cost(rhea: User) -> tuple[int, int, int]:
    """(statements, rows kept, inserts of kept rows) of deleting her account, undone after."""
    table = KeptRow._meta.db_table
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            account_delete(user=User.objects.get(pk=rhea.pk), remove_couple_items=False)
            kept = KeptRow.objects.count()
            raise _Undo
    except _Undo:
        pass
    inserts = [q["sql"] for q in queries if q["sql"].startswith(f'INSERT INTO "{table}"')]
    return len(queries) - 1, kept, len(inserts)


class _Undo(Exception):
    pass


def test_what_is_kept_is_written_a_model_at_a_time(world: World) -> None:
    """A study of sixty couples keeps about 28,000 rows for its participants. Kept a row at a
    time (with the lookups each needed), that took 33 s on SQLite and 63 s on PostgreSQL: past
    the web server's timeout, so the researcher could not delete their account
    (benchmarks/bench_account_delete.py). Now the statements do not grow with the rows."""
    _answer_both(world)
    rhea = world.person("R")
    assert rhea is not None
    statements, kept, inserts = _deletion_cost(rhea)
    assert kept >= 30 and inserts == 4  # consents, prompts, the log, answers: one insert each
    # the rest of the study's week goes by: every prompt is sent, then expires, and is logged
    for prompt in Prompt.objects.filter(study=world.objects["study"]).order_by("scheduled_at"):
        services.prompts_tick(now=prompt.scheduled_at + dt.timedelta(minutes=1), deliver=False)
        services.prompts_tick(now=prompt.scheduled_at + dt.timedelta(hours=2), deliver=False)
    more_statements, more_kept, inserts = _deletion_cost(rhea)
    assert more_kept >= kept + 20 and inserts == 4, (kept, more_kept)
    assert more_statements <= statements + 2, (statements, more_statements)
