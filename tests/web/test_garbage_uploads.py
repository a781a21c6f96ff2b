"""Every file upload the pages offer, fed broken and hostile files; every POST route, fed broken
multipart bodies.

The upload forms are found, not listed: the partner Alice walks her pages in the shared world
(tests/web/garbage.py's crawl notes each POST form's ``enctype`` and its ``<input type=file>``), so
a new upload form is fuzzed as soon as a page shows it. Into each file field of each, as Alice,
who may upload there, go: random bytes (Hypothesis, fixed seed), zero bytes, JPEG, PNG, WebP and
GIF images made here with Pillow, cut short and with bits flipped; images that declare far more
pixels than they hold (decompression bombs); an animated GIF and PNG with hundreds of frames; an
image carrying EXIF orientation, GPS, a camera, an ICC profile and text chunks; a right image with
a wrong name or content type; file names with NUL, path traversal, non-UTF-8 bytes, thousands of
characters and an extension longer than a file system takes; two files for one field; the field
sent as plain text; and files over the 10 MB limit and over Django's
``FILE_UPLOAD_MAX_MEMORY_SIZE`` (kept on disk while read) with text over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` beside them.

Every POST route (each pattern of the URL conf, with the real ids Alice's pages show) is sent
multipart bodies that are broken: no boundary, a boundary the body does not use, an empty or
overlong one, the body cut in the middle or without its closing boundary, a ``Content-Length``
larger than what arrives (the connection dropped; a server that reads short and one that raises),
more fields or files than Django takes, and, whole around them, a part with no name and parts with
garbled headers.

Fails on: any 5xx; a refusal that is not a 400 saying why; a refused request that wrote a row
(garbage.py's watch on the database), kept a file or left one in the upload folder; an accepted
upload that stored anything but one fresh JPEG with no metadata (no EXIF, ICC, comments), under a
name not taken from the one sent; a broken body not refused as a whole with the 400 page
(counterpoint/http.py's RequestBodyMiddleware, pages/errors.py's bad_request). Each request runs in
a savepoint that is rolled back, so every one meets the same state.
"""

from __future__ import annotations

import copy
import functools
import html
import io
import random
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import resolve
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageCms, PngImagePlugin

from counterpoint.practices.plans.photos import MAX_UPLOAD_BYTES
from tests.web.conftest import World
from tests.web.garbage import (
    ROUTES,
    Form,
    Seen,
    Sweep,
    crawl,
    fixed_examples,
    route_args,
    route_path,
)

pytestmark = pytest.mark.django_db

# Upload forms Alice's pages are known to show: were one not found, the walk broke, and the sweep
# would pass having sent nothing.
EXPECTED_UPLOADS = {"plans:memory_photo_upload"}
BOUNDARY = "counterpoint-fuzz-8f2c61"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
STORES = ("photos",)  # where an accepted upload is kept
REFUSED_PAGE = b"Nothing was changed."  # templates/400.html
DJANGO_MEMORY = 2_621_440  # Django's default FILE_UPLOAD_ / DATA_UPLOAD_MAX_MEMORY_SIZE
# JPEG segments a freshly encoded photo has; APP1 (EXIF, XMP), APP2 (ICC), COM and the rest not.
CLEAN_JPEG_SEGMENTS = {0xD8, 0xE0, 0xDB, 0xC0, 0xC1, 0xC2, 0xC4, 0xDD, 0xDA}
EXIF_MAKE = "PhoneMaker-3141"


# -- multipart bodies, written by hand (the test client's own encoder only writes good ones) -----
Part = tuple[bytes, bytes]  # (headers, content)


def text_part(name: str, value: str | bytes) -> Part:
    data = value.encode() if isinstance(value, str) else value
    return f'Content-Disposition: form-data; name="{name}"'.encode(), data


def file_part(
    name: str,
    data: bytes,
    filename: bytes = b"photo.jpg",
    content_type: bytes | None = b"image/jpeg",
) -> Part:
    head = f'Content-Disposition: form-data; name="{name}"; filename="'.encode() + filename + b'"'
    return head + (b"\r\nContent-Type: " + content_type if content_type else b""), data


