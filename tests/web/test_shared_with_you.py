"""An item one partner shared reads, on the other partner's side, as "Shared with you"; its author
keeps "Shared with my partner"."""

from __future__ import annotations

import html

from django.test import Client
from django.urls import reverse

import tests.web.access_cases.together  # noqa: F401  (adds this feature's records to the world)
from counterpoint.journal.models import JournalEntry
from counterpoint.practices.goals.services import goal_create
from counterpoint.practices.moments.models import Moment
from tests.web.conftest import World


def _page(client: Client, url: str) -> str:
    return html.unescape(client.get(url).content.decode())


def _write_shared_entry(world: World) -> JournalEntry:
    alice = world.client_for("A")
    alice.get(reverse("journal:new"))
    response = alice.post(
        reverse("journal:new"),
        {
            "title": "Sunday walk",
            "body": "I loved it",
            "visibility": "partner",
            "submission_key": "w",
        },
    )
    assert response.status_code == 302
    return JournalEntry.objects.get(title="Sunday walk")


def test_partner_reads_a_shared_journal_entry_as_shared_with_them(world: World) -> None:
    entry = _write_shared_entry(world)
    bob = world.client_for("B")
    for url in (reverse("journal:detail", args=[entry.pk]), reverse("journal:list")):
        page = _page(bob, url)
        assert "Shared with you" in page
        assert "Shared with my partner" not in page


def test_author_keeps_their_own_wording_for_a_shared_entry(world: World) -> None:
    entry = _write_shared_entry(world)
    page = _page(world.client_for("A"), reverse("journal:detail", args=[entry.pk]))
    assert "Shared with my partner" in page
    assert "Shared with you" not in page


def test_partner_reads_a_shared_goal_and_win_as_shared_with_them(world: World) -> None:
    goal, _ = goal_create(user=world.alice, title="Learn the cello", why="", visibility="partner")
    alice = world.client_for("A")
    alice.get(reverse("moments:new"))
    alice.post(
        reverse("moments:new"),
        {
            "kind": "win",
            "text": "Finished the quilt",
            "visibility": "partner",
            "submission_key": "m",
        },
    )
    moment = Moment.objects.get(text="Finished the quilt")
    bob = world.client_for("B")
    for url in (
        reverse("goals:detail", args=[goal.pk]),
        reverse("goals:list"),
        reverse("moments:detail", args=[moment.pk]),
    ):
        assert "Shared with you" in _page(bob, url), url
    assert "Shared with you" not in _page(alice, reverse("goals:detail", args=[goal.pk]))
