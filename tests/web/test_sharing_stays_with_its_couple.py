"""Issue 10: a shared item stays bound to the couple it was shared in. Alice shares with Bob,
unpairs and pairs with Terry: fixing a typo in the old item never shows it (or a goal's progress
notes) to Terry; sharing with Terry is an explicit act, item by item."""

from __future__ import annotations

import re
import uuid

from django.test import Client
from django.urls import reverse

from counterpoint.journal.models import JournalEntry
from counterpoint.pairing.services import couple_unpair
from counterpoint.practices.commitments import services as commitments
from counterpoint.practices.commitments.models import Commitment
from counterpoint.practices.goals import services as goals
from counterpoint.practices.goals.models import Goal, GoalProgress
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility
from counterpoint.privacy.page_cache import _readable_versions
from tests.factories import make_couple
from tests.web.conftest import ALICE_SHARED_MARKER, World


def _pair_with_terry(world: World) -> None:
    couple_unpair(user=world.alice)
    make_couple(world.alice, world.terry)


def _goal_shared_with_bob(world: World) -> tuple[Goal, bool]:
    """Alice's goal, shared with her partner (Bob) through the goal service."""
    return goals.goal_create(
        user=world.alice,
        title="Learn Portuguese",
        why="",
        visibility=Visibility.PARTNER,
        submission_key=uuid.uuid4().hex,
    )


def _checked_visibility(client: Client, url: str) -> str:
    """The visibility the edit form shows chosen, as a person sees it."""
    html = client.get(url).content.decode()
    for tag in re.findall(r"<input[^>]*name=\"visibility\"[^>]*>", html):
        if "checked" in tag:
            return re.search(r'value="([^"]+)"', tag).group(1)  # type: ignore[union-attr]
    raise AssertionError("no visibility chosen in the form")


def test_fixing_a_typo_in_an_entry_shared_with_a_former_partner_keeps_it_from_the_new_one(
    world: World,
) -> None:
    entry = world.objects["alice_shared"]
    _pair_with_terry(world)
    alice = world.client_for("A")
    url = reverse("journal:edit", kwargs={"pk": entry.pk})
    shown = _checked_visibility(alice, url)
    assert shown == Visibility.PRIVATE  # in effect nobody's but Alice's now, and the form says so
    alice.post(
        url, {"title": "", "body": f"{ALICE_SHARED_MARKER} (typo fixed)", "visibility": shown}
    )
    entry.refresh_from_db()
    assert not access.can_read(world.terry, entry)
    assert (
        ALICE_SHARED_MARKER
        not in world.client_for("T").get(reverse("journal:list")).content.decode()
    )


