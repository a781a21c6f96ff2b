"""Build a person's export: everything they wrote, as JSON and CSV in one zip.

Personal records (every subclass of ``PersonalRecord``) are found automatically; other personal
data registers an exporter with :func:`register_exporter`. Only rows the person authored (or that
are about them alone) are included; never the partner's.

Times say no more than the pages do. A moment is exact (to the microsecond, in UTC) only when it
is the person's own act: the creation of what they wrote, every time on a record that only they
can see (its creation and last change), and the fields an exporter names as theirs (``own_times``). Any other moment (when the
partner answered, confirmed or closed something of theirs, when a notice, email or push about
someone else's act was made, when a professional looked) becomes the day it fell on in the
person's time zone, as the pages show it. A new time field is a day until someone names it as the
person's own: an export never tells the partner's clock by default.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Model

from counterpoint.privacy.kept import in_order, kept_rows, sections_kept_in_order
from counterpoint.privacy.spreadsheet import spreadsheet_text

if TYPE_CHECKING:
    from counterpoint.accounts.models import User


Row = dict[str, Any]
Exporter = Callable[["User"], Iterable[Row]]

_EXPORTERS: dict[str, Exporter] = {}
_OWN_TIMES: dict[str, frozenset[str]] = {}
FileExporter = Callable[["User"], Iterable[tuple[str, bytes]]]
_FILE_EXPORTERS: dict[str, FileExporter] = {}

FORMAT_NOTE = """Counterpoint export
===================

This archive holds everything you wrote in Counterpoint, and nothing your partner wrote.

* manifest.json    what is in the archive, when it was made, format version
* <name>.json      one file per kind of data: a JSON array of objects
* <name>.csv       the same rows as CSV (UTF-8, header row, ISO-8601 dates and times)
* photos/          the photos you uploaded to memories (memory-<id>.jpg), as stored

Columns: `id` is the record's number (drawn at random: it says nothing of other records);
`visibility` is one of private / partner / couple; `couple` is the number of the couple you were
in when you wrote it (empty when single).

Times: what you did yourself is given to the microsecond, in UTC
(2026-05-01T18:30:12.345678+00:00): when you wrote something, when you last changed what only you
can see, your sign-ins and answers. A moment that may be someone else's (your partner answering
or confirming, a message sent because of what they did, a professional opening your overview) is
given as the day, in your time zone (2026-05-01), as the pages show it.

What you wrote on someone else's item (a response to their win, a cheer on their goal, your
answer to a plan) is yours: if they delete the item, or their account, your words stay here, as
they were.

In the CSV files, text that begins with =, +, - or @ starts with an apostrophe ('), so that a
spreadsheet shows it as text instead of running it as a formula; the JSON files hold it as written.
"""

EXPORT_FORMAT_VERSION = 1

# Never exported, whatever model carries them: anything that opens an account or replays a form.
# (Session keys, password hashes, invitation and password-reset tokens, double-submission tokens.)
SECRET_FIELDS = frozenset(
    {
        "password",
        "session_key",
        "session_generation",
        "token",
        "code",
        "submission",
        "submission_key",
        "idempotency_key",
        "secret",
    }
)


def register_exporter(name: str, exporter: Exporter, *, own_times: Iterable[str] = ()) -> None:
    """Add a kind of personal data that is not a ``PersonalRecord`` to every export.

    ``own_times`` names the time fields that are always the person's own acts (their sign-ins,
    when they answered); they stay exact. Every other time in these rows becomes a day.
    """
    _EXPORTERS[name] = exporter
    _OWN_TIMES[name] = frozenset(own_times)


def register_file_exporter(name: str, exporter: FileExporter) -> None:
    """Add files (e.g. photos the person uploaded) to every export, under ``<name>/``."""
    _FILE_EXPORTERS[name] = exporter


def _plain(value: Any, *, exact: bool = True, zone: dt.tzinfo = dt.UTC) -> Any:
    if isinstance(value, dt.datetime) and not exact:
        return value.astimezone(zone).date().isoformat()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    return value


def model_rows(queryset: Iterable[Model]) -> list[Row]:
    """Every field of every row but the secret ones, as stored (the export makes them plain)."""
    rows = []
    for obj in queryset:
        row: Row = {}
        for field in obj._meta.concrete_fields:
            if field.name in SECRET_FIELDS:
                continue
            row[field.name] = getattr(obj, field.attname)
        rows.append(row)
    return rows


def _plain_row(row: Row, *, own: frozenset[str], zone: dt.tzinfo) -> Row:
    """The row with every value plain; a time is exact only when ``own`` names its field."""
    return {
        k: _plain(v, exact=k in own, zone=zone) for k, v in row.items() if k not in SECRET_FIELDS
    }


def _csv_text(rows: list[Row]) -> str:
    buffer = io.StringIO()
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(v) for k, v in row.items()})
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, str):
        return spreadsheet_text(value)
    return value


def record_section(model: type[Model]) -> str:
    """The export section (file name) of a kind of personal record."""
    return f"{model._meta.app_label}_{model._meta.model_name}"


def export_sections(user: User) -> dict[str, list[Row]]:
    from counterpoint.privacy.access import personal_record_models
    from counterpoint.privacy.models import Visibility

    zone = user.tzinfo
    orders = sections_kept_in_order()

    def with_kept(name: str, rows: Iterable[Row]) -> list[Row]:
        # What the person wrote on items others deleted since (privacy.kept), in its place.
        if name not in orders:
            return list(rows)
        return in_order([*rows, *kept_rows(user, name)], orders[name])

    sections: dict[str, list[Row]] = {}
    for model in personal_record_models():
        name = record_section(model)
        rows = with_kept(
            name,
            model_rows(model._default_manager.filter(author=user).order_by("created_at", "pk")),
        )
        # Writing it is the person's act, and so is the last change of a record only they have
        # ever been able to see. Any other moment may be the partner's: they answer, confirm or
        # close what was shared with them, and a record made private again keeps what they did
        # while it was shared, its last change included ("make it private again" leaves
        # ``updated_at`` alone). Only a record written while single (no couple) was never
        # shared: sharing ties a record to a couple.
        sections[name] = [
            _plain_row(
                row,
                own=_WRITTEN_ALONE
                if row.get("visibility") == Visibility.PRIVATE and row.get("couple") is None
                else _WRITTEN,
                zone=zone,
            )
            for row in rows
        ]
    for name, exporter in sorted(_EXPORTERS.items()):
        own = _OWN_TIMES.get(name, frozenset())
        sections[name] = [
            _plain_row(row, own=own, zone=zone) for row in with_kept(name, exporter(user))
        ]
    return sections


_WRITTEN = frozenset({"created_at"})
_WRITTEN_ALONE = frozenset({"created_at", "updated_at"})


def export_zip(user: User, *, now: dt.datetime) -> bytes:
    sections = export_sections(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", FORMAT_NOTE)
        manifest = {
            "format_version": EXPORT_FORMAT_VERSION,
            "exported_at": now.isoformat(),
            "account": user.email,
            "files": {name: len(rows) for name, rows in sections.items()},
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        for name, rows in sections.items():
            archive.writestr(f"{name}.json", json.dumps(rows, indent=2, ensure_ascii=False))
            archive.writestr(f"{name}.csv", _csv_text(rows))
        for folder, exporter in sorted(_FILE_EXPORTERS.items()):
            for filename, data in exporter(user):
                archive.writestr(f"{folder}/{filename}", data)
    return buffer.getvalue()