def multipart(parts: list[Part], boundary: str = BOUNDARY, *, close: bool = True) -> bytes:
    delimiter = b"--" + boundary.encode()
    body = b"".join(
        delimiter + b"\r\n" + head + b"\r\n\r\n" + data + b"\r\n" for head, data in parts
    )
    return body + (delimiter + b"--\r\n" if close else b"")


def form_parts(form: Form) -> list[Part]:
    """The form's other fields as offered (its file fields are the test's to fill)."""
    return [text_part(name, value) for name, value in form.values.items()]


# -- images, made with Pillow ----------------------------------------------------------------------
def _picture(size: tuple[int, int] = (96, 64)) -> Image.Image:
    """A picture with detail in it (noise over a gradient), so flipped bits land in real data."""
    noise = Image.effect_noise(size, 40).convert("RGB")
    return Image.blend(noise, Image.linear_gradient("L").resize(size).convert("RGB"), 0.5)


@functools.cache
def image_bytes(fmt: str, size: tuple[int, int] = (96, 64)) -> bytes:
    buffer = io.BytesIO()
    _picture(size).convert("P" if fmt == "GIF" else "RGB").save(buffer, format=fmt)
    return buffer.getvalue()


FORMATS = ("JPEG", "PNG", "WEBP", "GIF")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` × ``height`` pixels, holding one row of them."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = zlib.compress(b"\x00" + b"\x00" * ((width + 7) // 8))
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", row) + _chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) is changed to declare ``width`` × ``height``."""
    data = bytearray(image_bytes("JPEG"))
    at = data.index(b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def gif_declaring(width: int, height: int) -> bytes:
    data = bytearray(image_bytes("GIF"))
    data[6:10] = struct.pack("<HH", width, height)  # the logical screen
    return bytes(data)


@functools.cache
def real_bomb() -> bytes:
    """A real 64-megapixel PNG in a few KB (a 1-bit blank image compresses to almost nothing)."""
    buffer = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buffer, format="PNG")
    return buffer.getvalue()


@functools.cache
def animated(fmt: str, frames: int) -> bytes:
    pictures = [Image.new("RGB", (48, 32), (i % 256, (i * 7) % 256, 90)) for i in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, format=fmt, save_all=True, append_images=pictures[1:], duration=20)
    return buffer.getvalue()


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = EXIF_MAKE  # the camera's make
    exif[0x0112] = 6  # orientation: the camera was turned; shown upright it is 90° round
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 31.0, 12.0), "E", (13.0, 24.0, 36.0)
    return exif


@functools.cache
def with_metadata(fmt: str) -> bytes:
    """A 96×64 image with EXIF (orientation 6, GPS, a camera), an ICC profile and, in a PNG,
    text chunks: shown upright it is 64×96."""
    buffer = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    extra: dict[str, Any] = {"exif": _exif(), "icc_profile": icc}
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", EXIF_MAKE)
        info.add_itxt("Location", "52.52 N 13.41 E")
        extra["pnginfo"] = info
    _picture().save(buffer, format=fmt, **extra)
    return buffer.getvalue()


@functools.cache
def over_memory_size() -> bytes:
    """A real PNG of pure noise, larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE``: Django keeps it in
    a temporary file while the request is read."""
    picture = Image.frombytes("RGB", (1000, 1000), random.Random(7).randbytes(3_000_000))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", compress_level=1)
    assert len(buffer.getvalue()) > DJANGO_MEMORY
    return buffer.getvalue()


def flipped(data: bytes, seed: int, bits: int = 12) -> bytes:
    """``data`` with ``bits`` bits flipped past its first 8 bytes (the format stays known)."""
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(bits):
        at = rng.randrange(8, len(out))
        out[at] ^= 1 << rng.randrange(8)
    return bytes(out)


# -- what to send ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Upload:
    label: str
    file: list[Part]  # the parts sent for the file field (made for its name)
    outcome: str  # "refused", "accepted", or "either" (a flipped bit may leave a good image)
    says: str = ""  # a refusal's page says this (a regular expression, case-insensitive)
    size: tuple[int, int] | None = None  # an accepted photo is stored this size (upright)
    extra: dict[str, Any] = field(default_factory=dict)  # WSGI environ: CONTENT_LENGTH, input
    beside: list[Part] = field(default_factory=list)  # parts sent with the form's own


NOT_A_PHOTO = r"isn.t a photo|can.t read|not an image"
TOO_MANY_PIXELS = r"too many pixels"
TOO_LARGE = r"too large|larger than"
INCOMPLETE = r"incomplete|garbled"
TOO_MANY_PARTS = r"more fields or files"


def not_photos(name: str) -> list[Upload]:
    jpeg, png = image_bytes("JPEG"), image_bytes("PNG")
    return [
        Upload("zero bytes", [file_part(name, b"")], "refused", r"empty"),
        Upload("no file name", [file_part(name, jpeg, b"")], "refused", r"choose a photo"),
        Upload("the field as text", [text_part(name, jpeg[:200])], "refused", r"choose a photo"),
        Upload("two files", [file_part(name, png), file_part(name, jpeg)], "accepted"),
        Upload("a PDF", [file_part(name, b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", b"a.pdf")], "refused", NOT_A_PHOTO),
        Upload("SVG", [file_part(name, b'<svg xmlns="http://www.w3.org/2000/svg"/>')], "refused", NOT_A_PHOTO),
        Upload("HTML named .jpg", [file_part(name, b"<script>alert(1)</script>")], "refused", NOT_A_PHOTO),
    ]  # fmt: skip


def cut_and_flipped(name: str) -> list[Upload]:
    cases = []
    for fmt in FORMATS:
        data = image_bytes(fmt)
        cases.append(Upload(f"{fmt}", [file_part(name, data)], "accepted", size=(96, 64)))
        for cut in (12, len(data) // 2, len(data) - 3):
            part = file_part(name, data[:cut])
            cases.append(Upload(f"{fmt} cut at {cut}", [part], "either", NOT_A_PHOTO))
        for seed in range(3):
            part = file_part(name, flipped(data, seed))
            cases.append(Upload(f"{fmt} bits flipped ({seed})", [part], "either", NOT_A_PHOTO))
    return cases


def pixels_frames_metadata(name: str) -> list[Upload]:
    cases = [
        Upload(label, [file_part(name, data)], "refused", TOO_MANY_PIXELS)
        for label, data in [
            ("PNG declaring 100000×100000", png_declaring(100_000, 100_000)),
            ("PNG declaring 7000×7000", png_declaring(7000, 7000)),
            ("JPEG declaring 65500×65500", jpeg_declaring(65_500, 65_500)),
            ("GIF declaring 65535×65535", gif_declaring(65_535, 65_535)),
            ("a real 64-megapixel PNG", real_bomb()),
        ]
    ]
    cases += [
        Upload("GIF of 400 frames", [file_part(name, animated("GIF", 400))], "accepted", size=(48, 32)),
        Upload("PNG of 300 frames", [file_part(name, animated("PNG", 300))], "accepted", size=(48, 32)),
    ]  # fmt: skip
    for fmt in ("JPEG", "PNG", "WEBP"):
        part = file_part(name, with_metadata(fmt))
        cases.append(Upload(f"{fmt} with EXIF, GPS, ICC", [part], "accepted", size=(64, 96)))
    return cases


def names_and_types(name: str) -> list[Upload]:
    jpeg, png = image_bytes("JPEG"), image_bytes("PNG")
    cases = [
        Upload(
            "PNG named .exe, sent as a program",
            [file_part(name, png, b"photo.exe", b"application/x-msdownload")],
            "accepted",
        ),
        Upload("JPEG named .png, sent as HTML", [file_part(name, jpeg, b"x.png", b"text/html")], "accepted"),
        Upload("GIF with no content type", [file_part(name, image_bytes("GIF"), b"a.gif", None)], "accepted"),
        Upload("a JPEG with a garbled content type", [file_part(name, jpeg, b"a.jpg", b"\xff/\xfe")], "accepted"),
    ]  # fmt: skip
    for label, filename in [
        ("NUL", b"a\x00b.jpg"),
        ("NUL escaped", b"a%00b.jpg"),
        ("NUL as an HTML entity", b"&#0;.jpg"),
        ("path traversal", b"../../../../etc/passwd"),
        ("Windows path traversal", b"..\\..\\..\\boot.ini"),
        ("only dots", b".."),
        ("non-UTF-8", b"\xff\xfe\xc0\xaf.jpg"),
        ("a lone surrogate", b"\xed\xa0\x80.jpg"),
        ("5000 characters", b"x" * 5000 + b".jpg"),
        ("a 300-character extension", b"photo." + b"j" * 300),
        ("a 200-character multibyte name", "é".encode() * 200 + b".jpg"),
    ]:
        cases.append(Upload(f"file name with {label}", [file_part(name, jpeg, filename)], "either"))
    encoded = b"Content-Disposition: form-data; name=\"%s\"; filename*=UTF-8''..%%2F..%%2Fa%%00.jpg"
    cases.append(
        Upload("RFC 5987 name, traversal and NUL", [(encoded % name.encode(), jpeg)], "either")
    )
    return cases


def sizes_and_connections(name: str) -> list[Upload]:
    jpeg, big = image_bytes("JPEG"), over_memory_size()
    long_ext = b"photo." + b"j" * 300
    return [
        Upload("over FILE_UPLOAD_MAX_MEMORY_SIZE", [file_part(name, big, b"big.png")], "accepted"),
        Upload("on disk, a 300-character extension", [file_part(name, big, long_ext)], "accepted"),
        Upload("on disk, a non-UTF-8 name", [file_part(name, big, b"\xff\xfe.png")], "either"),
        Upload(
            "over 10 MB",
            [file_part(name, jpeg + b"\x00" * (MAX_UPLOAD_BYTES + 1 - len(jpeg)))],
            "refused",
            TOO_LARGE,
        ),
        Upload(
            "a photo beside text over DATA_UPLOAD_MAX_MEMORY_SIZE",
            [file_part(name, jpeg)],
            "refused",
            TOO_LARGE,
            beside=[text_part("words", "w" * (DJANGO_MEMORY + 1))],
        ),
        Upload(
            "a photo beside 1001 fields",
            [file_part(name, jpeg)],
            "refused",
            TOO_MANY_PARTS,
            beside=[text_part(f"f{i}", "v") for i in range(1001)],
        ),
        Upload(
            "101 photos",
            [file_part(name, jpeg, f"{i}.jpg".encode()) for i in range(101)],
            "refused",
            TOO_MANY_PARTS,
        ),
        Upload("Content-Length past the body", [file_part(name, jpeg)], "refused", INCOMPLETE, extra={"short": 1}),
        Upload("the connection drops", [file_part(name, jpeg)], "refused", INCOMPLETE, extra={"dropped": 1}),
    ]  # fmt: skip


# What goes into a file field, given its name, in groups (one test each).
GROUPS = {
    "not photos": not_photos,
    "cut and flipped": cut_and_flipped,
    "pixels, frames, metadata": pixels_frames_metadata,
    "names and types": names_and_types,
    "sizes and connections": sizes_and_connections,
}


class DroppedConnection(io.BytesIO):
    """A request body whose connection drops once what came is read (a server that raises)."""

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        if not data and size != 0:
            raise OSError("Connection reset by peer")
        return data


# -- sending and judging ---------------------------------------------------------------------------
def _stored() -> dict[tuple[str, str], float]:
    found: dict[tuple[str, str], float] = {}
    for alias in STORES:
        storage = storages[alias]
        with_files: list[str] = [""]
        while with_files:
            folder = with_files.pop()
            try:
                folders, files = storage.listdir(folder)
            except FileNotFoundError:
                continue
            with_files += [f"{folder}/{sub}".lstrip("/") for sub in folders]
            for name in files:
                path = f"{folder}/{name}".lstrip("/")
                found[(alias, path)] = storage.get_modified_time(path).timestamp()
    return found


def jpeg_segments(data: bytes) -> set[int]:
    """The JPEG's segment markers, up to its image data."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    markers, at = {0xD8}, 2
    while at < len(data) - 3:
        assert data[at] == 0xFF, f"no segment at {at}"
        marker = data[at + 1]
        markers.add(marker)
        if marker == 0xDA:
            break
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
    return markers


def _errors(content: bytes) -> list[str]:
    """What a refusal says: a form's errors, or the 400 page's words."""
    page = content.decode("utf-8", "replace")
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    if REFUSED_PAGE.decode() in page:
        found += re.findall(r"<main>(.*?)</main>", page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", " ", text)).strip() for text in found]


@dataclass
class UploadSweep(Sweep):
    temp: Path = Path()  # FILE_UPLOAD_TEMP_DIR
    # What the last request did: wrote a row; files it added (and their bytes), or changed.
    wrote: bool = False
    new_files: dict[tuple[str, str], bytes] = field(default_factory=dict)
    changed: set[tuple[str, str]] = field(default_factory=set)

    def post(self, form: Form, parts: list[Part], label: str, **extra: Any) -> HttpResponseBase:
        """Send ``parts`` to the form in a savepoint that is rolled back; return the answer after
        checking what it wrote: rows, files kept, files left in the upload folder."""
        body = multipart(parts)
        if extra.pop("short", None):  # the server reads what came, and no more
            extra.update(CONTENT_LENGTH=str(len(body) + 4096), **{"wsgi.input": io.BytesIO(body)})
        if extra.pop("dropped", None):  # the server raises when it reads past what came
            extra.update(
                CONTENT_LENGTH=str(len(body) + 4096), **{"wsgi.input": DroppedConnection(body)}
            )
        cookies = copy.deepcopy(self.client.cookies)
        before = _stored()
        with transaction.atomic():
            response, watch = self.send(
                "POST", form.action, f"({label})", data=body, content_type=MULTIPART, **extra
            )
            self.wrote = bool(watch.tables)
            transaction.set_rollback(True)
        self.client.cookies = cookies
        cache.clear()
        after = _stored()
        self.changed = {key for key in before.keys() & after.keys() if after[key] != before[key]}
        self.new_files = {}
        for alias, path in sorted(after.keys() - before.keys()):
            # The rollback took the row back; the file goes too, once read.
            with storages[alias].open(path) as handle:
                self.new_files[(alias, path)] = handle.read()
            storages[alias].delete(path)
        if left := list(self.temp.iterdir()):
            self.problems.append(f"{form.action} ({label}) left {len(left)} in the upload folder")
        return response

    def judge(self, form: Form, upload: Upload, response: HttpResponseBase, sent: bytes) -> None:
        what = f"{form.action} ({upload.label}) → {response.status_code}"
        content: bytes = getattr(response, "content", b"")
        status = response.status_code
        if status >= 500:
            return  # Sweep.send noted it
        if status >= 400:
            if status != 400:
                self.problems.append(f"{what}: a refused upload answers 400")
            said = " ".join(_errors(content))
            if not said or not re.search(upload.says or r"\w", said, re.I):
                self.problems.append(f"{what}: no error says /{upload.says}/ ({said[:80]!r})")
            if self.new_files or self.changed:
                self.problems.append(f"{what}: refused, but kept {sorted(self.new_files)}")
            if upload.outcome == "accepted":
                self.problems.append(f"{what}: a good image was refused")
            return
        if upload.outcome == "refused":
            self.problems.append(f"{what}: accepted")
            return
        if len(self.new_files) != 1 or not self.wrote:
            self.problems.append(f"{what}: accepted, kept {len(self.new_files)} files")
            return
        ((_alias, path), kept), *_ = self.new_files.items()
        # a name of our own, nothing of the one sent: 18 random bytes in base64url, as JPEG (a
        # test for the sent name inside it would match by chance: "a.jpg" ends "…Ha.jpg")
        if not re.fullmatch(r"[A-Za-z0-9_-]{24}\.jpg", Path(path).name):
            self.problems.append(f"{what}: not stored under a random name ({path}, sent {sent!r})")
        try:
            segments = jpeg_segments(kept)
            with Image.open(io.BytesIO(kept)) as image:
                image.load()
                size, exif, info = image.size, image.getexif(), dict(image.info)
        except (AssertionError, OSError, struct.error) as exc:
            self.problems.append(f"{what}: stored something that is not a whole JPEG ({exc})")
            return
        extra_segments = {hex(m) for m in segments - CLEAN_JPEG_SEGMENTS}
        metadata = sorted({"exif", "icc_profile", "comment", "xmp"} & info.keys())
        if extra_segments or exif or metadata or EXIF_MAKE.encode() in kept:
            self.problems.append(f"{what}: metadata kept: {extra_segments} {metadata} {dict(exif)}")
        if upload.size and size != upload.size:
            self.problems.append(f"{what}: stored {size}, upright it is {upload.size}")


# -- the walk ------------------------------------------------------------------------------------
def _alice(world: World) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.alice)
    return client


def _seen(world: World) -> Seen:
    return crawl(_alice(world), "uploads:A", per_view=2)


def _upload_forms(seen: Seen) -> list[Form]:
    return [form for forms in seen.forms.values() for form in forms if form.files]


@pytest.fixture
def uploads(world: World, settings: Any, tmp_path: Path) -> tuple[UploadSweep, list[Form]]:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client = _alice(world)
    forms = _upload_forms(_seen(world))
    found = {resolve(form.action).view_name for form in forms}
    assert found >= EXPECTED_UPLOADS, f"upload forms not found: {EXPECTED_UPLOADS - found}"
    assert all(form.enctype == "multipart/form-data" for form in forms), (
        "an upload form without multipart"
    )
    return UploadSweep(client, temp=tmp_path), forms


@pytest.mark.parametrize("group", list(GROUPS))
def test_each_upload_form_refuses_a_bad_file_clearly_and_keeps_a_good_one_clean(
    uploads: tuple[UploadSweep, list[Form]], group: str
) -> None:
    sweep, forms = uploads
    sent = 0
    for form in forms:
        sweep.client.get(form.page)  # as a person would first
        for name in form.files:
            for upload in GROUPS[group](name):
                parts = form_parts(form) + upload.beside + upload.file
                response = sweep.post(form, parts, upload.label, **dict(upload.extra))
                names = re.findall(rb'filename="([^"]*)"', b"".join(h for h, _ in upload.file))
                sweep.judge(form, upload, response, names[-1] if names else b"")
                sent += 1
    fields = sum(len(form.files) for form in forms)
    fives = sum("→ 5" in problem for problem in sweep.problems)
    print(f"\n{group}: {sent} uploads to {len(forms)} forms, {fields} file fields, {fives} 5xx")
    assert sent >= len(GROUPS[group]("photo"))
    assert not sweep.problems, "\n".join(sweep.problems[:15])


RANDOM = fixed_examples(40)


def test_random_bytes_are_refused_clearly(uploads: tuple[UploadSweep, list[Form]]) -> None:
    sweep, forms = uploads

    @RANDOM
    @given(
        data=st.binary(max_size=4096),
        filename=st.binary(max_size=40).filter(
            lambda b: b'"' not in b and b"\r" not in b and b"\n" not in b
        ),
        content_type=st.sampled_from(
            [b"image/jpeg", b"image/png", b"application/octet-stream", b"\xff"]
        ),
    )
    def random_file(data: bytes, filename: bytes, content_type: bytes) -> None:
        for form in forms:
            for name in form.files:
                upload = Upload(
                    "random bytes", [file_part(name, data, filename, content_type)], "refused"
                )
                response = sweep.post(form, form_parts(form) + upload.file, f"random {data[:12]!r}")
                sweep.judge(form, upload, response, filename)

    random_file()
    fives = sum("→ 5" in problem for problem in sweep.problems)
    print(f"\nrandom files: {sweep.count} requests to {len(forms)} upload forms, {fives} 5xx")
    assert sweep.count >= 40
    assert not sweep.problems, "\n".join(sweep.problems[:15])


# -- broken multipart bodies on every POST route ---------------------------------------------------
def broken_bodies(form: Form | None) -> Iterator[tuple[str, bytes, str, dict[str, Any], bool]]:
    """(label, body, content type, WSGI environ, whether the 400 page must answer it). The
    route's form, when a page shows one, is what the body carries; else one text field."""
    parts = form_parts(form) if form and form.values else [text_part("text", "Words")]
    whole = multipart(parts)
    yield "no boundary", whole, "multipart/form-data", {}, True
    yield "empty boundary", whole, "multipart/form-data; boundary=", {}, True
    yield "boundary over 70", whole, "multipart/form-data; boundary=" + "b" * 300, {}, True
    yield "another boundary", multipart(parts, "another-one"), MULTIPART, {}, True
    yield "cut in the middle", whole[: len(whole) // 2], MULTIPART, {}, True
    yield "no closing boundary", multipart(parts, close=False), MULTIPART, {}, True
    yield "only a boundary", f"--{BOUNDARY}\r\n".encode(), MULTIPART, {}, True
    many = [text_part(f"f{i}", "v") for i in range(FEWER_FIELDS + 1)]
    yield f"{FEWER_FIELDS + 1} fields", multipart(many), MULTIPART, {}, True
    files = [file_part(f"f{i}", b"v", b"v.txt", b"text/plain") for i in range(FEWER_FILES + 1)]
    yield f"{FEWER_FILES + 1} files", multipart(files), MULTIPART, {}, True
    huge_head = text_part("n" * 2000, "v")
    yield "a part's headers over 1 KB", multipart([*parts, huge_head]), MULTIPART, {}, True
    short = {"CONTENT_LENGTH": str(len(whole) + 100), "wsgi.input": io.BytesIO(whole)}
    yield "Content-Length past the body", whole, MULTIPART, short, True
    dropped = {"CONTENT_LENGTH": str(len(whole) + 100), "wsgi.input": DroppedConnection(whole)}
    yield "the connection drops", whole, MULTIPART, dropped, True
    urlencoded = b"text=Words&title=Words"
    cut = {"CONTENT_LENGTH": "4000", "wsgi.input": io.BytesIO(urlencoded)}
    yield (
        "a form, Content-Length past it",
        urlencoded,
        "application/x-www-form-urlencoded",
        cut,
        True,
    )
    # Whole bodies with odd parts among the form's: the page answers as it answers its form.
    odd = [
        (b'Content-Disposition: form-data; filename="a.jpg"', image_bytes("JPEG")),  # no name
        (b"Content-Disposition: \xff\xfe\x00; name=\x00", b"x"),
        (b"no colon at all", b"x"),
        (b'Content-Disposition: form-data; name="a"\r\nContent-Type: \xff/\x00', b"x"),
        (b'Content-Transfer-Encoding: base64\r\nContent-Disposition: form-data; name="b"', b"!!"),
        (b'Content-Disposition: form-data; name="\xff\xfe"', b"\xff\xfe"),
    ]
    yield "parts with no name, garbled headers", multipart([*parts, *odd]), MULTIPART, {}, False
    yield "the form as multipart", whole, MULTIPART, {}, False


def _post_routes(seen: Seen) -> list[tuple[str, Form | None]]:
    """Every route's address with Alice's real ids, with the form a page shows for it."""
    found: list[tuple[str, Form | None]] = []
    for route in ROUTES:
        forms = seen.forms.get(route.name, [])
        path = forms[0].action if forms else route_path(route, route_args(route, seen))
        found.append((path, forms[0] if forms else None))
    return found


# Django's limits, lowered for the sweep over every route (its parser takes about a tenth of a
# millisecond a part); the upload forms are sent past the real ones (``upload_cases``).
FEWER_FIELDS, FEWER_FILES = 100, 10


def test_every_post_route_refuses_a_broken_multipart_body_whole(
    world: World, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = FEWER_FIELDS
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = FEWER_FILES
    client = _alice(world)
    seen = _seen(world)
    routes = _post_routes(seen)
    sweep = Sweep(client)
    unanswered: list[str] = []
    kinds: set[str] = set()
    for path, form in routes:
        for label, body, content_type, extra, whole_page in broken_bodies(form):
            if not whole_page and form is None:
                continue  # a whole body reaches the view: only where a page shows a form
            kinds.add(label)
            cookies = copy.deepcopy(client.cookies)
            with transaction.atomic():
                response, _ = sweep.send(
                    "POST", path, f"({label})", data=body, content_type=content_type, **extra
                )
                transaction.set_rollback(True)
            client.cookies = cookies
            cache.clear()
            content: bytes = getattr(response, "content", b"")
            if whole_page and (response.status_code != 400 or REFUSED_PAGE not in content):
                unanswered.append(f"{path} ({label}) → {response.status_code}")
    with_forms = sum(form is not None for _, form in routes)
    fives = sum("→ 5" in problem for problem in sweep.problems)
    print(
        f"\nbroken bodies: {len(routes)} routes ({with_forms} with a form), {len(kinds)} kinds, "
        f"{sweep.count} requests, {fives} 5xx, {len(unanswered)} not refused whole"
    )
    assert len(routes) == len(ROUTES) and sum(form is not None for _, form in routes) > 40
    assert not sweep.problems, "\n".join(sweep.problems[:15])
    assert not unanswered, "not refused with the 400 page:\n" + "\n".join(unanswered[:15])


def test_the_400_page_answers_before_the_csrf_check_and_a_good_upload_passes_it(
    world: World,
) -> None:
    """In production the CSRF check reads the form first; the body is read once, before it."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(world.alice)
    memory = world.objects["memory_private"]
    page = client.get(f"/plans/memories/{memory.pk}/")
    token = client.cookies["csrftoken"].value
    action = f"/plans/memories/{memory.pk}/photo/"
    broken = client.generic(
        "POST", action, multipart([file_part("photo", image_bytes("JPEG"))])[:300],
        MULTIPART, headers={"X-CSRFToken": token},
    )  # fmt: skip
    assert broken.status_code == 400 and REFUSED_PAGE in broken.content
    assert b"incomplete" in broken.content
    good = [text_part("csrfmiddlewaretoken", token), file_part("photo", image_bytes("JPEG"))]
    answer = client.generic("POST", action, multipart(good), MULTIPART)
    assert page.status_code == 200 and answer.status_code == 302
    forged = client.generic("POST", action, multipart(good[1:]), MULTIPART)
    assert forged.status_code == 403


class UnreadBody(io.BytesIO):
    """A body that must not be read: the server refuses it by its declared length alone."""

    def read(self, size: int | None = -1) -> bytes:
        raise AssertionError("a body over REQUEST_MAX_BYTES was read")

    readline = read


def test_a_body_larger_than_any_form_takes_is_refused_unread_on_every_route(
    world: World, settings: Any
) -> None:
    """A 200 MB upload was spooled to disk before the photo form refused it at 10 MB."""
    client = _alice(world)
    sweep = Sweep(client)
    routes = _post_routes(_seen(world))
    for declared in (settings.REQUEST_MAX_BYTES + 1, 200 * 1024 * 1024):
        for path, _form in routes:
            environ: dict[str, Any] = {"CONTENT_LENGTH": str(declared), "wsgi.input": UnreadBody()}
            response, _ = sweep.send(
                "POST", path, f"(declares {declared} bytes)", data=b"", content_type=MULTIPART,
                **environ,
            )  # fmt: skip
            content: bytes = getattr(response, "content", b"")
            assert response.status_code == 413, path
            assert REFUSED_PAGE in content and b"larger than" in content
    assert not sweep.problems, "\n".join(sweep.problems[:15])
    assert sweep.count == 2 * len(routes) > 100
    # the largest body a form takes still reaches it: a photo just under 10 MB, with its words
    memory = world.objects["memory_private"]
    jpeg = image_bytes("JPEG")
    body = multipart([file_part("photo", jpeg + b"\x00" * (MAX_UPLOAD_BYTES - len(jpeg)))])
    assert len(body) <= settings.REQUEST_MAX_BYTES
    answer = client.generic("POST", f"/plans/memories/{memory.pk}/photo/", body, MULTIPART)
    assert answer.status_code == 302  # kept: the zeros after the image are not part of it
