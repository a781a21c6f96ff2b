"""The named people every web test uses.

Alice (A) and Bob (B) are a couple. Carol (C) is in another couple, with Dave. Terry (T) is a
therapist without consent — for now a plain user. Each test gets them fresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db.models import QuerySet
from django.test import Client

from counterpoint.accounts.models import User
from counterpoint.activity.models import Notice
from counterpoint.couples.models import Couple
from counterpoint.demo import DemoCouple, demo_create
from counterpoint.privacy.models import Visibility
from tests.factories import make_couple, make_journal, make_user

ALICE_PRIVATE_MARKER = "ALICE-PRIVATE-7f3a9c"
ALICE_SHARED_MARKER = "ALICE-SHARED-2b8d41"
BOB_PRIVATE_MARKER = "BOB-PRIVATE-c0ffee"


@dataclass
class World:
    alice: User
    bob: User
    carol: User
    dave: User
    terry: User
    couple: Couple
    other_couple: Couple
    objects: dict[str, Any] = field(default_factory=dict)

    def new_notices(self) -> QuerySet[Notice]:
        """Notices sent after the world was made (making it, as people do, sends some)."""
        # notices are numbered at random (counterpoint.numbers): not "numbers above"
        return Notice.objects.exclude(pk__in=list(self.objects.get("notices_before", {})))

    def person(self, key: str) -> User | None:
        named = {"A": self.alice, "B": self.bob, "C": self.carol, "T": self.terry, "anon": None}
        if key in named:
            return named[key]
        return self.objects[f"person:{key}"]  # people a feature adds (e.g. professionals)

    def client_for(self, key: str) -> Client:
        client = Client()
        user = self.person(key)
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def world(db: None) -> World:
    """Built once per test process and restored per test (tests/web/snapshot.py)."""
    from tests.web.snapshot import restored

    return restored(build_world)


def build_world() -> World:
    """Everyone and everything, made through forms' services as people make them."""
    alice = make_user("alice@example.org", "Alice")
    bob = make_user("bob@example.org", "Bob")
    carol = make_user("carol@example.org", "Carol")
    dave = make_user("dave@example.org", "Dave")
    terry = make_user("terry@example.org", "Terry")
    couple = make_couple(alice, bob)
    other = make_couple(carol, dave)
    w = World(alice, bob, carol, dave, terry, couple, other)
    w.objects["alice_private"] = make_journal(
        alice, f"{ALICE_PRIVATE_MARKER} only for me", visibility=Visibility.PRIVATE, couple=couple
    )
    w.objects["alice_shared"] = make_journal(
        alice, f"{ALICE_SHARED_MARKER} for Bob", visibility=Visibility.PARTNER, couple=couple
    )
    w.objects["bob_private"] = make_journal(
        bob, f"{BOB_PRIVATE_MARKER} mine", visibility=Visibility.PRIVATE, couple=couple
    )
    from tests.web.access_cases import all_cases

    all_cases()  # every app's seeder joins, whichever test file runs alone
    for seed in WORLD_SEEDERS:
        seed(w)
    w.objects["notices_before"] = dict.fromkeys(Notice.objects.values_list("pk", flat=True), True)
    return w


def build_demo() -> DemoCouple:
    """Alex and Sam with their months of history, as ``manage.py demo`` makes them."""
    made = demo_create()
    assert made is not None
    return made


@pytest.fixture
def demo(db: None) -> DemoCouple:
    """The demo couple, built once per test process and restored per test (tests/web/snapshot.py)."""
    from tests.web.snapshot import restored

    return restored(build_demo)


def build_demo_checkins() -> DemoCouple:
    """Alex and Sam paired, with only the demo's check-ins (what the insights are computed from)."""
    from django.utils import timezone

    from counterpoint.checkins.demo import seed_demo_checkins

    alex = make_user("alex@example.org", "Alex")
    sam = make_user("sam@example.org", "Sam")
    d = DemoCouple(alex=alex, sam=sam, couple=make_couple(alex, sam), start=timezone.now())
    seed_demo_checkins(d)
    return d


# Later features add their own records to the world (tests/web/access_cases/<app>.py append here).
WORLD_SEEDERS: list[Any] = []


@pytest.fixture
def alice_client(world: World) -> Client:
    return world.client_for("A")


@pytest.fixture
def bob_client(world: World) -> Client:
    return world.client_for("B")


@pytest.fixture
def carol_client(world: World) -> Client:
    return world.client_for("C")
