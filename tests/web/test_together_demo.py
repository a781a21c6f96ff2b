"""The demo couple has a believable history in wins and struggles, decisions, repair and me/we time."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from counterpoint.couples.demo import DemoCouple
from counterpoint.practices.decisions.models import Decision
from counterpoint.practices.moments.models import MomentResponse
from counterpoint.practices.repair.models import Repair
from counterpoint.practices.timebalance.models import TimeBlock


def test_demo_couple_has_history_in_each_practice(demo: DemoCouple) -> None:
    assert MomentResponse.objects.count() >= 5
    assert Decision.objects.filter(status="decided").exists()
    assert Decision.objects.filter(round__gt=1).exists()
    assert Repair.objects.filter(closed_at__isnull=False).exists()
    assert Repair.objects.filter(closed_at__isnull=True).exists()
    assert TimeBlock.objects.filter(kind="we", done=True).count() > 10
    sam = Client()
    sam.force_login(demo.sam)
    for name in (
        "moments:list",
        "decisions:list",
        "repair:list",
        "timebalance:week",
        "timebalance:balance",
        "activity:feed",
    ):
        assert sam.get(reverse(name)).status_code == 200, name
    # Alex has written a side in the open repair; Sam must not see it yet.
    open_repair = Repair.objects.get(closed_at__isnull=True)
    page = sam.get(reverse("repair:detail", args=[open_repair.pk])).content.decode()
    assert "Disappointed that the weekend" not in page
    # Alex's round-2 view on Christmas is hidden from Sam until Sam enters his.
    hosting = Decision.objects.get(round=2)
    assert (
        "Boxing Day" not in sam.get(reverse("decisions:detail", args=[hosting.pk])).content.decode()
    )
    sections = sam.get(reverse("insights:json")).json()["sections"]
    assert sections["wins_and_struggles_responsiveness"]["n_moments"] == 8
    assert sections["me_we_balance"]["n_logged_blocks"] > 0
    page = sam.get(reverse("insights:page")).content.decode()
    assert "how you meet each other" in page and "Me-time and we-time" in page
