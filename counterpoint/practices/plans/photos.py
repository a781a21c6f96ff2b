"""Checking and re-encoding uploaded photos.

A photo is personal data. It is decoded, checked (type, size, pixel count), turned upright,
scaled to a sensible size and saved again as a fresh JPEG, which leaves behind every piece of
metadata the original carried (camera, time, GPS location). Only the re-encoded file is stored,
under a random name, in the "photos" storage — never in a publicly served folder.

A photo belongs to whoever uploaded it. When someone else removes it (deletes the memory, removes
or replaces the photo, or deletes their account with the couple's items), the file stays, kept for
its uploader (``photo_keep_for_uploader``, ``privacy/kept.py``): their export holds it as before.

A file is removed once no memory names it, and no uploader keeps it, through one collector: at once when a change that drops
a photo commits (``photo_files_remove``), and every five minutes for everything else no memory names
(``photo_files_sweep``). Both check the database under the backup's lock before removing anything,
and neither removes anything while a backup or restore holds the photos
(``counterpoint/operations/photo_lock.py``):

- a removal put off while a backup or restore held the photos is written down, and the first
  removal or sweep after it removes the file (within five minutes of the backup's end, however
  young the file);
- a removal that never ran (the process died after the commit, or before it wrote its put-off
  removal down) and an upload whose row never committed: the sweep, once the file is older than
  ``ORPHAN_GRACE`` (an upload in progress has stored its file and not yet committed its memory).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import secrets
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from counterpoint.operations.photo_lock import (
    ORPHAN_GRACE,
    photo_removal,
    photo_removals_done,
    photo_removals_due,
    photo_removals_put_off,
)
from counterpoint.privacy.kept import keep_for, kept_rows

if TYPE_CHECKING:
    from counterpoint.accounts.models import User
    from counterpoint.practices.plans.models import Memory

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # larger images are refused rather than decoded (decompression bombs)
LONGEST_SIDE = 2048
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}

log = logging.getLogger("counterpoint.photos")


@dataclass(frozen=True)
class StoredPhoto:
    name: str
    width: int
    height: int


def photo_storage() -> Storage:
    return storages["photos"]


def photo_clean(upload: UploadedFile) -> bytes:
    """The re-encoded JPEG bytes of an uploaded image, or a ValidationError saying what is wrong."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("That photo is too large (%(size)s MB). Photos can be up to 10 MB.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}"}
        )
    if upload.size == 0:
        raise ValidationError(_("That file is empty. Choose a photo to upload."))
    raw = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("That photo is too large. Photos can be up to 10 MB."))
    not_an_image = _("That file isn't a photo we can read. Use a JPEG, PNG, WebP or GIF image.")
    too_many = _("That photo has too many pixels. Use one under 40 megapixels.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise ValidationError(not_an_image)
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError(too_many)
                probe.verify()
            with Image.open(io.BytesIO(raw)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                rgb = upright.convert("RGB")
    except ValidationError:
        raise
    # Pillow refuses, on opening, an image declaring over its own limit (89 MP; the warning is an
    # error here): the same answer as ours, not "isn't a photo".
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(too_many) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(not_an_image) from exc
    rgb.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    out = io.BytesIO()
    # A fresh image object carries no info dict: nothing of the original's metadata is written.
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def photo_store(data: bytes) -> StoredPhoto:
    """Save cleaned JPEG bytes under a new random name."""
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    name = photo_storage().save(f"{secrets.token_urlsafe(18)}.jpg", ContentFile(data))
    return StoredPhoto(name=name, width=width, height=height)


KEPT_PHOTOS = "memory_photo_files"


def photo_keep_for_uploader(memory: Memory, *, by: int | None) -> None:
    """``by`` (``None``: nobody said who) is removing the memory's photo: unless it is theirs, it
    stays its uploader's (``privacy.kept``), under the name their export gives it."""
    if memory.photo and memory.photo_by_id and memory.photo_by_id != by:
        keep_for(memory.photo_by_id, KEPT_PHOTOS, {"memory": memory.pk, "file": memory.photo})


def photos_kept_for(user: User) -> list[str]:
    return [row["file"] for row in kept_rows(user, KEPT_PHOTOS)]


def photo_files_of(user: User) -> Iterator[tuple[str, bytes]]:
    """The export's photos: each the person uploaded, on a memory or kept for them."""
    from counterpoint.practices.plans.models import Memory

    files = [
        (f"memory-{m.pk}", m.photo)
        for m in Memory.objects.filter(photo_by=user).exclude(photo="").order_by("pk")
    ]
    files += sorted(
        (f"memory-{row['memory']}", row["file"]) for row in kept_rows(user, KEPT_PHOTOS)
    )
    used: set[str] = set()
    for stem, name in files:
        filename, n = f"{stem}.jpg", 1
        while filename in used:  # a memory's photo kept, and a newer one of theirs on it
            n += 1
            filename = f"{stem}-{n}.jpg"
        used.add(filename)
        yield filename, photo_read(name)


def photo_files_remove(*names: str) -> bool:
    """Remove these files, each unless a memory names it (again): called once the change that
    dropped them has committed; removals put off earlier go too. False when a backup or restore
    holds the photos: they are written down, and the first removal or sweep after it removes them."""
    wanted = sorted({name for name in names if name})
    if not wanted:
        return True
    if _remove_unnamed(wanted, stored_before=None) is not None:
        return True
    try:
        photo_removals_put_off(wanted)
    except DatabaseError:  # the database busy past its timeout (a restore replacing it)
        log.exception("put-off photo removal not written down; the sweep removes it in an hour")
    return False


def photo_files_sweep() -> int | None:
    """Remove every photo file no memory names, stored more than ``ORPHAN_GRACE`` ago or whose
    removal was put off: how many (``None``: a backup or restore holds the photos; nothing removed,
    the next sweep will)."""
    try:
        _folders, files = photo_storage().listdir("")
    except FileNotFoundError:  # no photo uploaded yet: the folder is made by the first
        files = []
    names = sorted(n for n in files if n.endswith(".jpg") and not n.startswith("."))
    removed = _remove_unnamed(names, stored_before=timezone.now() - ORPHAN_GRACE)
    if removed is None:  # every five minutes while a backup or restore runs, or one stuck
        log.warning("photo sweep put off: a backup or restore holds the photos")
    elif removed:
        log.info("photo sweep: removed %d file(s) no memory names", removed)
    return removed


def _remove_unnamed(names: list[str], *, stored_before: dt.datetime | None) -> int | None:
    """Remove each of these files, and each whose removal was put off, that no memory names (and,
    with ``stored_before``, of these only those stored before then): how many, or ``None`` when a
    backup or a restore holds the photos."""
    from counterpoint.practices.plans.models import Memory

    storage = photo_storage()
    with photo_removal() as allowed:
        if not allowed:
            return None
        due = photo_removals_due()
        candidates = sorted(set(names) | due)
        # read after the files were listed: a memory committed since names a file too young to go
        if len(candidates) > 500:
            named = set(Memory.objects.exclude(photo="").values_list("photo", flat=True))
        else:
            named = set(Memory.objects.filter(photo__in=candidates).values_list("photo", flat=True))
        named |= {row["file"] for row in kept_rows(None, KEPT_PHOTOS)}
        removed = 0
        kept_due: set[str] = set()
        for name in candidates:
            if name in named:
                continue
            try:
                if name in due:
                    if not storage.exists(name):
                        continue
                elif stored_before is not None and storage.get_modified_time(name) >= stored_before:
                    continue
            except FileNotFoundError:
                continue
            try:
                storage.delete(name)
            except OSError:  # one file that cannot go now never keeps the others
                log.exception("photo file %s not removed; the next sweep tries again", name)
                kept_due.add(name)
                continue
            removed += 1
        photo_removals_done(due - kept_due)  # removed, gone already, or named again
        return removed


def photo_read(name: str) -> bytes:
    with photo_storage().open(name, "rb") as handle:
        return handle.read()
