"""Unpairing and account deletion with wins, decisions, repairs and time in play."""

from __future__ import annotations

from django.urls import reverse

import tests.web.access_cases.together  # noqa: F401  (adds this feature's records to the world)
from counterpoint.accounts.services import account_delete
from counterpoint.pairing.services import couple_unpair
from counterpoint.practices.decisions.models import Decision, DecisionView
from counterpoint.practices.moments.models import Moment, MomentResponse
from counterpoint.practices.repair.models import Repair, RepairShare
from counterpoint.practices.timebalance.models import TimeBlock
from tests.web.conftest import ALICE_PRIVATE_MARKER, World


def test_deleting_an_account_removes_own_words_and_keeps_the_couples_archive(world: World) -> None:
    MomentResponse.objects.create(
        moment=world.objects["moment_shared"], responder=world.bob, reaction="warm"
    )
    account_delete(user=world.alice, remove_couple_items=False)
    assert not Moment.objects.filter(text__contains=ALICE_PRIVATE_MARKER).exists()
    assert not DecisionView.objects.filter(preference__contains=ALICE_PRIVATE_MARKER).exists()
    assert not RepairShare.objects.filter(feeling__contains=ALICE_PRIVATE_MARKER).exists()
    assert not TimeBlock.objects.filter(note__contains=ALICE_PRIVATE_MARKER).exists()
    decision = Decision.objects.get(pk=world.objects["decision"].pk)
    assert decision.author is None  # stays in Bob's archive, credited to "former partner"
    bob = world.client_for("B")
    for url in (
        reverse("decisions:detail", args=[decision.pk]),
        reverse("repair:detail", args=[world.objects["repair"].pk]),
        reverse("repair:detail", args=[world.objects["repair_reflecting"].pk]),
        reverse("timebalance:week"),
        reverse("timebalance:balance"),
        reverse("moments:list"),
    ):
        response = bob.get(url)
        assert response.status_code == 200, url
        assert ALICE_PRIVATE_MARKER not in response.content.decode()


def test_after_unpairing_partner_shared_moments_go_and_nothing_can_be_added(world: World) -> None:
    couple_unpair(user=world.alice)
    bob = world.client_for("B")
    assert (
        bob.get(reverse("moments:detail", args=[world.objects["moment_shared"].pk])).status_code
        == 404
    )
    repair = world.objects["repair"]
    assert bob.get(reverse("repair:detail", args=[repair.pk])).status_code == 200  # the archive
    assert (
        bob.post(
            reverse("repair:share", args=[repair.pk]), {"feeling": "x", "need": "y"}
        ).status_code
        == 404
    )
    assert not RepairShare.objects.filter(repair=repair, author=world.bob).exists()
    assert Repair.objects.filter(pk=repair.pk).exists()
    response = bob.post(reverse("decisions:new"), {"title": "Alone now"})
    assert "Pair with your partner first" in response.content.decode()
