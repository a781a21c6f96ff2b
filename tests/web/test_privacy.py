"""The visibility rules, unpairing, export and account deletion."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.http import Http404
from django.test import Client

from counterpoint.accounts.models import User
from counterpoint.accounts.services import account_delete
from counterpoint.journal.models import JournalEntry
from counterpoint.pairing.services import couple_unpair
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility
from tests.factories import make_couple, make_journal, make_user
from tests.web.conftest import ALICE_PRIVATE_MARKER, ALICE_SHARED_MARKER, World

pytestmark = pytest.mark.django_db


def _readers(record) -> set[str]:
    return {u.display_name for u in User.objects.all() if access.can_read(u, record)}


def test_private_is_only_the_author(world: World) -> None:
    assert _readers(world.objects["alice_private"]) == {"Alice"}


def test_partner_shared_is_author_and_current_partner(world: World) -> None:
    assert _readers(world.objects["alice_shared"]) == {"Alice", "Bob"}


def test_co_owned_items_are_both_partners_and_stay_as_archive(world: World) -> None:
    ours = make_journal(world.alice, "our plan", visibility=Visibility.COUPLE, couple=world.couple)
    assert _readers(ours) == {"Alice", "Bob"}
    couple_unpair(user=world.bob)
    assert _readers(ours) == {"Alice", "Bob"}
    assert not access.can_edit(world.alice, ours)
    assert not access.can_edit(world.bob, ours)


def test_after_unpairing_partner_shared_is_the_authors_alone(world: World) -> None:
    couple_unpair(user=world.alice)
    assert _readers(world.objects["alice_shared"]) == {"Alice"}


def test_a_new_partner_never_sees_what_was_shared_with_the_old_one(world: World) -> None:
    couple_unpair(user=world.alice)
    eve = make_user("eve@example.org", "Eve")
    make_couple(world.alice, eve)
    assert "Eve" not in _readers(world.objects["alice_shared"])
    assert not access.can_read(eve, world.objects["alice_private"])


def test_sharing_while_single_keeps_it_private(world: World) -> None:
    solo = make_user("solo@example.org", "Solo")
    entry = JournalEntry(body="x", visibility=Visibility.PARTNER, written_on="2026-01-01")
    access.stamp_new_record(solo, entry)
    assert entry.visibility == Visibility.PRIVATE


def test_only_the_author_can_edit_an_individual_item(world: World) -> None:
    shared = world.objects["alice_shared"]
    client = world.client_for("B")
    response = client.post(
        f"/journal/{shared.pk}/edit/", {"body": "Bob was here", "visibility": "partner"}
    )
    assert response.status_code == 404
    shared.refresh_from_db()
    assert "Bob was here" not in shared.body


def test_empty_journal_entry_is_refused_and_nothing_saved(world: World) -> None:
    client = world.client_for("A")
    before = JournalEntry.objects.count()
    response = client.post("/journal/new/", {"body": "   ", "visibility": "private"})
    assert response.status_code == 200
    assert "empty entry" in response.content.decode()
    assert JournalEntry.objects.count() == before


def _export(client: Client) -> dict[str, str]:
    response = client.get("/account/data/export.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {
            name: archive.read(name).decode()
            for name in archive.namelist()
            if not name.startswith(
                "photos/"
            )  # photos are binary: tests/web/practices/test_plans.py
        }


def test_export_has_everything_i_wrote_and_nothing_of_my_partners(world: World) -> None:
    files = _export(world.client_for("A"))
    assert {
        "README.txt",
        "manifest.json",
        "journal_journalentry.json",
        "journal_journalentry.csv",
    } <= set(files)
    entries = json.loads(files["journal_journalentry.json"])
    assert {e["id"] for e in entries} == {
        world.objects["alice_private"].pk,
        world.objects["alice_shared"].pk,
    }
    assert ALICE_PRIVATE_MARKER in files["journal_journalentry.csv"]
    profile = json.loads(files["profile.json"])
    assert profile[0]["email"] == "alice@example.org"
    manifest = json.loads(files["manifest.json"])
    assert manifest["files"]["journal_journalentry"] == 2

    bob_files = _export(world.client_for("B"))
    everything = "\n".join(bob_files.values())
    assert ALICE_PRIVATE_MARKER not in everything
    assert ALICE_SHARED_MARKER not in everything  # shared with Bob, but not his to export


def test_delete_account_needs_typed_confirmation_and_password(world: World) -> None:
    world.alice.set_password("alices passphrase")
    world.alice.save()
    client = world.client_for("A")
    response = client.post(
        "/account/delete/", {"confirm": "delete", "password": "alices passphrase"}
    )
    assert response.status_code == 200
    assert User.objects.filter(pk=world.alice.pk).exists()
    response = client.post(
        "/account/delete/", {"confirm": "delete my account", "password": "wrong"}
    )
    assert "password is not right" in response.content.decode()
    assert User.objects.filter(pk=world.alice.pk).exists()
    response = client.post(
        "/account/delete/", {"confirm": "Delete my account", "password": "alices passphrase"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=world.alice.pk).exists()


@pytest.mark.parametrize("remove_couple_items", [False, True])
def test_deleting_an_account_keeps_or_removes_couple_items_as_chosen(
    world: World, remove_couple_items: bool
) -> None:
    ours = make_journal(world.alice, "our trip", visibility=Visibility.COUPLE, couple=world.couple)
    bob_entry = world.objects["bob_private"]
    account_delete(user=world.alice, remove_couple_items=remove_couple_items)
    assert not JournalEntry.objects.filter(
        pk__in=[world.objects["alice_private"].pk, world.objects["alice_shared"].pk]
    ).exists()
    assert JournalEntry.objects.filter(pk=bob_entry.pk).exists()
    if remove_couple_items:
        assert not JournalEntry.objects.filter(pk=ours.pk).exists()
    else:
        ours.refresh_from_db()
        assert ours.author is None and ours.by_former_partner
        assert access.can_read(world.bob, ours)
    assert world.bob.notices.filter(kind="partner_deleted_account").exists()
    assert world.bob.memberships.get().left_at is not None


def test_the_partners_item_rule_is_decided_in_one_place(world: World) -> None:
    """is_partners_item: only the current partner, only while together, never one's own."""
    from counterpoint.practices.support.services import support_request_create
    from counterpoint.privacy.access import get_partners_or_404, is_partners_item

    item, _created = support_request_create(user=world.alice, kind="hug", details="")
    private = world.objects["alice_private"]
    assert is_partners_item(world.bob, item)
    assert get_partners_or_404(world.bob, type(item), pk=item.pk) == item
    assert not is_partners_item(world.alice, item)  # one's own
    assert not is_partners_item(world.carol, item)  # another couple
    assert not is_partners_item(world.bob, private)  # not shared with him
    with pytest.raises(Http404):
        get_partners_or_404(world.alice, type(item), pk=item.pk)
    couple_unpair(user=world.bob)
    assert not is_partners_item(world.bob, item)  # no longer together


