"""The numbers in addresses and exports tell nobody how many private things anyone wrote.

Every record's number is in the address of its page (``/journal/<number>/``), in JSON and in the
export's ``id`` column. Numbered one after another across everyone, the gap between two of Alice's
own entries was the number of entries others wrote in between: on a household installation, the
number of private entries her partner wrote that afternoon. Personal records are numbered at
random instead, so the gap says nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import uuid
import zipfile

from django.test import Client
from django.urls import resolve, reverse

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send
from counterpoint.checkins.reminders import reminders_send
from counterpoint.checkins.services import checkin_settings_update
from counterpoint.journal.models import JournalEntry
from counterpoint.practices.goals.models import Goal
from tests.factories import make_couple, make_user
from tests.web.conftest import World

PASSWORD = "a long and careful passphrase"


def _journal(client: Client, body: str, visibility: str = "private") -> int:
    response = client.post(
        reverse("journal:new"),
        {"title": "", "body": body, "visibility": visibility, "submission_key": uuid.uuid4().hex},
    )
    assert response.status_code == 302
    return int(resolve(response["Location"]).kwargs["pk"])  # the number Alice sees


def _goal(client: Client, title: str) -> int:
    response = client.post(
        reverse("goals:new"),
        {"title": title, "why": "", "visibility": "private", "submission_key": uuid.uuid4().hex},
    )
    assert response.status_code == 302, response.content[:500]
    return Goal.objects.get(title=title).pk


def test_the_gap_between_alices_entries_does_not_count_bobs_private_ones(world: World) -> None:
    alice, bob = world.client_for("A"), world.client_for("B")
    gaps = []
    for bobs in range(4):
        first = _journal(alice, f"before {bobs}")
        for n in range(bobs):
            _journal(bob, f"Bob's own {bobs}.{n}")
        second = _journal(alice, f"after {bobs}")
        gaps.append(second - first)
    # numbered in turn, the gaps were 1, 2, 3, 4: Bob's private entries plus one
    assert gaps != [1, 2, 3, 4]
    assert all(abs(gap) > 1_000_000 for gap in gaps), gaps


def test_every_kind_of_personal_record_is_numbered_at_random(world: World) -> None:
    alice = world.client_for("A")
    entries = [_journal(alice, f"entry {n}") for n in range(3)]
    goals = [_goal(alice, f"goal {n}") for n in range(3)]
    for numbers in (entries, goals):
        steps = {b - a for a, b in itertools.pairwise(numbers)}
        assert steps != {1}, numbers
        assert all(0 < n < 2**53 for n in numbers)  # a JavaScript number holds it exactly
    assert JournalEntry.objects.filter(pk__in=entries).count() == 3


def test_alices_notice_numbers_do_not_tell_whether_bob_was_reminded(db: None) -> None:
    """A check-in reminder is a notice to Bob on a day he has not checked in by his reminder time;
    numbered in turn, the gap between two of Alice's notices told her whether he had, even while
    he shares nothing of his check-ins."""
    alice, bob = make_user("ana@example.org", "Ana"), make_user("ben@example.org", "Ben")
    make_couple(alice, bob)
    checkin_settings_update(user=bob, values={"reminder_time": dt.time(0, 0)})
    notice_send(recipient=alice, kind="test", message="one", link="/")
    assert reminders_send() == 1  # Bob has not checked in today: reminded
    notice_send(recipient=alice, kind="test", message="two", link="/")
    client = Client()
    client.force_login(alice)
    rows = client.get(reverse("activity:feed_json")).json()["notices"]
    ids = [row["id"] for row in rows if row["message"] in ("one", "two")]
    assert len(ids) == 2
    assert abs(ids[0] - ids[1]) > 1_000_000, ids


def test_the_sign_in_numbers_in_alices_export_do_not_count_bobs(world: World) -> None:
    for person in (world.alice, world.bob):
        person.set_password(PASSWORD)
        person.save()
    _sign_in(Client(), world.alice)  # her phone
    for _ in range(3):
        _sign_in(Client(), world.bob)
    alice = Client()  # her laptop
    _sign_in(alice, world.alice)
    response = alice.get(reverse("accounts:export"))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        rows = json.loads(archive.read("sign_ins.json"))
    ids = sorted(row["id"] for row in rows)
    assert len(ids) == 2
    assert ids[1] - ids[0] != 4  # in turn: Bob's three sign-ins and one
    assert ids[1] - ids[0] > 1_000_000, ids


def _sign_in(client: Client, user: User) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
