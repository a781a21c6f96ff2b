"""Wins and struggles: shared or private; the partner responds once; the reaction and its timing
are recorded and feed the responsiveness insight."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

import tests.web.access_cases.together  # noqa: F401  (adds this feature's records to the world)
from counterpoint.practices.moments.models import Moment, MomentResponse
from counterpoint.practices.moments.selectors import responsiveness
from tests.web.conftest import ALICE_PRIVATE_MARKER, World


def test_sharing_a_win_tells_the_partner(world: World) -> None:
    alice = world.client_for("A")
    alice.get(reverse("moments:new"))
    response = alice.post(
        reverse("moments:new"),
        {
            "kind": "win",
            "text": "Passed my driving test",
            "visibility": "partner",
            "submission_key": "a",
        },
    )
    assert response.status_code == 302
    moment = Moment.objects.get(text="Passed my driving test")
    notice = world.new_notices().get(recipient=world.bob, kind="moment_shared")
    assert notice.needs_answer and "driving" not in notice.message
    assert (
        "Passed my driving test"
        in world.client_for("B").get(reverse("moments:list")).content.decode()
    )
    assert moment.couple == world.couple


def test_a_private_moment_is_never_announced_or_shown(world: World) -> None:
    world.client_for("A").post(
        reverse("moments:new"),
        {"kind": "struggle", "text": "KEEP-TO-MYSELF", "visibility": "private"},
    )
    assert not world.new_notices().filter(recipient=world.bob, kind="moment_shared").exists()
    bob = world.client_for("B")
    for url in (reverse("moments:list"), reverse("moments:json"), reverse("activity:feed")):
        assert "KEEP-TO-MYSELF" not in bob.get(url).content.decode()


def test_double_submission_shares_once(world: World) -> None:
    alice = world.client_for("A")
    data = {"kind": "win", "text": "Twice?", "visibility": "partner", "submission_key": "same"}
    alice.post(reverse("moments:new"), data)
    second = alice.post(reverse("moments:new"), data, follow=True)
    assert "already shared" in second.content.decode()
    assert Moment.objects.filter(text="Twice?").count() == 1
    assert world.new_notices().filter(recipient=world.bob, kind="moment_shared").count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "win", "text": "", "visibility": "partner"}, "be shared"),
        ({"kind": "win", "text": "   ", "visibility": "partner"}, "be shared"),
        ({"kind": "win", "text": "x" * 2001, "visibility": "partner"}, "at most 2000"),
        ({"kind": "brag", "text": "x", "visibility": "partner"}, "one of the choices here"),
        ({"kind": "win", "text": "x", "visibility": "couple"}, "one of the choices here"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(world: World, data: dict, message: str) -> None:
    before = Moment.objects.count()
    response = world.client_for("A").post(reverse("moments:new"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert Moment.objects.count() == before


def test_the_partner_responds_once_and_the_timing_is_kept(world: World, time_machine) -> None:
    moment = world.objects["moment_shared"]
    time_machine.move_to(moment.created_at + dt.timedelta(hours=3))
    bob = world.client_for("B")
    bob.post(reverse("moments:respond", args=[moment.pk]), {"reaction": "with_you", "note": "Yay!"})
    again = bob.post(
        reverse("moments:respond", args=[moment.pk]), {"reaction": "brief"}, follow=True
    )
    assert "already responded" in again.content.decode()
    response = MomentResponse.objects.get(moment=moment)
    assert response.reaction == "with_you"
    assert abs(response.delay - dt.timedelta(hours=3)) < dt.timedelta(minutes=1)
    assert world.new_notices().filter(recipient=world.alice, kind="moment_answered").exists()
    row = world.client_for("A").get(reverse("moments:json")).json()["moments"]
    shared = next(r for r in row if r["id"] == moment.pk)
    assert shared["response"]["day"] == response.responded_at.date().isoformat()
    assert "hours_to_respond" not in shared["response"]  # the partner's pace is theirs (issue 10)


def test_nobody_responds_to_their_own_moment(world: World) -> None:
    moment = world.objects["moment_shared"]
    response = world.client_for("A").post(
        reverse("moments:respond", args=[moment.pk]), {"reaction": "warm"}, follow=True
    )
    assert "your partner is the one to respond" in response.content.decode()
    assert not MomentResponse.objects.exists()


def test_bad_responses_are_refused(world: World) -> None:
    moment = world.objects["moment_shared"]
    bob = world.client_for("B")
    for data in ({"reaction": ""}, {"reaction": "warm", "note": "x" * 1001}):
        assert bob.post(reverse("moments:respond", args=[moment.pk]), data).status_code == 400
    assert not MomentResponse.objects.exists()


def test_another_couple_cannot_respond_or_see(world: World) -> None:
    moment = world.objects["moment_shared"]
    carol = world.client_for("C")
    assert (
        carol.post(reverse("moments:respond", args=[moment.pk]), {"reaction": "warm"}).status_code
        == 404
    )
    assert "Got the job" not in carol.get(reverse("moments:json")).content.decode()
    assert not MomentResponse.objects.exists()


def test_responsiveness_counts_only_shared_moments_gently(world: World) -> None:
    moment = world.objects["moment_shared"]
    MomentResponse.objects.create(
        moment=moment,
        responder=world.bob,
        reaction="warm",
        responded_at=moment.created_at + dt.timedelta(hours=30),
    )
    late = Moment.objects.create(
        author=world.bob, couple=world.couple, visibility="partner", kind="struggle", text="rough"
    )
    MomentResponse.objects.create(
        moment=late,
        responder=world.alice,
        reaction="brief",
        responded_at=timezone.now() + dt.timedelta(hours=1),
    )
    alice = responsiveness(world.alice)
    assert alice["how_my_moments_were_met"] == {
        "shared": 1,
        "responded": 1,
        "warm_responses": 1,
    }  # how fast Bob answered is Bob's: no delay figure reaches Alice (issue 10)
    assert alice["how_i_met_my_partners"]["responded_within_a_day"] == 1
    assert alice["how_i_met_my_partners"]["warm_responses"] == 0
    section = world.client_for("A").get(reverse("insights:json")).json()["sections"]
    assert section["wins_and_struggles_responsiveness"]["n_moments"] == 2
    # Alice's private moment never counts, and is not in Bob's numbers.
    assert responsiveness(world.bob)["n_moments"] == 2
    assert ALICE_PRIVATE_MARKER not in str(responsiveness(world.bob))


def test_deleting_says_whether_a_response_goes_with_it(world: World) -> None:
    """The confirmation says what is lost: the partner's response is deleted with the moment."""
    alice, bob = world.client_for("A"), world.client_for("B")
    data = {"kind": "struggle", "text": "A rough week", "visibility": "partner"}
    assert alice.post(reverse("moments:new"), {**data, "submission_key": "d"}).status_code == 302
    moment = Moment.objects.get(author=world.alice, text="A rough week")
    confirm = reverse("moments:delete", kwargs={"pk": moment.pk})
    assert "The response to it" not in alice.get(confirm).content.decode()
    respond = reverse("moments:respond", kwargs={"pk": moment.pk})
    assert bob.post(respond, {"reaction": "with_you", "note": "here"}).status_code == 302
    page = alice.get(confirm).content.decode()
    assert "The response to it leaves the app with it, for both of you;" in page
    assert "words stay theirs, in the data they can download" in page
    assert alice.post(confirm).status_code == 302
    assert not MomentResponse.objects.filter(responder=world.bob, note="here").exists()