def test_own_records_are_the_readable_ones_the_person_wrote(world: World) -> None:
    """access.own is readable() narrowed to the author, for every kind of personal record in the
    world and every kind of person in it (partner, another couple, a therapist, nobody)."""
    from django.contrib.auth.models import AnonymousUser

    people: list[Any] = [world.alice, world.bob, world.carol, world.terry, AnonymousUser()]
    checked = 0
    models: list[Any] = access.personal_record_models()
    for model in models:
        for person in people:
            narrowed = (
                set(
                    access.readable(person, model)
                    .filter(author=person)
                    .values_list("pk", flat=True)
                )
                if person.is_authenticated
                else set()
            )
            assert set(access.own(person, model).values_list("pk", flat=True)) == narrowed, (
                model.__name__,
                str(person),
            )
            checked += len(narrowed)
    assert checked > 0  # the world holds records of its people
    # nothing of the partner's is ever "own", shared or not
    shared = world.objects["alice_shared"]
    assert not access.own(world.bob, type(shared)).filter(pk=shared.pk).exists()
    assert access.own(world.alice, type(shared)).filter(pk=shared.pk).exists()


def test_the_rule_a_page_uses_reads_what_the_rule_a_write_uses_reads(world: World) -> None:
    """Inside a page (a read-only request) the access rule is built from the memberships read
    once, and for someone only ever in one couple it is one clause, not two; outside (writes,
    commands) it asks the database for the couples. Both read the same records, for every kind of
    personal record and every kind of person: partners, another couple, a therapist, someone
    re-paired after an unpairing and their new partner, someone never paired, nobody."""
    from django.contrib.auth.models import AnonymousUser

    from counterpoint.operations.memo import read_only_request
    from counterpoint.pairing.services import invite_accept, invite_create
    from tests.factories import make_journal

    def same_records(people: list[Any]) -> int:
        models: list[Any] = access.personal_record_models()
        seen = 0
        for model in models:
            for person in people:
                outside = set(access.readable(person, model).values_list("pk", flat=True))
                with read_only_request():
                    inside = set(access.readable(person, model).values_list("pk", flat=True))
                assert inside == outside, (model.__name__, str(person))
                seen += len(outside)
        return seen

    nobody, single = AnonymousUser(), make_user("single@example.org", "Single")
    everyone = [world.alice, world.bob, world.carol, world.dave, world.terry, single, nobody]
    assert same_records(everyone) > 0
    couple_unpair(user=world.bob)
    make_journal(world.bob, "after", visibility=Visibility.PARTNER)
    newcomer = make_user("newcomer@example.org", "Newcomer")
    invite = invite_create(inviter=world.bob)
    invite_accept(user=newcomer, code_or_token=invite.code)  # Bob: two couples, ever
    for visibility in (Visibility.PRIVATE, Visibility.PARTNER, Visibility.COUPLE):
        make_journal(world.bob, f"with the newcomer, {visibility}", visibility=visibility)
        make_journal(newcomer, f"to Bob, {visibility}", visibility=visibility)
    assert same_records([*everyone, newcomer]) > 0
