"""A shared item taken back leaves nothing waiting for the partner that leads nowhere.

"Sam could use some support" waits in Alex's list until he answers. If Sam makes the request
"Only me" again (on the item, or with "stop sharing everything"), Alex can no longer open it: a
notice left waiting would lead to a page that is not there, and stay in his count for good. It goes
with the item, at the same moment the item leaves his pages (so it tells him nothing more).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from counterpoint.activity.models import Notice
from counterpoint.activity.selectors import waiting_for
from counterpoint.practices.boundaries.models import Boundary
from counterpoint.practices.commitments.models import Commitment
from counterpoint.practices.support.models import SupportRequest
from tests.web.conftest import World


def _asked(world: World, app: str) -> SupportRequest | Boundary | Commitment:
    """Alice shares something through its form that waits for Bob's answer."""
    alice = world.client_for("A")
    if app == "support":
        alice.post(reverse("support:new"), {"kind": "listening", "details": "a hard week"})
        return SupportRequest.objects.get(author=world.alice, details="a hard week")
    if app == "boundaries":
        alice.post(reverse("boundaries:new"), {"what": "Quiet mornings", "why": "I wake slowly."})
        return Boundary.objects.get(author=world.alice, what="Quiet mornings")
    due = (world.alice.local_today() + dt.timedelta(days=3)).isoformat()
    alice.post(reverse("commitments:new"), {"promise": "fix the shelf", "due_on": due})
    item = Commitment.objects.get(author=world.alice, promise="fix the shelf")
    alice.post(reverse("commitments:mark", args=[item.pk]), {"outcome": "kept", "note": ""})
    return item


def _waiting_about(world: World, item: SupportRequest | Boundary | Commitment) -> list[Notice]:
    link = item.get_absolute_url()
    return [n for n in waiting_for(world.bob) if n.link == link]


@pytest.mark.parametrize("how", ["make private", "stop sharing everything"])
@pytest.mark.parametrize("app", ["support", "commitments", "boundaries"])
def test_nothing_about_a_taken_back_item_waits_for_the_partner(
    world: World, app: str, how: str
) -> None:
    item = _asked(world, app)
    bob, alice = world.client_for("B"), world.client_for("A")
    assert _waiting_about(world, item), "sharing it should have asked Bob"
    waiting_before = len(waiting_for(world.bob))

    if how == "make private":
        url = reverse(f"{app}:make_private", kwargs={"pk": item.pk})
    else:
        url = reverse("safety:stop_sharing")
    assert alice.post(url).status_code == 302

    assert _waiting_about(world, item) == []
    # nor read: reading is Bob's own act, exported to the second (it would time Alice's)
    about = Notice.objects.filter(recipient=world.bob, link=item.get_absolute_url())
    assert about.exists() and not about.filter(read_at__isnull=False).exists()
    assert bob.get(item.get_absolute_url()).status_code == 404
    assert len(waiting_for(world.bob)) < waiting_before
    for notice in Notice.objects.filter(recipient=world.bob, needs_answer=True):
        opened = bob.get(notice.link)
        assert opened.status_code == 200, f"{notice.link} still waits for Bob and leads nowhere"
