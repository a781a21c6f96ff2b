"""What one person wrote on another's item stays theirs when the other deletes the item
(counterpoint/privacy/kept.py): their export is the same, byte for byte, before and after, and
nothing else of theirs moves. Before, the words went with the item, and the export changing told
a former partner the moment the other deleted something of theirs."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from typing import Any

import pytest
from django.core.files.storage import storages

from counterpoint.accounts.services import account_delete
from counterpoint.operations.photo_lock import ORPHAN_GRACE
from counterpoint.operations.versions import person_scope, shared_scope, versions_of
from counterpoint.pairing.services import couple_unpair
from counterpoint.practices.boundaries.services import boundary_acknowledge, boundary_state
from counterpoint.practices.decisions.services import (
    decision_record,
    decision_start,
    decision_view_enter,
)
from counterpoint.practices.moments.services import moment_delete, moment_respond, moment_share
from counterpoint.practices.plans.models import Memory
from counterpoint.practices.plans.photos import photo_files_sweep
from counterpoint.practices.plans.services import (
    memory_add,
    memory_delete,
    memory_photo_remove,
    memory_photo_set,
    memory_words_write,
    plan_add,
    plan_delete,
    plan_interest_answer,
)
from counterpoint.practices.support.services import support_request_answer, support_request_create
from counterpoint.privacy.export import export_sections, export_zip
from counterpoint.privacy.models import KeptRow, Visibility
from tests.web.conftest import World
from tests.web.everything_world import alice_makes_everything
from tests.web.plans_world import jpeg_upload, travel_ahead


def _key() -> str:
    return uuid.uuid4().hex


def _alice_writes_on_all_of_bobs(world: World) -> dict[str, Any]:
    """Alice writes on every kind of Bob's items that takes someone else's words (beyond what
    ``alice_makes_everything`` makes: a response, a cheer, an outcome, repair words, a reaction)."""
    a, b = world.alice, world.bob
    alice_makes_everything(world)
    request, _ = support_request_create(user=b, kind="listening", details="", submission_key=_key())
    support_request_answer(
        user=a, support_request=request, offer="yes", message="Tonight, after dinner"
    )
    boundary, _ = boundary_state(user=b, what="Quiet mornings", why="I wake slowly")
    boundary_acknowledge(user=a, boundary=boundary, version=boundary.version)
    plan, _ = plan_add(user=b, title="A weekend by the lake", kind="trip", submission_key=_key())
    plan_interest_answer(user=a, plan=plan, answer="love")
    plan_interest_answer(user=b, plan=plan, answer="maybe")
    memory, _ = memory_add(
        user=b,
        title="The first snow",
        happened_on=b.local_today() - dt.timedelta(days=3),
        submission_key=_key(),
    )
    memory_words_write(user=a, memory=memory, text="Cold hands, warm soup")
    memory_words_write(user=b, memory=memory, text="You laughed at my hat")
    decision, _ = decision_start(user=b, title="Which city", context="", submission_key=_key())
    decision_view_enter(user=a, decision=decision, preference="Lyon", reasons="food", importance=4)
    decision_view_enter(user=b, decision=decision, preference="Porto", reasons="sea", importance=3)
    decision_record(user=a, decision=decision, text="Porto first", reasons="it is nearer")
    return {"plan": plan, "memory": memory}


def _files(archive: bytes) -> dict[str, bytes]:
    """Every file of an export zip (the zip's own entry times are when it was made)."""
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def _export(user: Any) -> dict[str, Any]:
    user.refresh_from_db()
    return export_sections(user)


@pytest.mark.parametrize("remove_couple_items", [True, False])
def test_her_words_stay_as_they_were_when_his_account_goes(
    world: World, remove_couple_items: bool
) -> None:
    a, b = world.alice, world.bob
    _alice_writes_on_all_of_bobs(world)
    couple_unpair(user=b)
    before = _export(a)
    mine_before = {name: len(rows) for name, rows in before.items() if rows}

    account_delete(user=b, remove_couple_items=remove_couple_items)

    assert _export(a) == before
    kept = set(KeptRow.objects.filter(owner=a).values_list("section", flat=True))
    # Bob's own items went in both cases; his co-owned ones only when he asked
    gone_with_him = {
        "moment_responses",
        "goals_encouragement",
        "support_supportresponse",
        "boundaries_boundaryevent",
        "checkins_reaction",
    }
    co_owned = {
        "decision_views",
        "decision_outcomes_recorded",
        "repair_shares",
        "repair_closings",
        "repair_reflections",
        "plan_interests",
        "memory_words",
    }
    assert kept == (gone_with_him | co_owned if remove_couple_items else gone_with_him)
    assert all(mine_before.get(section) for section in kept)  # each held her words before
    words = [row.get("note") for row in before["moment_responses"]]
    assert "Well done" in words


def test_every_file_of_the_export_is_the_same_byte_for_byte(world: World) -> None:
    a, b = world.alice, world.bob
    _alice_writes_on_all_of_bobs(world)
    couple_unpair(user=b)
    now = dt.datetime(2026, 12, 3, 20, 0, tzinfo=dt.UTC)
    a.refresh_from_db()
    before = _files(export_zip(a, now=now))

    account_delete(user=b, remove_couple_items=True)

    a.refresh_from_db()
    assert _files(export_zip(a, now=now)) == before


def test_deleting_an_item_together_keeps_the_partners_words_not_ones_own(world: World) -> None:
    a, b = world.alice, world.bob
    made = _alice_writes_on_all_of_bobs(world)
    moment, _ = moment_share(
        user=b, kind="struggle", text="A hard day", visibility=Visibility.PARTNER
    )
    moment_respond(user=a, moment=moment, reaction="with_you", note="I'm here")
    before = _export(a)

    moment_delete(user=b, moment=moment)
    plan_delete(user=b, plan=made["plan"])
    memory_delete(user=b, memory=made["memory"])

    after = _export(a)
    for section in ("moment_responses", "plan_interests", "memory_words"):
        assert after[section] == before[section], section
    assert "I'm here" in [row["note"] for row in after["moment_responses"]]
    # Bob's own answer and words went with what he deleted: nothing is kept for the deleter
    assert not KeptRow.objects.filter(owner=b).exists()


def test_his_deletion_after_unpairing_moves_none_of_her_versions(world: World) -> None:
    """Her kept pages stay kept: a slower next page would time his deletion."""
    a, b = world.alice, world.bob
    moment, _ = moment_share(user=b, kind="win", text="Got the job", visibility=Visibility.PARTNER)
    moment_respond(user=a, moment=moment, reaction="warm", note="So proud")
    couple_unpair(user=b)
    moment.refresh_from_db()
    hers = [person_scope(a.pk), shared_scope(a.pk)]
    before = versions_of(hers)

    moment_delete(user=b, moment=moment)

    assert versions_of(hers) == before
    assert KeptRow.objects.filter(owner=a, section="moment_responses").count() == 1


def test_kept_words_go_with_their_own_account(world: World) -> None:
    a, b = world.alice, world.bob
    _alice_writes_on_all_of_bobs(world)
    account_delete(user=b, remove_couple_items=True)
    assert KeptRow.objects.filter(owner=a).exists()

    account_delete(user=a, remove_couple_items=True)

    assert not KeptRow.objects.exists()


def _photos(archive: bytes) -> dict[str, bytes]:
    """The export's photo files (the co-owned memory's own row shows its photo gone, as its page
    does for both)."""
    return {k: v for k, v in _files(archive).items() if k.startswith("photos/")}


def _photo_files() -> set[str]:
    return set(storages["photos"].listdir("")[1])


def test_his_photo_stays_his_when_she_removes_it_then_deletes_the_memory(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """A photo is its uploader's: removed from a shared memory, or gone with the memory, by the
    other partner, it stays in his export and its file stays, past every sweep."""
    a, b = world.alice, world.bob
    memory = Memory.objects.get(pk=world.objects["memory"].pk)  # co-owned; Bob's photo
    name, shown = memory.photo, f"photos/memory-{memory.pk}.jpg"
    now = dt.datetime(2026, 12, 3, 20, 0, tzinfo=dt.UTC)
    before = _photos(export_zip(b, now=now))
    assert shown in before

    with django_capture_on_commit_callbacks(execute=True):
        memory_photo_remove(user=a, memory=memory)
    assert _photos(export_zip(b, now=now)) == before
    with django_capture_on_commit_callbacks(execute=True):
        memory_delete(user=a, memory=memory)
    assert _photos(export_zip(b, now=now)) == before
    with travel_ahead(ORPHAN_GRACE * 2):
        photo_files_sweep()
    assert name in _photo_files()

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=b, remove_couple_items=True)
    assert name not in _photo_files()


def test_her_replacing_his_photo_keeps_his_and_his_own_replacing_does_not(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    a, b = world.alice, world.bob
    memory = Memory.objects.get(pk=world.objects["memory"].pk)
    his = memory.photo
    with django_capture_on_commit_callbacks(execute=True):
        memory = memory_photo_set(user=b, memory=memory, upload=jpeg_upload())
    assert his not in _photo_files()  # his own act: his first photo went
    assert not KeptRow.objects.exists()
    his = memory.photo
    with django_capture_on_commit_callbacks(execute=True):
        memory = memory_photo_set(user=a, memory=memory, upload=jpeg_upload(size=(32, 32)))
    assert his in _photo_files()
    # his kept photo, then his new one on the same memory: two files in his export
    with django_capture_on_commit_callbacks(execute=True):
        memory_photo_set(user=b, memory=memory, upload=jpeg_upload(size=(40, 30)))
    files = _files(export_zip(b, now=dt.datetime(2026, 12, 3, tzinfo=dt.UTC)))
    assert {f"photos/memory-{memory.pk}.jpg", f"photos/memory-{memory.pk}-2.jpg"} <= set(files)
    # and he replaced hers: hers is kept for her
    assert KeptRow.objects.filter(owner=a).count() == 1
