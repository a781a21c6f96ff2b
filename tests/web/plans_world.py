"""Plans and memories in the named people's world, made through the services as people do."""

from __future__ import annotations

import datetime as dt
import io

import time_machine
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from counterpoint.operations.models import PutOffPhotoRemoval
from counterpoint.practices.plans import services
from counterpoint.practices.plans.models import Interest, Memory, PlanKind
from tests.web.conftest import ALICE_PRIVATE_MARKER, World


def jpeg_upload(
    name: str = "photo.jpg", *, size: tuple[int, int] = (64, 48), exif: bytes = b""
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 80))
    if exif:
        image.save(buffer, format="JPEG", exif=exif)
    else:
        image.save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def seed_plans(w: World) -> None:
    from counterpoint.activity.models import Notice

    already = set(Notice.objects.values_list("pk", flat=True))
    _seed(w)
    # The shared world is about records; the notices these services sent are checked in
    # tests/web/practices/test_plans.py, and would otherwise change every feed and badge.
    Notice.objects.exclude(pk__in=already).delete()


def _seed(w: World) -> None:
    today = w.alice.local_today()
    plan, _ = services.plan_add(user=w.alice, title="Sail around the bay", kind=PlanKind.TRIP)
    # Alice has answered; Bob has not, so her answer must not reach him yet.
    services.plan_interest_answer(user=w.alice, plan=plan, answer=Interest.NOT_FOR_ME)
    w.objects["plan"] = plan
    own, _ = services.plan_add(
        user=w.alice, title=f"{ALICE_PRIVATE_MARKER} someday", kind=PlanKind.SOMEDAY, shared=False
    )
    w.objects["plan_private"] = own
    done, _ = services.plan_add(user=w.bob, title="Dinner at the harbour", kind=PlanKind.DATE)
    memory = services.plan_done(user=w.bob, plan=done, happened_on=today - dt.timedelta(days=2))
    services.memory_words_write(user=w.alice, memory=memory, text=f"{ALICE_PRIVATE_MARKER} words")
    services.memory_photo_set(user=w.bob, memory=memory, upload=jpeg_upload())
    w.objects["memory"] = memory
    mine, _ = services.memory_add(
        user=w.alice,
        title="A quiet morning",
        happened_on=today - dt.timedelta(days=1),
        shared=False,
    )
    services.memory_photo_set(user=w.alice, memory=mine, upload=jpeg_upload())
    w.objects["memory_private"] = mine
    carols, _ = services.memory_add(
        user=w.carol, title="Carol and Dave's day", happened_on=today - dt.timedelta(days=3)
    )
    services.memory_photo_set(user=w.carol, memory=carols, upload=jpeg_upload())
    w.objects["memory_other_couple"] = carols


def photo_files() -> set[str]:
    """Every file in the photos storage."""
    return set(storages["photos"].listdir("")[1])


def photos_named() -> set[str]:
    """Every photo file a memory names."""
    return set(Memory.objects.exclude(photo="").values_list("photo", flat=True))


def removals_put_off() -> set[str]:
    """The photo removals a backup or restore put off, not done yet."""
    return set(PutOffPhotoRemoval.objects.values_list("name", flat=True))


def travel_ahead(delta: dt.timedelta) -> time_machine.travel:
    return time_machine.travel(dt.datetime.now(dt.UTC) + delta)
