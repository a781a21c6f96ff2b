"""Shared decisions: blind entry, reveal only when both have entered, the joint decision, revisiting."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core import mail
from django.urls import reverse

import tests.web.access_cases.together  # noqa: F401  (adds this feature's records to the world)
from counterpoint.practices.decisions.models import Decision, DecisionOutcome, DecisionView
from tests.factories import make_couple, make_user
from tests.web.conftest import ALICE_PRIVATE_MARKER, World

VIEW = {"preference": "the coast", "reasons": "quiet and sea", "importance": "3"}


def _new_decision(client, title: str = "Which sofa") -> Decision:
    client.get(reverse("decisions:new"))
    response = client.post(reverse("decisions:new"), {"title": title, "submission_key": "k1"})
    assert response.status_code == 302
    return Decision.objects.get(title=title)


def _export_text(client) -> str:
    response = client.get(reverse("accounts:export"))
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return "\n".join(
            archive.read(n).decode() for n in archive.namelist() if not n.startswith("photos/")
        )


def test_it_starts_a_decision_and_asks_the_partner(
    world: World, django_capture_on_commit_callbacks
) -> None:
    alice = world.client_for("A")
    with django_capture_on_commit_callbacks(execute=True):
        decision = _new_decision(alice)
    assert decision.visibility == "couple"
    notice = world.new_notices().get(recipient=world.bob, kind="decision_started")
    assert notice.needs_answer and "Which sofa" not in notice.message
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.bob.email]
    assert "Which sofa" not in mail.outbox[0].body


def test_the_same_form_sent_twice_starts_one_decision(world: World) -> None:
    alice = world.client_for("A")
    for _ in range(2):
        alice.post(reverse("decisions:new"), {"title": "Twice", "submission_key": "same"})
    assert Decision.objects.filter(title="Twice").count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": ""}, "be empty"),
        ({"title": "x" * 201}, "at most 200"),
    ],
)
def test_bad_titles_are_refused_clearly(world: World, data: dict, message: str) -> None:
    response = world.client_for("A").post(reverse("decisions:new"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Decision.objects.filter(title=data["title"]).exists()


def test_someone_without_a_partner_cannot_start_one(db: None) -> None:
    from django.test import Client

    solo = make_user("solo@example.org", "Solo")
    client = Client()
    client.force_login(solo)
    response = client.post(reverse("decisions:new"), {"title": "Alone"})
    assert "Pair with your partner first" in response.content.decode()
    assert not Decision.objects.exists()


def test_nothing_of_alices_view_reaches_bob_before_he_enters_his(world: World) -> None:
    """Pages, JSON, the list JSON, Bob's export, Bob's feed and Bob's email: none show it."""
    decision = world.objects["decision"]  # Alice has entered a view carrying the marker
    bob = world.client_for("B")
    for url in (
        reverse("decisions:detail", args=[decision.pk]),
        reverse("decisions:json", args=[decision.pk]),
        reverse("decisions:list_json"),
        reverse("decisions:list"),
        reverse("activity:feed"),
        reverse("activity:feed_json"),
        reverse("insights:json"),
    ):
        assert ALICE_PRIVATE_MARKER not in bob.get(url).content.decode(), url
    assert ALICE_PRIVATE_MARKER not in _export_text(bob)
    data = bob.get(reverse("decisions:json", args=[decision.pk])).json()
    assert data["revealed"] is False and data["partner_views"] == []
    assert data["partner_has_entered"] is True
    # Alice's own export does carry her view.
    assert ALICE_PRIVATE_MARKER in _export_text(world.client_for("A"))


def test_both_views_appear_side_by_side_once_both_have_entered(world: World) -> None:
    decision = world.objects["decision"]
    bob = world.client_for("B")
    response = bob.post(reverse("decisions:view", args=[decision.pk]), VIEW)
    assert response.status_code == 302
    page = bob.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert ALICE_PRIVATE_MARKER in page and "the coast" in page
    alice_page = world.client_for("A").get(reverse("decisions:detail", args=[decision.pk]))
    assert "the coast" in alice_page.content.decode()
    data = bob.get(reverse("decisions:json", args=[decision.pk])).json()
    assert data["revealed"] and data["partner_views"][0]["importance"] == 4
    # Bob's export has his view only, not Alice's.
    assert ALICE_PRIVATE_MARKER not in _export_text(bob)
    assert world.new_notices().filter(recipient=world.alice, kind="decision_revealed").exists()


