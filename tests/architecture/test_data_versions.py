"""Every model naming a person or a couple says what its writes tell the partner.

A write to a row naming a person or a couple moves data versions (``operations/versions.py``), and
a version the partner's kept pages are keyed by, when it moves, makes their next page render
afresh: a timing side channel. So each such model is decided on, once:

- a personal record (``PersonalRecord``): its visibility decides (private, or shared with a
  couple that has ended, moves only its author's ``u:`` scope);
- registered ``owner_only`` (the partner reads nothing of it), with a ``partner_view`` (what the
  partner reads of a row, compared before and after each write), ``made_on_first_ask`` or
  ``shown_by_no_page`` (no version moves at all);
- or listed below with the reason the partner may learn of every write to it.

A new model fails here until someone decides.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

from counterpoint.operations import versions
from counterpoint.privacy.models import PersonalRecord

# The partner may learn of every write: each is told to them, or is theirs too.
PARTNER_LEARNS_OF_EVERY_WRITE = {
    "couples.Couple": "pairing and unpairing: both are told",
    "couples.Membership": "joining and leaving a couple: both are told",
    "couples.Invite": "made only while single (nobody to tell); used, it pairs, and both are told",
    "moments.MomentResponse": (
        "the response to a moment shared with the responder, and the author is told; on a "
        "moment only its author reads (shared with a former partner) it moves only the author's "
        "scope, as every row hanging off a private record"
    ),
    "decisions.DecisionView": "entered once, never changed, and the partner is told",
    "decisions.DecisionOutcome": "recorded once for both, and the partner is told",
    "repair.RepairShare": "written once, never changed, and the partner is told",
    "repair.RepairReflection": "the partner is asked to confirm it, and the answer is told back",
    "repair.RepairClosing": "written once, and the partner is told",
    "professionals.SessionTopic": "brought for a session: the partner is told and reads it",
    "research.Enrolment": "made by a first consent (the partner is told), completed by theirs",
}


def _naming_someone() -> dict[str, type[models.Model]]:
    found = {}
    for model in apps.get_models():
        people, couples = versions._owner_fields(model)
        if people or couples:
            found[model._meta.label] = model
    return found


def _registered(label: str) -> bool:
    return (
        label in versions._OWNER_ONLY
        or label in versions._PARTNER_VIEWS
        or label in versions._MADE_ON_FIRST_ASK
        or label in versions._SHOWN_BY_NO_PAGE
    )


def test_every_model_naming_a_person_or_a_couple_says_what_its_writes_tell_the_partner() -> None:
    undecided = sorted(
        label
        for label, model in _naming_someone().items()
        if not issubclass(model, PersonalRecord)
        and not _registered(label)
        and label not in PARTNER_LEARNS_OF_EVERY_WRITE
    )
    assert undecided == [], (
        "a write to these moves the partner's data versions, which they can time: register "
        "them owner_only or with a partner_view (operations.versions), or say here why the "
        f"partner may learn of every write: {undecided}"
    )


def test_the_list_names_only_models_that_name_someone_and_are_not_registered() -> None:
    naming = _naming_someone()
    for label, reason in PARTNER_LEARNS_OF_EVERY_WRITE.items():
        assert label in naming, f"{label} is gone or names nobody: take it off the list"
        assert not _registered(label), f"{label} is registered: take it off the list"
        assert not issubclass(naming[label], PersonalRecord), f"{label} is a personal record"
        assert reason.strip()
