"""A small reaction or reply to the partner's answer or note: the partner sees it; nothing private
or still hidden can be reacted to; another reaction replaces the first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from counterpoint.activity.models import Notice
from counterpoint.checkins import services
from counterpoint.checkins.models import CheckInSettings, QuestionAnswer, Reaction
from tests.web.access_cases import checkins as _seeds  # noqa: F401  (adds check-ins to the world)
from tests.web.conftest import World

pytestmark = pytest.mark.django_db


def _page(world: World, who: str, name: str) -> str:
    return world.client_for(who).get(reverse(name)).content.decode().replace("&#x27;", "'")


def test_a_reaction_to_the_partners_note_reaches_them_and_replaces_the_last(world: World) -> None:
    today = world.alice.local_today()
    note = services.checkin_submit(user=world.alice, day=today, values={"note": "long day"})
    url = reverse("checkins:react_note", args=[note.pk])
    bob = world.client_for("B")
    assert "React or reply" in _page(world, "B", "pages:home")
    response = bob.post(url, {"kind": "hug", "words": "here for you", "next": "home"})
    assert response.status_code == 302 and response["Location"] == reverse("pages:home")
    assert Notice.objects.filter(recipient=world.alice, kind="reaction").count() == 1
    home = _page(world, "A", "pages:home")
    assert "Bob on your note:" in home and "Sending a hug" in home and "here for you" in home
    bob.post(url, {"kind": "thanks", "words": "", "next": "home"})
    assert Reaction.objects.filter(checkin=note).count() == 1
    home = _page(world, "A", "pages:home")
    assert "Thank you" in home and "Sending a hug" not in home
    assert Notice.objects.filter(recipient=world.alice, kind="reaction").count() == 1
    # Carol, in another couple, can neither react nor see it.
    assert world.client_for("C").post(url, {"kind": "love"}).status_code == 404
    assert "Thank you" not in _page(world, "C", "pages:home")


def test_a_note_kept_private_cannot_be_reacted_to(world: World) -> None:
    today = world.alice.local_today()
    note = services.checkin_submit(user=world.alice, day=today, values={"note": "just mine"})
    CheckInSettings.objects.update_or_create(user=world.alice, defaults={"share_note": False})
    response = world.client_for("B").post(
        reverse("checkins:react_note", args=[note.pk]), {"kind": "love"}
    )
    assert response.status_code == 404
    assert not Reaction.objects.exists()
    assert "React or reply" not in _page(world, "B", "pages:home")


def test_an_answer_can_be_reacted_to_only_once_both_are_revealed(world: World) -> None:
    question = world.objects["question"]
    alices = QuestionAnswer.objects.get(question=question, author=world.alice)
    url = reverse("checkins:react_answer", args=[alices.pk])
    bob = world.client_for("B")
    assert bob.post(url, {"kind": "love"}).status_code == 404  # Bob has not answered yet
    services.question_answer(user=world.bob, question_pk=question.pk, text="a walk by the sea")
    assert bob.post(url, {"kind": "love", "words": "yes!"}).status_code == 302
    page = _page(world, "A", "checkins:question")
    assert "Bob: Love this" in page and "yes!" in page
    # Alice cannot react to her own answer.
    assert world.client_for("A").post(url, {"kind": "love"}).status_code == 404
    assert Reaction.objects.count() == 1


def test_an_unknown_reaction_is_refused_and_nothing_saved(world: World) -> None:
    today = world.alice.local_today()
    note = services.checkin_submit(user=world.alice, day=today, values={"note": "hello"})
    response = world.client_for("B").post(
        reverse("checkins:react_note", args=[note.pk]), {"kind": "<script>"}, follow=True
    )
    assert "Choose one of the reactions" in response.content.decode()
    assert not Reaction.objects.exists()


def test_reacting_again_after_stopping_sharing_shares_the_new_reaction(world: World) -> None:
    """Bob stopped sharing everything, which took his reaction back. Reacting again is sharing
    again: the new reaction reaches Alice, and she is told, as for a first one."""
    today = world.alice.local_today()
    note = services.checkin_submit(user=world.alice, day=today, values={"note": "long day"})
    url = reverse("checkins:react_note", args=[note.pk])
    bob = world.client_for("B")
    assert bob.post(url, {"kind": "hug", "words": "here", "next": "home"}).status_code == 302
    assert bob.post(reverse("safety:stop_sharing")).status_code == 302
    assert "Sending a hug" not in _page(world, "A", "pages:home")
    Notice.objects.filter(recipient=world.alice, kind="reaction").delete()
    assert (
        bob.post(url, {"kind": "thanks", "words": "thinking of you", "next": "home"}).status_code
        == 302
    )
    home = _page(world, "A", "pages:home")
    assert "Bob on your note:" in home and "thinking of you" in home
    assert Notice.objects.filter(recipient=world.alice, kind="reaction").count() == 1
    assert Reaction.objects.filter(checkin=note).count() == 1