def test_sharing_an_old_entry_with_the_new_partner_is_an_explicit_choice(world: World) -> None:
    entry = world.objects["alice_shared"]
    _pair_with_terry(world)
    alice = world.client_for("A")
    url = reverse("journal:edit", kwargs={"pk": entry.pk})
    response = alice.post(url, {"title": "", "body": "now for Terry", "visibility": "partner"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert access.can_read(world.terry, entry)
    assert not access.can_read(world.bob, entry)


def test_fixing_a_typo_in_a_goal_shared_with_a_former_partner_keeps_it_and_its_notes_from_the_new_one(
    world: World,
) -> None:
    goal, _ = _goal_shared_with_bob(world)
    goals.goal_progress_add(
        user=world.alice,
        goal=goal,
        percent=20,
        note="verbs are hard",
        submission_key=uuid.uuid4().hex,
    )
    _pair_with_terry(world)
    alice = world.client_for("A")
    url = reverse("goals:edit", kwargs={"pk": goal.pk})
    shown = _checked_visibility(alice, url)
    assert shown == Visibility.PRIVATE
    alice.post(url, {"title": "Learn Portuguese!", "why": "", "visibility": shown})
    goal = Goal.objects.get(pk=goal.pk)
    assert goal.title == "Learn Portuguese!"
    assert not access.can_read(world.terry, goal)
    assert not access.readable(world.terry, GoalProgress).filter(goal=goal).exists()
    terry = world.client_for("T")
    assert terry.get(reverse("goals:detail", kwargs={"pk": goal.pk})).status_code == 404
    assert "verbs are hard" not in terry.get(reverse("goals:list")).content.decode()


def test_a_goal_edit_that_names_no_visibility_never_moves_it_to_the_new_couple(
    world: World,
) -> None:
    goal, _ = goals.goal_create(
        user=world.alice,
        title="Swim",
        why="",
        visibility=Visibility.PARTNER,
        submission_key=uuid.uuid4().hex,
    )
    old_couple = goal.couple_id
    _pair_with_terry(world)
    goals.goal_edit(user=world.alice, goal=goal, title="Swim more", why="")
    goal.refresh_from_db()
    assert goal.couple_id == old_couple
    assert not access.can_read(world.terry, goal)


def _terrys_key(world: World) -> list[tuple[str, int]]:
    """What Terry's kept pages and insights are keyed by (privacy/page_cache.py): a version in it
    that moves makes his next page render afresh, and he can time that."""
    return _readable_versions(world.terry.pk)


def test_touching_an_item_shared_with_a_former_partner_moves_nothing_the_new_partner_can_time(
    world: World,
) -> None:
    """Such an item is in effect "Only me": fixing a typo in it, making it "Only me" in name too,
    or deleting it, tells the new partner nothing, not even by the speed of his next page."""
    entry = world.objects["alice_shared"]
    goal, _ = _goal_shared_with_bob(world)
    _pair_with_terry(world)
    alice = world.client_for("A")
    before = _terrys_key(world)
    edit = reverse("journal:edit", kwargs={"pk": entry.pk})
    assert (
        alice.post(edit, {"title": "", "body": "typo fixed", "visibility": "private"}).status_code
        == 302
    )
    assert _terrys_key(world) == before, "a typo fixed in an item shared with Bob"
    goal_edit = reverse("goals:edit", kwargs={"pk": goal.pk})
    shown = _checked_visibility(alice, goal_edit)
    assert (
        alice.post(
            goal_edit, {"title": "Learn Portuguese!", "why": "", "visibility": shown}
        ).status_code
        == 302
    )
    assert _terrys_key(world) == before, "a goal shared with Bob, edited"
    delete = reverse("journal:delete", kwargs={"pk": entry.pk})
    assert alice.post(delete).status_code == 302
    assert not JournalEntry.objects.filter(pk=entry.pk).exists()
    assert _terrys_key(world) == before, "an item shared with Bob, deleted"
    # what Terry may read still moves it: the same goal shared with him now
    alice.post(goal_edit, {"title": "Learn Portuguese!", "why": "", "visibility": "partner"})
    assert access.can_read(world.terry, Goal.objects.get(pk=goal.pk))
    assert _terrys_key(world) != before


def test_taking_back_what_was_shared_with_a_former_partner_tells_the_new_one_nothing(
    world: World,
) -> None:
    """ "Make it private again" on a commitment made to Bob, and "stop sharing everything" (also
    part of the emergency reset) with nothing shared with Terry, leave Terry's key where it was:
    he must not learn, by the speed of his next page, that either was pressed."""
    commitment, _ = commitments.commitment_make(
        user=world.alice,
        promise="Call your mother",
        due_on=world.alice.local_today(),
        submission_key=uuid.uuid4().hex,
    )
    _pair_with_terry(world)
    alice = world.client_for("A")
    # no check-in field shared with Terry either (which he would see go)
    assert alice.post(reverse("checkins:settings"), {"reminder_time": ""}).status_code == 302
    before = _terrys_key(world)
    private = reverse("commitments:make_private", kwargs={"pk": commitment.pk})
    assert alice.post(private).status_code == 302
    assert Commitment.objects.get(pk=commitment.pk).visibility == Visibility.PRIVATE
    assert _terrys_key(world) == before, "a commitment made to Bob, made private"
    assert alice.post(reverse("safety:stop_sharing")).status_code == 302
    entry = JournalEntry.objects.get(pk=world.objects["alice_shared"].pk)
    assert entry.visibility == Visibility.PRIVATE  # it was "shared with Bob"; now in name too
    assert _terrys_key(world) == before, "stop sharing, with nothing shared with Terry"


def test_stop_sharing_still_moves_the_new_partners_key_when_something_was_shared_with_him(
    world: World,
) -> None:
    _pair_with_terry(world)
    alice = world.client_for("A")
    response = alice.post(
        reverse("journal:new"),
        {"title": "", "body": "for Terry", "visibility": "partner", "submission_key": "t-1"},
    )
    assert response.status_code == 302
    before = _terrys_key(world)
    assert alice.post(reverse("safety:stop_sharing")).status_code == 302
    assert not access.readable(world.terry, JournalEntry).filter(body="for Terry").exists()
    assert _terrys_key(world) != before


def test_deleting_a_moment_a_former_partner_answered_tells_him_nothing(world: World) -> None:
    """A win Alice shared with Bob, and Bob's response to it: once they have unpaired it is, in
    effect, "Only me". Deleting it takes Bob's response along (it hangs off the moment), and that
    moved Bob's own ``u:`` scope: his next page rendered afresh, so he could time that his former
    partner deleted something. Nothing of Bob's or Terry's may move."""
    from counterpoint.practices.moments.models import Moment, MomentResponse

    alice, bob = world.client_for("A"), world.client_for("B")
    data = {"kind": "win", "text": "I got the job", "visibility": "partner"}
    assert alice.post(reverse("moments:new"), {**data, "submission_key": "m-1"}).status_code == 302
    moment = Moment.objects.get(author=world.alice, text="I got the job")
    respond = reverse("moments:respond", kwargs={"pk": moment.pk})
    assert bob.post(respond, {"reaction": "with_you", "note": "so proud"}).status_code == 302
    assert MomentResponse.objects.filter(moment=moment, responder=world.bob).exists()
    _pair_with_terry(world)
    bobs, terrys = _readable_versions(world.bob.pk), _terrys_key(world)
    assert alice.post(reverse("moments:delete", kwargs={"pk": moment.pk})).status_code == 302
    assert not Moment.objects.filter(pk=moment.pk).exists()
    assert _readable_versions(world.bob.pk) == bobs, "Bob's key moved"
    assert _terrys_key(world) == terrys, "Terry's key moved"
