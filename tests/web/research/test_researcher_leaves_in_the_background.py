"""A researcher whose studies are too large to delete in one request (accounts/deletion.py).

The request closes the account and stops the studies; the task runner deletes the studies a few
couples at a time, then the account. In between, nobody can sign in to the account, nothing more
is sent to the participants and no couple can join. A batch that fails changes nothing, and
the task runner's sweep finishes the deletion: what each participant gave the study is kept for
them once, exactly as when the whole goes in one request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from counterpoint.accounts import deletion
from counterpoint.accounts.models import User
from counterpoint.activity.models import Notice
from counterpoint.activity.services import notice_send
from counterpoint.notify.models import PushSubscription
from counterpoint.notify.services import push_subscription_save
from counterpoint.privacy import kept
from counterpoint.privacy.export import export_sections
from counterpoint.privacy.models import KeptRow
from counterpoint.professionals import services as pro_services
from counterpoint.professionals.models import Scope
from counterpoint.research import services
from counterpoint.research.models import (
    Enrolment,
    Participant,
    Prompt,
    PromptEvent,
    PromptState,
    Study,
)
from tests.factories import make_couple, make_user, signup_link_path
from tests.web.concurrency import at_once, needs_row_locks
from tests.web.conftest import World
from tests.web.push_endpoint import FakeBrowserKeys
from tests.web.research.study_world import couples_take_part, days_go_by

PASSWORD = "a long and careful passphrase"
DELETE = {"confirm": "delete my account", "password": PASSWORD}
COUPLES = 3
BACKGROUND = "the deletion finishes in the background"


@pytest.fixture
def large(world: World, settings: Any) -> dict[str, Any]:
    """Rhea's study, with three more couples and two days of answers; the threshold set just
    below its size (the default is 2,000 prompts, too many to build in a test)."""
    study = world.objects["study"]
    start = timezone.now() - dt.timedelta(days=2, hours=1)
    couples_take_part(study, range(COUPLES), start)
    days_go_by(study, start, lambda prompt, i: {"mood": i % 11, "calm": 5, "note": ""}, days=2)
    rhea = world.person("R")
    assert rhea is not None
    settings.ACCOUNT_DELETE_IN_REQUEST_ROWS = services.studies_size(rhea) - 1
    rhea.set_password(PASSWORD)
    rhea.save()
    people = list(User.objects.filter(study_participations__study=study).distinct())
    return {"study": study, "rhea": rhea, "people": people}


def _exports(people: list[User]) -> dict[int, dict[str, Any]]:
    out = {}
    for person in people:
        person.refresh_from_db()
        sections = export_sections(person)
        sections.pop("notices")  # the study's end is told them: compared on its own
        out[person.pk] = sections
    return out


def _close(world: World, rhea: User) -> None:
    response = world.client_for("R").post(reverse("accounts:delete"), DELETE, follow=True)
    assert response.status_code == 200
    assert "being deleted" in response.content.decode()


def test_a_study_under_the_threshold_goes_in_the_request(
    world: World, large: dict[str, Any], settings: Any
) -> None:
    settings.ACCOUNT_DELETE_IN_REQUEST_ROWS = services.studies_size(large["rhea"])
    page = world.client_for("R").get(reverse("accounts:delete")).content.decode()
    assert "The studies you run go with your account" in page and BACKGROUND not in page
    response = world.client_for("R").post(reverse("accounts:delete"), DELETE, follow=True)
    assert "Your account and your data have been deleted." in response.content.decode()
    assert not User.objects.filter(pk=large["rhea"].pk).exists()


def test_in_between_the_account_is_closed_and_the_study_stopped(
    world: World, large: dict[str, Any]
) -> None:
    rhea, study = large["rhea"], large["study"]
    alice = world.client_for("A")
    assert study.title in alice.get(reverse("research:mine")).content.decode()
    assert BACKGROUND in world.client_for("R").get(reverse("accounts:delete")).content.decode()
    address = rhea.email
    _close(world, rhea)

    rhea.refresh_from_db()
    assert not rhea.is_active and not rhea.has_usable_password()
    assert rhea.deletion_requested_at is not None
    # nobody signs in to it, with the address and password she had
    visitor = Client()
    visitor.post(reverse("accounts:login"), {"username": address, "password": PASSWORD})
    assert "_auth_user_id" not in visitor.session
    # the participants are told now, once each, and the study is no longer theirs to see
    told = list(world.new_notices().filter(kind="study_ended").values_list("recipient", flat=True))
    assert sorted(told) == sorted(p.pk for p in large["people"])
    assert study.title not in alice.get(reverse("research:mine")).content.decode()
    # nothing more goes out, and nothing of the study moves: the task runner's ticks through every
    # time still planned, after a participant moved to another time zone, send, expire and
    # reschedule nothing
    events = PromptEvent.objects.filter(prompt__study=study)
    events_before = events.count()
    planned = Prompt.objects.filter(study=study, state=PromptState.SCHEDULED)
    plan = sorted(planned.values_list("pk", "scheduled_at"))
    times = sorted({at for _, at in plan})
    assert times
    world.alice.time_zone = "Pacific/Auckland"
    world.alice.save(update_fields=["time_zone"])
    for at in times:
        services.prompts_tick(now=at + dt.timedelta(minutes=1), deliver=False)
    assert events.count() == events_before
    assert sorted(planned.values_list("pk", "scheduled_at")) == plan
    # and no couple joins
    study.refresh_from_db()
    assert study.status == Study.Status.CLOSED
    c, d = make_user("late-a@example.org", "Late A"), make_user("late-b@example.org", "Late B")
    make_couple(c, d)
    with pytest.raises(ValidationError, match="not taking new couples"):
        services.study_consent(user=c, study=study, consent_version=1)

    # the task runner finishes it
    assert deletion.account_deletions_finish() == 1
    assert not User.objects.filter(pk=rhea.pk).exists()
    assert not Study.objects.filter(pk=study.pk).exists()
    assert deletion.account_deletions_finish() == 0


def test_a_batch_that_fails_changes_nothing_and_the_sweep_finishes(
    world: World, large: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second batch dies half-way (as a killed worker would): the first batch's couples are
    gone and kept for, the second's untouched, and the sweep later deletes the rest. Each
    participant's export is then what it was before, nothing kept twice."""
    rhea, study, people = large["rhea"], large["study"], large["people"]
    before = _exports(people)
    _close(world, rhea)
    monkeypatch.setattr(services, "ENROLMENTS_PER_BATCH", 1)
    enrolments = Enrolment.objects.filter(study=study).count()
    assert enrolments == COUPLES + 1

    real_delete, calls = kept.delete_keeping, []

    def dies_in_the_second_batch(obj: Any) -> int:
        calls.append(obj)
        done = real_delete(obj)
        if len(calls) == 2:
            raise RuntimeError("the worker died")
        return done

    monkeypatch.setattr(deletion, "delete_keeping", dies_in_the_second_batch)
    with pytest.raises(RuntimeError):
        deletion.account_deletion_finish(rhea.pk)
    assert Enrolment.objects.filter(study=study).count() == enrolments - 1
    assert User.objects.filter(pk=rhea.pk, is_active=False).exists()
    monkeypatch.setattr(deletion, "delete_keeping", real_delete)

    assert deletion.account_deletions_finish() == 1

    assert not User.objects.filter(pk=rhea.pk).exists()
    assert not Participant.objects.filter(study_id=study.pk).exists()
    assert _exports(people) == before
    owners = KeptRow.objects.filter(section="study_participations").values_list(
        "owner_id", flat=True
    )
    assert sorted(owners) == sorted(p.pk for p in people), "each consent kept once"