def test_a_view_cannot_be_entered_twice_from_two_tabs(world: World) -> None:
    decision = world.objects["decision"]
    bob = world.client_for("B")
    bob.post(reverse("decisions:view", args=[decision.pk]), VIEW)
    second = bob.post(
        reverse("decisions:view", args=[decision.pk]),
        {**VIEW, "preference": "the hills"},
        follow=True,
    )
    page = second.content.decode()
    assert second.status_code == 409
    assert "already entered your view" in page
    # Nothing typed is lost: the unsaved second view is shown back, clearly marked.
    assert "Not saved: what you just wrote" in page and "the hills" in page
    views = DecisionView.objects.filter(decision=decision, author=world.bob)
    assert [v.preference for v in views] == ["the coast"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({**VIEW, "preference": "  "}, "be empty"),
        ({**VIEW, "reasons": "x" * 2001}, "at most 2000"),
        ({**VIEW, "importance": "9"}, "one of the choices here"),
        ({"preference": "a", "reasons": "b"}, "Choose how much it matters"),
    ],
)
def test_bad_views_are_refused_and_nothing_saved(world: World, data: dict, message: str) -> None:
    decision = world.objects["decision"]
    response = world.client_for("B").post(reverse("decisions:view", args=[decision.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DecisionView.objects.filter(decision=decision, author=world.bob).exists()
    assert ALICE_PRIVATE_MARKER not in response.content.decode()


def test_the_joint_decision_needs_both_views_then_is_recorded_once(world: World) -> None:
    decision = world.objects["decision"]
    alice, bob = world.client_for("A"), world.client_for("B")
    early = alice.post(
        reverse("decisions:decide", args=[decision.pk]),
        {"text": "city", "reasons": "work"},
        follow=True,
    )
    assert "Both views need to be in" in early.content.decode()
    bob.post(reverse("decisions:view", args=[decision.pk]), VIEW)
    alice.post(reverse("decisions:decide", args=[decision.pk]), {"text": "city", "reasons": "work"})
    again = bob.post(
        reverse("decisions:decide", args=[decision.pk]),
        {"text": "coast", "reasons": "sea"},
        follow=True,
    )
    assert "already recorded" in again.content.decode()
    assert [o.text for o in DecisionOutcome.objects.filter(decision=decision)] == ["city"]
    # Once decided, nothing about it waits for either of them in their feeds.
    link = reverse("decisions:detail", args=[decision.pk])
    assert not world.new_notices().filter(link=link, needs_answer=True).exists()
    decision.refresh_from_db()
    assert decision.status == "decided"


def test_revisiting_opens_a_new_blind_round_and_keeps_history(world: World) -> None:
    decision = world.objects["decision"]
    alice, bob = world.client_for("A"), world.client_for("B")
    bob.post(reverse("decisions:view", args=[decision.pk]), VIEW)
    alice.post(reverse("decisions:decide", args=[decision.pk]), {"text": "city", "reasons": "work"})
    bob.post(reverse("decisions:revisit", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.round == 2 and decision.status == "open"
    alice.post(
        reverse("decisions:view", args=[decision.pk]),
        {"preference": "NEW-ALICE-VIEW", "reasons": "changed", "importance": "2"},
    )
    data = bob.get(reverse("decisions:json", args=[decision.pk])).json()
    assert data["revealed"] is False and data["my_view"] is None
    page = bob.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert "NEW-ALICE-VIEW" not in page
    assert "Round 1" in page and "city" in page  # the earlier round stays as history


def test_another_couple_cannot_act_on_it(world: World) -> None:
    decision = world.objects["decision"]
    carol = world.client_for("C")
    assert carol.post(reverse("decisions:view", args=[decision.pk]), VIEW).status_code == 404
    assert carol.get(reverse("decisions:json", args=[decision.pk])).status_code == 404
    assert not DecisionView.objects.filter(author=world.carol).exists()


def test_after_unpairing_nobody_can_add_views(world: World) -> None:
    from counterpoint.pairing.services import couple_unpair

    decision = world.objects["decision"]
    couple_unpair(user=world.bob)
    response = world.client_for("B").post(reverse("decisions:view", args=[decision.pk]), VIEW)
    assert response.status_code == 404
    # Still in Bob's archive, but Alice's unrevealed view never becomes visible.
    page = world.client_for("B").get(reverse("decisions:detail", args=[decision.pk]))
    assert ALICE_PRIVATE_MARKER not in page.content.decode()


def test_a_new_couple_can_decide_end_to_end(db: None) -> None:
    from django.test import Client

    x, y = make_user("x@example.org", "Xan"), make_user("y@example.org", "Yu")
    make_couple(x, y)
    cx, cy = Client(), Client()
    cx.force_login(x)
    cy.force_login(y)
    cx.post(reverse("decisions:new"), {"title": "Paint colour"})
    d = Decision.objects.get()
    cx.post(reverse("decisions:view", args=[d.pk]), {**VIEW, "preference": "green"})
    cy.post(reverse("decisions:view", args=[d.pk]), {**VIEW, "preference": "blue"})
    cy.post(reverse("decisions:decide", args=[d.pk]), {"text": "green-blue", "reasons": "both"})
    data = json.loads(cx.get(reverse("decisions:json", args=[d.pk])).content)
    assert data["outcome"] == {"decision": "green-blue", "reasons": "both"}
