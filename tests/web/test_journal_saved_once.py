"""A journal entry form sent twice (a retry after a dropped connection) saves one entry."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.services import account_signup
from counterpoint.journal.models import JournalEntry

pytestmark = pytest.mark.django_db


def _key(client: Client) -> str:
    html = client.get(reverse("journal:new")).content.decode()
    found = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert found, "the new-entry form carries a submission key"
    return found.group(1)


def test_the_same_form_sent_twice_saves_one_entry() -> None:
    person = account_signup(email="j@example.com", password="x" * 12, display_name="J")
    client = Client()
    client.force_login(person)
    form = {"title": "", "body": "Sent on a shaky train.", "visibility": "private"}
    form["submission_key"] = _key(client)
    first = client.post(reverse("journal:new"), form)
    again = client.post(reverse("journal:new"), form)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert JournalEntry.objects.filter(author=person).count() == 1
    # a fresh form (a new key) with the same words is a new entry: two entries can be meant
    form["submission_key"] = _key(client)
    client.post(reverse("journal:new"), form)
    assert JournalEntry.objects.filter(author=person).count() == 2


def test_a_key_someone_else_used_is_a_fresh_entry_for_this_person() -> None:
    one = account_signup(email="one@example.com", password="x" * 12, display_name="One")
    two = account_signup(email="two@example.com", password="x" * 12, display_name="Two")
    form = {"title": "", "body": "Mine.", "visibility": "private", "submission_key": "shared-k3y"}
    for person in (one, two):
        client = Client()
        client.force_login(person)
        assert client.post(reverse("journal:new"), form).status_code == 302
    assert JournalEntry.objects.filter(author=one).count() == 1
    assert JournalEntry.objects.filter(author=two).count() == 1