def test_finishing_again_finds_nothing_to_do(world: World, large: dict[str, Any]) -> None:
    rhea, people = large["rhea"], large["people"]
    before = _exports(people)
    _close(world, rhea)
    assert deletion.account_deletion_finish(rhea.pk) is True
    assert deletion.account_deletion_finish(rhea.pk) is False
    assert _exports(people) == before


@pytest.mark.django_db(transaction=True)
def test_two_finishers_at_once_keep_each_row_once(
    world: World, large: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The task and the sweep may run together: each batch is read after the account's row is
    locked, so the second finds the first's batches gone instead of keeping them again."""
    needs_row_locks()
    rhea, people = large["rhea"], large["people"]
    before = _exports(people)
    # the request's task is still in the queue when the sweep starts too
    monkeypatch.setattr(deletion, "_enqueue", lambda pk: None)
    _close(world, rhea)
    assert User.objects.filter(pk=rhea.pk).exists()
    monkeypatch.setattr(services, "ENROLMENTS_PER_BATCH", 1)

    results = at_once(
        lambda: deletion.account_deletion_finish(rhea.pk),
        lambda: deletion.account_deletion_finish(rhea.pk),
    )

    assert sorted(results) == [False, True], results
    assert not User.objects.filter(pk=rhea.pk).exists()
    assert _exports(people) == before
    owners = KeptRow.objects.filter(section="study_participations").values_list(
        "owner_id", flat=True
    )
    assert sorted(owners) == sorted(p.pk for p in people), "each consent kept once"


@pytest.mark.django_db(transaction=True)
def test_the_request_hands_the_rest_to_the_task_runner(world: World, large: dict[str, Any]) -> None:
    """With real commits: the request's commit queues the task (run on the spot in tests, by the
    worker in ``make run``), which deletes the rest."""
    rhea, people = large["rhea"], large["people"]
    before = _exports(people)
    _close(world, rhea)
    assert not User.objects.filter(pk=rhea.pk).exists()
    assert not Study.objects.filter(pk=large["study"].pk).exists()
    assert _exports(people) == before


def test_the_sweep_is_scheduled_every_minute() -> None:
    from huey.contrib.djhuey import HUEY

    from counterpoint.accounts import tasks  # the consumer finds each app's tasks module

    for minute in (0, 31, 59):
        due = HUEY.read_periodic(dt.datetime(2026, 12, 5, 7, minute))
        assert tasks.finish_account_deletions.func.__name__ in {
            task.name.rsplit(".", 1)[-1] for task in due
        }


def test_one_deletion_that_keeps_failing_holds_up_no_other(
    world: World, large: dict[str, Any], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rhea, rowan = large["rhea"], world.person("R_other")
    assert rowan is not None
    settings.ACCOUNT_DELETE_IN_REQUEST_ROWS = -1  # Rowan's draft study too
    rowan.set_password(PASSWORD)
    rowan.save()
    _close(world, rhea)
    assert world.client_for("R_other").post(reverse("accounts:delete"), DELETE).status_code == 302
    real_delete = kept.delete_keeping

    def fails_for_rheas_study(obj: Any) -> int:
        if getattr(obj, "model", None) is Enrolment:
            raise RuntimeError("a bug in one deletion")
        return real_delete(obj)

    monkeypatch.setattr(deletion, "delete_keeping", fails_for_rheas_study)
    assert deletion.account_deletions_finish() == 1
    assert not User.objects.filter(pk=rowan.pk).exists()
    assert User.objects.filter(pk=rhea.pk, is_active=False).exists()
    monkeypatch.setattr(deletion, "delete_keeping", real_delete)
    assert deletion.account_deletions_finish() == 1
    assert not User.objects.filter(pk=rhea.pk).exists()


def test_in_between_her_address_is_free_and_nothing_reaches_or_names_her(
    world: World, large: dict[str, Any]
) -> None:
    """Closed, the account holds nothing that shows her to others or reaches her: her address can
    sign up again at once, a couple she saw as a professional no longer lists her, and no notice,
    email or push goes to her or her devices."""
    rhea = large["rhea"]
    address = rhea.email
    pro_services.profile_save(user=rhea, name="Rhea", practice="Rhea Counselling", contact=address)
    link = pro_services.link_invite(user=world.alice, email_or_code=address)
    for partner in (world.alice, world.bob):
        pro_services.grant_save(user=partner, link=link, scopes=list(Scope.values))
    assert (
        "Rhea Counselling"
        in world.client_for("A").get(reverse("professionals:couple")).content.decode()
    )
    push_subscription_save(
        user=rhea,
        endpoint="https://push.example.org/rhea-phone",
        p256dh=FakeBrowserKeys().p256dh,
        auth=FakeBrowserKeys().auth,
    )
    _close(world, rhea)

    rhea.refresh_from_db()
    assert rhea.email != address and rhea.email.endswith(".invalid")
    assert not PushSubscription.objects.filter(user=rhea).exists()
    hers = Notice.objects.filter(recipient=rhea)
    before = hers.count()
    assert notice_send(recipient=rhea, kind="test", message="hello") is None
    assert hers.count() == before
    # the couple's page no longer names her, and she has no way in to theirs
    page = world.client_for("A").get(reverse("professionals:couple")).content.decode()
    assert "Rhea Counselling" not in page
    # nobody signs in with what she had
    visitor = Client()
    visitor.post(reverse("accounts:login"), {"username": address, "password": PASSWORD})
    assert "_auth_user_id" not in visitor.session
    # her address signs up again now, not minutes later
    newcomer = Client()
    newcomer.post(
        reverse("accounts:signup"),
        {"display_name": "Rhea", "email": address, "password": PASSWORD, "time_zone": "UTC"},
    )
    assert newcomer.post(signup_link_path(address)).status_code == 302
    again = User.objects.get(email=address)
    assert again.pk != rhea.pk and again.is_active
    # and the deletion of the old account still finishes, leaving the new one alone
    assert deletion.account_deletion_finish(rhea.pk)
    assert not User.objects.filter(pk=rhea.pk).exists()
    assert User.objects.filter(pk=again.pk, email=address).exists()
