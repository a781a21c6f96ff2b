"""When the database cannot answer, the person gets a 503 that says so, not a bug report.

The database here really refuses: on PostgreSQL another connection holds the journal table's lock
past the request's lock timeout; on SQLite the connection is made read-only. Either way Django
raises ``OperationalError``; the answer is a 503 with Retry-After that says nothing was half-saved,
nothing changed, and sending the same form again once the database answers saves it once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.services import account_signup
from counterpoint.journal.models import JournalEntry
from counterpoint.pages.errors import RETRY_AFTER_SECONDS

pytestmark = pytest.mark.django_db


@contextmanager
def database_refusing_writes() -> Iterator[None]:
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.get_connection_params()
        with psycopg.connect(**params) as other:
            other.execute(f"LOCK TABLE {JournalEntry._meta.db_table} IN ACCESS EXCLUSIVE MODE")
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '300ms'")
            try:
                yield
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("SET lock_timeout = 0")
                other.rollback()
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = ON")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = OFF")


def test_a_write_the_database_refuses_is_a_503_and_the_same_form_later_saves_once() -> None:
    person = account_signup(email="busy@example.com", password="x" * 12, display_name="B")
    client = Client(raise_request_exception=False)
    client.force_login(person)
    html = client.get(reverse("journal:new")).content.decode()
    found = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert found
    form = {"title": "", "body": "Written while the server was busy.", "visibility": "private"}
    form["submission_key"] = found.group(1)

    with database_refusing_writes():
        refused = client.post(reverse("journal:new"), form)
    assert refused.status_code == 503
    assert refused["Retry-After"] == str(RETRY_AFTER_SECONDS)
    text = refused.content.decode()
    assert "busy for a moment" in text and "saved completely or not at all" in text
    assert not JournalEntry.objects.filter(author=person).exists()

    # the database answers again: the same form (same key) saves it, and again changes nothing
    assert client.post(reverse("journal:new"), form).status_code == 302
    assert client.post(reverse("journal:new"), form).status_code == 302
    assert list(JournalEntry.objects.filter(author=person).values_list("body", flat=True)) == [
        form["body"]
    ]


def test_any_other_failure_is_still_a_500() -> None:
    from counterpoint.pages.errors import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(None)  # type: ignore[arg-type]
    assert response.status_code == 500 and not response.has_header("Retry-After")
