"""Deleting an account leaves nothing that was the person's alone, in any table, now and in future.

Alice has used everything, through the services and forms as people do: the shared world (check-ins,
journal entries, every practice, plans and memories, the map, professionals, a study, a device)
plus ``tests/web/everything_world.py`` (what it takes two for, pushes, emails, notices, a study
answer, something brought for the next session, a sign-in) plus, here, a co-owned journal entry,
a photo on the couple's memory, a proposal to close the couple's goal, a check-in reminder, an
authenticator app, recovery codes, a failed sign-in, and a couple she works with as a
professional.

Before her account goes, every row of every model that names her through a key to the user model
is noted, key by key. After :func:`account_delete`, each of those rows still there (its key now
empty, or still naming her) is a survivor, and must be one the design keeps: a co-owned item of
the couple when she left it to the archive, or one of the rows in ``KEPT`` below, each with why.
A new model, or a new key to the user model, fails here until the world makes a row for it (or
``NOT_REACHED`` says why not); one that keeps a row of hers fails until someone decides it should
stay and says why in ``KEPT``.

And no row of any model, in any text column, still holds her email address: the sign-in lockout's
records (django-axes) and the stored sign-up email named it without a key to the account
(docs/privacy.md, "Deletion").
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client
from django.urls import reverse

from counterpoint.accounts import twofactor
from counterpoint.accounts.models import User
from counterpoint.accounts.services import account_delete, account_signup
from counterpoint.checkins.reminders import reminders_send
from counterpoint.checkins.services import checkin_settings_update
from counterpoint.notify.models import OutboundEmail
from counterpoint.operations.models import DataVersion
from counterpoint.practices.goals.services import goal_complete, goal_create
from counterpoint.practices.plans.services import memory_photo_set
from counterpoint.privacy.models import PersonalRecord, Visibility
from counterpoint.professionals import services as professionals
from tests.factories import SIGNUP_LINK, make_journal
from tests.web.conftest import World
from tests.web.everything_world import alice_makes_everything
from tests.web.plans_world import jpeg_upload

pytestmark = pytest.mark.django_db

Key = tuple[type[models.Model], models.ForeignKey[Any, Any]]


def _keys_to_people() -> Iterator[Key]:
    """Every foreign key and one-to-one key, of every model, to the user model."""
    user_model = get_user_model()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is user_model:
                yield model, field


def _name(key: Key) -> str:
    model, field = key
    return f"{model._meta.label}.{field.name}"


def _co_owned(row: Any) -> bool:
    return getattr(row, "visibility", None) == Visibility.COUPLE


@dataclass(frozen=True)
class Kept:
    """A row that keeps existing, on purpose, once the person its key named is gone."""

    why: str
    allowed: Callable[[Any], bool]  # the row, after the deletion: is it the kind the design keeps?


# Besides the co-owned items of the couple that the person left to the archive (every personal
# record's ``author`` while ``visibility`` is couple, with remove_couple_items=False: the rule,
# checked for every kind of personal record, now and future), these rows stay, whichever the
# person chose for co-owned items. Each names nobody after the deletion (its key to her is empty),
# and none holds anything she wrote alone.
KEPT: dict[str, Kept] = {
    # A couple's membership rows say who was in it from when to when. The departed member's row
    # stays, naming nobody and holding nothing written, so the couple's history keeps two members.
    "couples.Membership.user": Kept(
        "the couple's history: a member, unnamed, left on this date",
        lambda row: row.user_id is None and row.left_at is not None,
    ),
    # The couple's link to a professional, ended by the deletion. The partner keeps it with the
    # log of every view (docs/professionals.md); who invited the professional is no longer named.
    "professionals.CareLink.invited_by": Kept(
        "the couple's ended link to their professional, with its access log",
        lambda row: row.invited_by_id is None and row.ended_at is not None,
    ),
    # The same when the person was the professional: every link ends, the couples keep the log
    # (and the notes they were given); the professional is no longer named.
    "professionals.CareLink.professional": Kept(
        "a client couple's ended link to the deleted professional, with its log",
        lambda row: row.professional_id is None and row.ended_at is not None,
    ),
    # Parts of a co-owned item that record who did something in it, not what anyone wrote alone:
    # they stay with the item (the partner's, or "former partner"'s when left to the archive) and
    # go with it when it goes.
    "decisions.DecisionOutcome.recorded_by": Kept(
        "the outcome the couple reached on a co-owned decision (it goes with the decision)",
        lambda row: _co_owned(row.decision),
    ),
    "repair.Repair.next_step_by": Kept(
        "the next step both agreed on, in a co-owned repair",
        _co_owned,
    ),
    "goals.Goal.completion_proposed_by": Kept(
        "a proposal to close a co-owned goal (the partner still has to agree)",
        _co_owned,
    ),
    # The photo goes with the account (docs/privacy.md), the co-owned memory stays.
    "plans.Memory.photo_by": Kept(
        "a co-owned memory whose photo, hers, was removed",
        lambda row: _co_owned(row) and not row.photo,
    ),
}


# Keys to the user model that this world gives Alice no row of, each with where it is tested. A new
# key fails the test until the world makes a row for it or it is listed here with a reason.
NOT_REACHED = {
    # made only by a WebAuthn authenticator (tests/web/test_passkeys.py); CASCADE
    "accounts.Passkey.user",
    # Bob's: he used Alice's invitation (she made it: couples.Invite.inviter, CASCADE)
    "couples.Invite.used_by",
    # made only when someone else deletes what Alice wrote on; CASCADE
    # (tests/web/test_words_outlive_their_item.py::test_kept_words_go_with_their_own_account)
    "privacy.KeptRow.owner",
    # Alice runs no study: a researcher's account, studies and analyses (tests/web/research/)
    "research.ResearcherProfile.user",
    "research.Study.researcher",
    "research_runs.AnalysisRun.requested_by",
}


def _survivor_allowed(key: Key, row: Any, *, remove_couple_items: bool) -> bool:
    model, field = key
    if getattr(row, field.attname) is not None:
        return False  # still names her, who no longer exists
    if issubclass(model, PersonalRecord) and field.name == "author":
        return not remove_couple_items and _co_owned(row)
    kept = KEPT.get(_name(key))
    return kept is not None and kept.allowed(row)


def _rows_naming(person: User) -> dict[Key, set[Any]]:
    return {
        key: set(
            key[0]._default_manager.filter(**{key[1].name: person}).values_list("pk", flat=True)
        )
        for key in _keys_to_people()
    }


def _survivors(before: dict[Key, set[Any]], person_pk: int) -> dict[Key, list[Any]]:
    found: dict[Key, list[Any]] = {}
    for (model, field), pks in before.items():
        manager = model._default_manager
        rows = manager.filter(pk__in=pks) | manager.filter(**{field.attname: person_pk})
        if rows.exists():
            found[(model, field)] = list(rows.distinct())
    return found


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def rows_holding(text: str) -> list[str]:
    """Every row of every model with ``text`` (any case) in one of its text columns."""
    needle = text.lower()
    found = []
    for model in apps.get_models():
        columns = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not columns:
            continue
        for pk, *values in model._default_manager.values_list("pk", *columns):
            for column, value in zip(columns, values, strict=True):
                if value is not None and needle in str(value).lower():
                    found.append(f"{model._meta.label} {pk}: {column}")
    return found


PASSWORD = "a long and careful passphrase"


def _alice_uses_everything(world: World, settings: Any) -> None:
    # Rows that an installation's sign-in lockout wrote before its access log was turned off, and
    # the failure log an operator may turn on: deletion must find them all.
    settings.AXES_DISABLE_ACCESS_LOG = False
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    a, b = world.alice, world.bob
    alice_makes_everything(world)  # ends with a sign-in
    wrong = Client().post(
        reverse("accounts:login"), {"username": "ALICE@Example.org", "password": "not it"}
    )
    assert wrong.status_code == 200  # a failed sign-in, as she typed her address
    make_journal(a, "our evenings", visibility=Visibility.COUPLE, couple=world.couple)
    memory_photo_set(user=a, memory=world.objects["memory"], upload=jpeg_upload())
    bobs_goal, _ = goal_create(
        user=b,
        title="Paint the kitchen",
        why="",
        visibility=Visibility.COUPLE,
        submission_key=uuid.uuid4().hex,
    )
    goal_complete(user=a, goal=bobs_goal)  # proposed, Bob has yet to agree
    checkin_settings_update(user=a, values={"reminder_time": dt.time(0, 0), "reminder_email": True})
    assert reminders_send() >= 1  # she has not checked in today
    device = twofactor.totp_enrol_start(user=a)
    assert device.user_id == a.pk
    twofactor.recovery_codes_new(user=a, alert=False)
    # Alice is also a couples therapist; Carol and Dave work with her.
    professionals.profile_save(user=a, name="Alice", practice="Alice Counselling", contact=a.email)
    link = professionals.link_invite(user=world.carol, email_or_code=a.email)
    professionals.grant_save(user=world.carol, link=link, scopes=["checkin_trends"])
    professionals.grant_save(user=world.dave, link=link, scopes=["checkin_trends"])


@pytest.mark.parametrize("remove_couple_items", [False, True])
def test_account_delete_leaves_only_what_the_design_keeps(
    world: World, settings: Any, remove_couple_items: bool
) -> None:
    _alice_uses_everything(world, settings)
    alice, pk, email = world.alice, world.alice.pk, world.alice.email  # (delete() empties .pk)
    before = _rows_naming(alice)
    # The world reaches every key to the user model but those listed (a smaller world proves less).
    assert {_name(key) for key, pks in before.items() if not pks} == NOT_REACHED
    holding = {row.split()[0] for row in rows_holding(email)}
    assert {"accounts.User", "axes.AccessAttempt", "axes.AccessFailureLog", "axes.AccessLog"} <= (
        holding
    )

    assert _her_counters(pk) != []
    account_delete(user=alice, remove_couple_items=remove_couple_items)

    survivors = _survivors(before, pk)
    unexpected = sorted(
        f"{_name(key)} {row.pk}"
        for key, rows in survivors.items()
        for row in rows
        if not _survivor_allowed(key, row, remove_couple_items=remove_couple_items)
    )
    assert not unexpected, f"rows of hers that outlived her account: {unexpected}"
    if not remove_couple_items:  # the archive is really there: the rule above is not vacuous
        assert {"journal.JournalEntry.author", "couples.Membership.user"} <= {
            _name(key) for key in survivors
        }
    else:  # nothing she wrote stays, co-owned or not
        assert {_name(key) for key in survivors} <= set(KEPT)
    assert rows_holding(email) == []
    assert _her_counters(pk) == []


def _her_counters(pk: int) -> list[str]:
    """Data versions of hers: each counted her writes (``operations.versions``)."""
    return list(
        DataVersion.objects.filter(scope__in=[f"u:{pk}", f"p:{pk}"]).values_list("scope", flat=True)
    )


def test_account_delete_of_someone_who_signed_up_by_email_leaves_no_row_with_the_address(
    settings: Any,
) -> None:
    """The sign-up link went to an address no account had yet, so its stored email named no
    account; it must go with the account all the same."""
    settings.EMAIL_BACKEND = "counterpoint.notify.backends.QueuedEmailBackend"  # as in production
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = Client()
    data = {"display_name": "Robin", "email": "Robin@Example.org", "time_zone": "UTC"}
    assert client.post("/account/signup/", {**data, "password": PASSWORD}).status_code == 302
    sent = OutboundEmail.objects.get()
    assert sent.recipient is None and sent.to == ["robin@example.org"]
    link = SIGNUP_LINK.search(sent.body)
    assert link is not None
    assert client.post(urlsplit(link.group(0)).path).status_code == 302  # signed up, signed in
    robin = User.objects.get(email="robin@example.org")
    assert OutboundEmail.objects.filter(recipient=robin).exists()  # told of the new sign-in
    delete = {"confirm": "delete my account", "password": PASSWORD}
    assert client.post(reverse("accounts:delete"), delete).status_code == 302
    assert not User.objects.filter(pk=robin.pk).exists()
    assert rows_holding("robin@example.org") == []


def test_account_delete_ends_every_devices_session_with_it(db: None) -> None:
    """Sessions on other devices named the account (its id and a password hash) until they
    expired, two weeks later; they go with it."""
    sky = account_signup(email="sky@example.org", password=PASSWORD, display_name="Sky")
    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        form = {"username": "sky@example.org", "password": PASSWORD}
        assert device.post(reverse("accounts:login"), form).status_code == 302
    assert _her_counters(sky.pk) != []
    delete = {"confirm": "delete my account", "password": PASSWORD}
    assert laptop.post(reverse("accounts:delete"), delete).status_code == 302
    left = [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(sky.pk)]
    assert left == []
    assert phone.get(reverse("pages:home")).status_code == 302  # the phone is signed out
    assert _her_counters(sky.pk) == []  # not written again by the request that deleted her
