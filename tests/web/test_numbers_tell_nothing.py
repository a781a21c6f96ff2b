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
import re
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
from counterpoint.professionals import services as professionals
from counterpoint.research.models import Prompt
from tests.factories import make_couple, make_user
from tests.web.conftest import World
from tests.web.research.study_world import enrol, make_researcher, make_study

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


def _pair(n: int) -> tuple[User, User]:
    a, b = make_user(f"a{n}@example.org", f"A{n}"), make_user(f"b{n}@example.org", f"B{n}")
    make_couple(a, b)
    return a, b


def _professional(email: str, name: str) -> User:
    pro = make_user(email, name)
    professionals.profile_save(user=pro, name=name, practice="Practice", contact=email)
    return pro


def test_alices_care_link_numbers_do_not_count_the_professionals_other_clients(db: None) -> None:
    """Her couple's page addresses each professional link (``/couple/professionals/<n>/grant/``).
    Numbered in turn, the gap between two links told her how many other couples linked a
    professional meanwhile: when the professional is her partner's colleague, or her partner,
    how many clients they took on."""
    alice, _bob = _pair(0)
    terry, pat = _professional("terry@example.org", "Terry"), _professional("pat@x.org", "Pat")
    professionals.link_invite(user=alice, email_or_code=terry.email)
    for n in range(1, 4):  # three other couples become Terry's clients
        other, _ = _pair(n)
        professionals.link_invite(user=other, email_or_code=terry.email)
    professionals.link_invite(user=alice, email_or_code=pat.email)
    client = Client()
    client.force_login(alice)
    page = client.get(reverse("professionals:couple")).content.decode()
    numbers = sorted({int(n) for n in re.findall(r"/couple/professionals/(\d+)/grant/", page)})
    assert len(numbers) == 2, page[:2000]
    assert numbers[1] - numbers[0] != 4  # in turn: the other couples' three links and one
    assert numbers[1] - numbers[0] > 1_000_000, numbers


def test_study_numbers_do_not_count_others_studies_or_participants(db: None) -> None:
    """A participant's studies, participations (``/research/mine/<n>/withdraw/``) and prompts
    (``/research/prompts/<n>/``), and a researcher's studies (``/research/studies/<n>/``), were
    numbered in turn: the gaps counted the studies other researchers made and the couples that
    took part meanwhile (a partner who is a researcher on the same installation included)."""
    rita, sam = make_researcher("rita@x.org", "Rita"), make_researcher("sam@x.org", "Sam")
    alice, bob = _pair(0)
    first = make_study(rita)
    others = [make_study(sam) for _ in range(3)]
    second = make_study(rita)
    assert second.pk - first.pk != 4  # in turn: Sam's three studies and one
    assert abs(second.pk - first.pk) > 1_000_000, (first.pk, second.pk)

    mine_first, _ = enrol(first, alice, bob)
    for n, study in enumerate(others, start=1):  # three more couples take part meanwhile
        enrol(study, *_pair(n))
    mine_second, _ = enrol(second, alice, bob)
    gap = mine_second.pk - mine_first.pk
    assert gap != 8  # in turn: Bob's, the six others', and one
    assert abs(gap) > 1_000_000, (mine_first.pk, mine_second.pk)

    prompts = list(Prompt.objects.filter(participant=mine_first).order_by("scheduled_at"))
    assert len(prompts) == 42  # 14 days, three a day: made at once (bulk_create)
    steps = {b.pk - a.pk for a, b in itertools.pairwise(prompts)}
    assert steps != {1}, steps  # in turn: one after another, with every other couple's after
    assert all(0 < p.pk < 2**53 for p in prompts)
    client = Client()
    client.force_login(alice)
    page = client.get(reverse("research:mine")).content.decode()
    shown = {int(n) for n in re.findall(r"/research/mine/(\d+)/withdraw/", page)}
    assert shown == {mine_first.pk, mine_second.pk}
