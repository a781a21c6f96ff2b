"""Plans and memories: blind interest answers, memories with words and a photo, the archive."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse
from PIL import Image

import tests.web.access_cases.plans  # noqa: F401  (adds this feature's records to the world)
from counterpoint.accounts.services import account_delete
from counterpoint.activity.models import Notice
from counterpoint.pairing.services import couple_unpair
from counterpoint.practices.plans import selectors, services
from counterpoint.practices.plans.models import Memory, Plan, PlanInterest
from counterpoint.practices.timebalance.models import TimeBlock
from tests.factories import make_user
from tests.web.conftest import ALICE_PRIVATE_MARKER, World
from tests.web.plans_world import jpeg_upload

# How a revealed answer of Alice's reads on a page (the choice labels themselves are on the form).
ALICE_REVEALED = "<strong>Alice:</strong>"


def _body(response) -> str:
    return response.content.decode()


def _export(client: Client) -> zipfile.ZipFile:
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200
    raw = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    return zipfile.ZipFile(io.BytesIO(raw))


def _export_text(client: Client) -> str:
    archive = _export(client)
    return "\n".join(
        archive.read(n).decode("utf-8", "replace")
        for n in archive.namelist()
        if not n.endswith(".jpg")
    )


def _add_plan(client: Client, title: str, **extra: str) -> Plan:
    client.get(reverse("plans:new"))
    data = {
        "title": title,
        "kind": "trip",
        "shared": "yes",
        "submission_key": f"k-{title}",
        **extra,
    }
    response = client.post(reverse("plans:new"), data)
    assert response.status_code == 302, _body(response)
    return Plan.objects.get(title=title)


# Interest answers are blind until both have answered -------------------------------------------


def test_an_answer_stays_hidden_until_both_answered_on_every_surface(
    world: World, django_capture_on_commit_callbacks
) -> None:
    alice, bob = world.client_for("A"), world.client_for("B")
    with django_capture_on_commit_callbacks(execute=True):
        plan = _add_plan(alice, "Night train to the mountains")
        alice.post(reverse("plans:interest", args=[plan.pk]), {"answer": "no"})
    # Bob has not answered: Alice's "Not for me" is nowhere he can look.
    detail = _body(bob.get(reverse("plans:detail", args=[plan.pk])))
    assert "Night train" in detail and ALICE_REVEALED not in detail
    assert "Your partner has answered" in detail
    row = bob.get(reverse("plans:json", args=[plan.pk])).json()
    assert row["partner_interest"] == [] and row["revealed"] is False
    assert row["partner_has_answered"] is True
    listing = bob.get(reverse("plans:list_json")).json()
    assert all(p["partner_interest"] == [] for p in listing["plans"])
    assert '"no"' not in json.dumps(listing)
    assert "Not for me" not in _export_text(bob)
    feed = _body(bob.get(reverse("activity:feed")))
    assert "Not for me" not in feed
    assert all("Not for me" not in n.message for n in Notice.objects.filter(recipient=world.bob))
    assert all("Not for me" not in m.body for m in mail.outbox)
    assert all("Night train" not in m.body for m in mail.outbox)  # emails never carry words
    # Bob answers: both answers are shown to both.
    with django_capture_on_commit_callbacks(execute=True):
        bob.post(reverse("plans:interest", args=[plan.pk]), {"answer": "love"})
    row = bob.get(reverse("plans:json", args=[plan.pk])).json()
    assert row["revealed"] is True and row["partner_interest"] == ["no"]
    assert alice.get(reverse("plans:json", args=[plan.pk])).json()["partner_interest"] == ["love"]
    revealed = _body(bob.get(reverse("plans:detail", args=[plan.pk])))
    assert ALICE_REVEALED in revealed and "Not for me" in revealed.split(ALICE_REVEALED)[1][:40]
    # Each export holds only the person's own answer.
    bob_export = json.loads(_export(bob).read("plan_interests.json"))
    assert [r["answer"] for r in bob_export] == ["love"]


def test_answering_resolves_the_waiting_notice_and_reading_does_not(world: World) -> None:
    alice, bob = world.client_for("A"), world.client_for("B")
    plan = _add_plan(alice, "Pottery class")
    waiting = Notice.objects.filter(
        recipient=world.bob, needs_answer=True, link=plan.get_absolute_url()
    )
    assert waiting.count() == 1
    bob.get(reverse("plans:detail", args=[plan.pk]))
    assert waiting.count() == 1  # only reading
    bob.post(reverse("plans:interest", args=[plan.pk]), {"answer": "maybe"})
    assert waiting.count() == 0


def test_what_both_would_love_comes_first(world: World) -> None:
    alice, bob = world.client_for("A"), world.client_for("B")
    first = _add_plan(alice, "Cinema")
    second = _add_plan(alice, "Camping by the lake")
    for plan, a, b in [(first, "maybe", "no"), (second, "love", "love")]:
        alice.post(reverse("plans:interest", args=[plan.pk]), {"answer": a})
        bob.post(reverse("plans:interest", args=[plan.pk]), {"answer": b})
    rows = selectors.open_plans_for(world.alice)
    titles = [r.plan.title for r in rows]
    assert titles.index("Camping by the lake") < titles.index("Cinema")
    assert "d both love this" in _body(alice.get(reverse("plans:list")))


def test_the_same_form_sent_twice_adds_one_plan(world: World) -> None:
    alice = world.client_for("A")
    data = {"title": "Twice", "kind": "date", "shared": "yes", "submission_key": "same"}
    for _ in range(2):
        alice.post(reverse("plans:new"), data)
    assert Plan.objects.filter(title="Twice").count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "", "kind": "trip", "shared": "yes"}, "be empty"),
        ({"title": "x" * 121, "kind": "trip", "shared": "yes"}, "at most 120"),
        ({"title": "Ok", "kind": "spaceflight", "shared": "yes"}, "one of the choices here"),
        (
            {"title": "Ok", "kind": "trip", "shared": "yes", "when_date": "31/02/2026"},
            "Enter a date",
        ),
        (
            {"title": "Ok", "kind": "trip", "shared": "yes", "when_date": "9999-12-31"},
            "between the year",
        ),
    ],
)
def test_bad_plans_are_refused_clearly_and_nothing_is_saved(
    world: World, data: dict, message: str
) -> None:
    before = Plan.objects.count()
    response = world.client_for("A").post(reverse("plans:new"), data)
    assert response.status_code == 200
    assert message in _body(response)
    assert Plan.objects.count() == before


def test_a_private_someday_plan_is_only_its_authors(world: World) -> None:
    bob = world.client_for("B")
    own = world.objects["plan_private"]
    assert bob.get(reverse("plans:detail", args=[own.pk])).status_code == 404
    assert ALICE_PRIVATE_MARKER not in json.dumps(bob.get(reverse("plans:list_json")).json())
    assert ALICE_PRIVATE_MARKER not in _body(bob.get(reverse("plans:list")))
    assert ALICE_PRIVATE_MARKER in _body(world.client_for("A").get(reverse("plans:list")))
    assert not Notice.objects.filter(recipient=world.bob, link=own.get_absolute_url()).exists()


def test_someone_without_a_partner_keeps_plans_for_themselves(db: None) -> None:
    solo = make_user("solo@example.org", "Solo")
    client = Client()
    client.force_login(solo)
    response = client.post(
        reverse("plans:new"), {"title": "Alone", "kind": "trip", "shared": "yes"}
    )
    assert "Pair with your partner first" in _body(response)
    client.post(reverse("plans:new"), {"title": "Mine", "kind": "someday", "shared": "no"})
    assert Plan.objects.get(title="Mine").visibility == "private"
    assert "appear here once you" in _body(client.get(reverse("plans:list")))


# Memories: done plans, words shown together, time counted once -----------------------------------


def test_a_done_plan_becomes_a_memory_and_its_time_counts_as_we_time(world: World) -> None:
    alice, bob = world.client_for("A"), world.client_for("B")
    plan = _add_plan(alice, "Bake bread together")
    before = selectors.plans_insight(world.alice)
    day = world.alice.local_today() - dt.timedelta(days=1)
    response = bob.post(
        reverse("plans:done", args=[plan.pk]),
        {"happened_on": day.isoformat(), "minutes_together": "120"},
    )
    memory = Memory.objects.get(plan=plan)
    assert response.status_code == 302 and response["Location"] == f"/plans/memories/{memory.pk}/"
    assert memory.visibility == "couple" and memory.happened_on == day
    plan.refresh_from_db()
    assert plan.status == "done"
    block = TimeBlock.objects.get(note="Bake bread together")
    assert block.kind == "we" and block.minutes == 120 and block.done
    insight = selectors.plans_insight(world.alice)
    assert insight["plans_done"] == before["plans_done"] + 1
    assert insight["we_minutes_on_plans"] == before["we_minutes_on_plans"] + 120
    assert insight["we_minutes_logged"] == before["we_minutes_logged"] + 120
    assert alice.get("/insights.json").json()["sections"]["shared_plans"] == insight
    # Marking it done a second time (another tab) is refused and nothing doubles.
    again = bob.post(reverse("plans:done", args=[plan.pk]), {"happened_on": day.isoformat()})
    assert again.status_code == 302
    assert "already a memory" in _body(bob.get(again["Location"]))
    assert Memory.objects.filter(plan=plan).count() == 1


def test_a_plan_cannot_be_done_in_the_future(world: World) -> None:
    plan = world.objects["plan"]
    tomorrow = world.alice.local_today() + dt.timedelta(days=1)
    response = world.client_for("A").post(
        reverse("plans:done", args=[plan.pk]), {"happened_on": tomorrow.isoformat()}
    )
    assert response.status_code == 400 and "hasn&#x27;t come yet" in _body(response)
    assert not Memory.objects.filter(plan=plan).exists()


def test_words_are_shown_together_once_both_wrote(world: World) -> None:
    memory = world.objects["memory"]  # Alice wrote; Bob has not
    bob = world.client_for("B")
    url = reverse("plans:memory", args=[memory.pk])
    assert ALICE_PRIVATE_MARKER not in _body(bob.get(url))
    assert bob.get(reverse("plans:memory_json", args=[memory.pk])).json()["partner_words"] == []
    bob.post(reverse("plans:memory_words", args=[memory.pk]), {"text": "The fish was great"})
    assert ALICE_PRIVATE_MARKER in _body(bob.get(url))
    assert "The fish was great" in _body(world.client_for("A").get(url))


# Photos ------------------------------------------------------------------------------------------


def _gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (52.0, 31.0, 12.0)
    gps[3] = "E"
    gps[4] = (13.0, 24.0, 36.0)
    return exif.tobytes()


def test_a_photo_comes_back_without_its_location_or_camera(world: World) -> None:
    memory = world.objects["memory"]
    original = jpeg_upload(exif=_gps_exif(), size=(800, 600))
    with Image.open(io.BytesIO(original.read())) as probe:
        assert probe.getexif().get_ifd(0x8825)  # the test image really carries GPS
    original.seek(0)
    alice = world.client_for("A")
    response = alice.post(
        reverse("plans:memory_photo_upload", args=[memory.pk]), {"photo": original}
    )
    assert response.status_code == 302
    served = alice.get(reverse("plans:memory_photo", args=[memory.pk]))
    assert served["Content-Type"] == "image/jpeg" and "no-store" in served["Cache-Control"]
    data = served.content
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (800, 600)
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"PhoneMaker" not in data and b"GPS" not in data


def _files_in_storage() -> list[str]:
    storage = storages["photos"]
    try:
        return storage.listdir("")[1]
    except FileNotFoundError:
        return []


@pytest.mark.parametrize(
    "upload, message",
    [
        (("notes.jpg", b"this is not an image at all", "image/jpeg"), "isn&#x27;t a photo"),
        (("empty.jpg", b"", "image/jpeg"), "empty"),
        (("half.jpg", None, "image/jpeg"), "isn&#x27;t a photo"),  # a truncated JPEG
        (("doc.pdf", b"%PDF-1.4 fake", "application/pdf"), "isn&#x27;t a photo"),
        (("huge.png", "bomb", "image/png"), "too many pixels"),
        (("big.jpg", "big", "image/jpeg"), "too large"),
    ],
)
def test_bad_uploads_are_refused_clearly_and_nothing_is_saved(
    world: World,
    upload: tuple,
    message: str,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    name, content, content_type = upload
    if content is None:
        content = jpeg_upload(size=(300, 300)).read()[:400]
    elif content == "bomb":
        buffer = io.BytesIO()
        Image.new("1", (9000, 9000)).save(buffer, format="PNG")  # 81 MP in a few KB
        content = buffer.getvalue()
    elif content == "big":
        content = b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 10)
    memory = world.objects["memory"]
    before_name = Memory.objects.get(pk=memory.pk).photo
    before_files = sorted(_files_in_storage())
    response = world.client_for("B").post(
        reverse("plans:memory_photo_upload", args=[memory.pk]),
        {"photo": SimpleUploadedFile(name, content, content_type=content_type)},
    )
    assert response.status_code == 400
    assert message in _body(response)
    assert Memory.objects.get(pk=memory.pk).photo == before_name
    assert sorted(_files_in_storage()) == before_files


def test_photos_go_with_the_memory_and_with_the_uploaders_account(
    world: World, django_capture_on_commit_callbacks
) -> None:
    memory = world.objects["memory"]
    name = Memory.objects.get(pk=memory.pk).photo  # uploaded by Bob
    assert name in _files_in_storage()
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=world.bob, remove_couple_items=False)
    kept = Memory.objects.get(pk=memory.pk)  # the co-owned memory stays in Alice's archive...
    assert kept.photo == "" and name not in _files_in_storage()  # ...without Bob's photo
    private = world.objects["memory_private"]
    private_name = Memory.objects.get(pk=private.pk).photo
    alice = world.client_for("A")
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(reverse("plans:memory_delete", args=[private.pk]))
    assert not Memory.objects.filter(pk=private.pk).exists()
    assert private_name not in _files_in_storage()


def test_removing_a_photo_asks_first_and_only_the_confirmed_post_removes_it(
    world: World, django_capture_on_commit_callbacks
) -> None:
    """Either partner may remove a shared memory's photo, and it cannot be brought back: the
    memory page links to a confirmation, as removing the memory does."""
    memory = world.objects["memory"]
    name = Memory.objects.get(pk=memory.pk).photo  # uploaded by Bob
    alice = world.client_for("A")
    page = alice.get(reverse("plans:memory", args=[memory.pk])).content.decode()
    confirm_url = reverse("plans:memory_photo_remove", args=[memory.pk])
    assert f'href="{confirm_url}"' in page
    asked = alice.get(confirm_url)
    assert asked.status_code == 200
    assert "Remove this memory's photo?" in asked.content.decode()
    assert "the memory and your words stay" in asked.content.decode()
    assert Memory.objects.get(pk=memory.pk).photo == name and name in _files_in_storage()
    with django_capture_on_commit_callbacks(execute=True):
        assert alice.post(confirm_url).status_code == 302
    # gone from the memory; the file stays Bob's, his upload (tests/web/test_words_outlive_their_item.py)
    assert Memory.objects.get(pk=memory.pk).photo == "" and name in _files_in_storage()
    assert f"photos/memory-{memory.pk}.jpg" in _export(world.client_for("B")).namelist()
    # asked again once it is gone (another tab, the partner): back to the memory, nothing to ask
    again = alice.get(confirm_url)
    assert again.status_code == 302 and again["Location"] == reverse(
        "plans:memory", args=[memory.pk]
    )


def test_the_export_holds_own_photos_answers_and_words(world: World) -> None:
    archive = _export(world.client_for("B"))
    names = archive.namelist()
    memory = world.objects["memory"]
    assert f"photos/memory-{memory.pk}.jpg" in names
    with Image.open(io.BytesIO(archive.read(f"photos/memory-{memory.pk}.jpg"))) as image:
        assert image.format == "JPEG"
    assert "plans_memory.json" in names and "plans_plan.json" in names
    carol_photo = f"photos/memory-{world.objects['memory_other_couple'].pk}.jpg"
    assert carol_photo not in names
    # Alice's words on Bob's memory are hers: in her export, never in his.
    assert ALICE_PRIVATE_MARKER not in _export_text(world.client_for("B"))
    alice_words = json.loads(_export(world.client_for("A")).read("memory_words.json"))
    assert any(ALICE_PRIVATE_MARKER in row["text"] for row in alice_words)


# After unpairing, the archive is read-only for both -----------------------------------------------


def test_after_unpairing_both_keep_the_archive_read_only(world: World) -> None:
    couple_unpair(user=world.alice, notify=False)
    memory, plan = world.objects["memory"], world.objects["plan"]
    for person in ("A", "B"):
        client = world.client_for(person)
        assert client.get(reverse("plans:memory", args=[memory.pk])).status_code == 200
        assert client.get(reverse("plans:memory_photo", args=[memory.pk])).status_code == 200
        assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200
        assert (
            client.post(reverse("plans:memory_words", args=[memory.pk]), {"text": "x"}).status_code
            == 404
        )
        assert (
            client.post(reverse("plans:interest", args=[plan.pk]), {"answer": "love"}).status_code
            == 404
        )
        assert client.post(reverse("plans:memory_delete", args=[memory.pk])).status_code == 404
    # Bob never answered, so Alice's blind answer stays hidden from him for good.
    assert ALICE_REVEALED not in _body(
        world.client_for("B").get(reverse("plans:detail", args=[plan.pk]))
    )
    assert PlanInterest.objects.filter(plan=plan).count() == 1


# On this day ---------------------------------------------------------------------------------------


def test_home_shows_a_shared_memory_from_this_day_but_never_a_private_one(world: World) -> None:
    today = world.alice.local_today()
    a_year_ago = (
        today.replace(year=today.year - 1)
        if not (today.month == 2 and today.day == 29)
        else today - dt.timedelta(days=365)
    )
    services.memory_add(
        user=world.alice,
        title=f"{ALICE_PRIVATE_MARKER} alone",
        happened_on=a_year_ago,
        shared=False,
    )
    assert selectors.on_this_day(world.bob, today) is None
    assert ALICE_PRIVATE_MARKER not in _body(world.client_for("A").get(reverse("pages:home")))
    services.memory_add(user=world.alice, title="The first snow", happened_on=a_year_ago)
    for person in ("A", "B"):
        page = _body(world.client_for(person).get(reverse("pages:home")))
        assert "On this day" in page and "The first snow" in page
    assert "The first snow" not in _body(world.client_for("C").get(reverse("pages:home")))
