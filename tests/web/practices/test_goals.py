"""My goals and our goals: the autonomy rule, encouragement, co-owned completion, no leaks."""

from __future__ import annotations

import html
import io
import uuid
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from counterpoint.practices.goals.models import Encouragement, Goal, GoalProgress
from counterpoint.practices.goals.selectors import growth_summary
from counterpoint.practices.goals.services import (
    goal_complete,
    goal_create,
    goal_edit,
    goal_encourage,
    goal_progress_add,
)
from tests.web.concurrency import at_once, needs_row_locks
from tests.web.conftest import World


@pytest.fixture(autouse=True)
def _clean_slate(world: World) -> None:
    """Start each test without the rows the access matrix seeds into the shared world."""
    Goal.objects.all().delete()


def text(response) -> str:
    return html.unescape(response.content.decode())


def make(w: World, visibility: str, title: str = "Learn the cello", author=None) -> Goal:
    goal, _ = goal_create(user=author or w.alice, title=title, why="", visibility=visibility)
    return goal


def snapshot(goal: Goal) -> tuple[object, ...]:
    goal.refresh_from_db()
    return (goal.title, goal.why, goal.progress, goal.completed_at, goal.visibility)


# The autonomy rule -------------------------------------------------------------------------


def test_partner_cannot_edit_progress_or_complete_an_individual_goal_by_any_url(
    world: World, bob_client
) -> None:
    goal = make(world, "partner")
    before = snapshot(goal)
    attempts = [
        ("goals:edit", "get", {}),
        ("goals:edit", "post", {"title": "Bob's idea", "visibility": "private"}),
        ("goals:progress", "post", {"percent": 90, "note": "done for you"}),
        ("goals:complete", "post", {}),
        ("goals:complete", "post", {"action": "not_yet"}),
    ]
    for name, method, data in attempts:
        url = reverse(name, args=[goal.pk])
        response = getattr(bob_client, method)(url, data)
        assert response.status_code == 404, (name, method)
    assert snapshot(goal) == before
    assert not GoalProgress.objects.filter(goal=goal).exists()
    # The page Bob can read offers him no way to change it.
    page = text(bob_client.get(reverse("goals:detail", args=[goal.pk])))
    for name in ("goals:edit", "goals:progress", "goals:complete"):
        assert reverse(name, args=[goal.pk]) not in page
    assert reverse("goals:encourage", args=[goal.pk]) in page


def test_services_refuse_the_partner_too(world: World) -> None:
    goal = make(world, "partner")
    with pytest.raises(PermissionDenied):
        goal_edit(user=world.bob, goal=goal, title="x", why="")
    with pytest.raises(PermissionDenied):
        goal_progress_add(user=world.bob, goal=goal, percent=50)
    with pytest.raises(PermissionDenied):
        goal_complete(user=world.bob, goal=goal)
    with pytest.raises(PermissionDenied):
        goal_progress_add(user=world.carol, goal=goal, percent=50)


def test_owner_progresses_and_completes_alone(world: World, alice_client) -> None:
    goal = make(world, "partner")
    alice_client.post(reverse("goals:progress", args=[goal.pk]), {"percent": 40, "note": "ok"})
    goal.refresh_from_db()
    assert goal.progress == 40
    alice_client.post(reverse("goals:complete", args=[goal.pk]))
    goal.refresh_from_db()
    assert goal.is_complete and goal.progress == 100
    again = alice_client.post(reverse("goals:complete", args=[goal.pk]), follow=True)
    assert "already complete" in text(again)


def test_a_private_goal_is_invisible_to_the_partner(world: World, bob_client) -> None:
    goal = make(world, "private", "SECRET-GOAL")
    assert bob_client.get(reverse("goals:detail", args=[goal.pk])).status_code == 404
    assert "SECRET-GOAL" not in text(bob_client.get(reverse("goals:list")))
    response = bob_client.post(reverse("goals:encourage", args=[goal.pk]), {"kind": "cheer"})
    assert response.status_code == 404
    assert not world.new_notices().filter(recipient=world.bob, kind__startswith="goal").exists()


# Encouragement -----------------------------------------------------------------------------


def test_partner_cheers_and_writes_a_note(world: World, bob_client, alice_client) -> None:
    goal = make(world, "partner")
    url = reverse("goals:encourage", args=[goal.pk])
    token = str(uuid.uuid4())
    bob_client.post(url, {"kind": "cheer", "submission_key": token})
    bob_client.post(url, {"kind": "cheer", "submission_key": token})  # double click
    bob_client.post(url, {"kind": "note", "note": "Proud of you"})
    empty = bob_client.post(url, {"kind": "note", "note": "  "})
    assert "Write your note first" in text(empty)
    assert Encouragement.objects.filter(goal=goal).count() == 2
    assert world.new_notices().filter(recipient=world.alice, kind="goal_encouraged").count() == 2
    page = text(alice_client.get(reverse("goals:detail", args=[goal.pk])))
    assert "Proud of you" in page and "Bob cheered" in page
    # The owner doesn't encourage themself; nobody encourages a shared goal this way.
    assert alice_client.post(url, {"kind": "cheer"}).status_code == 404
    ours = make(world, "couple", "Trip")
    assert (
        bob_client.post(reverse("goals:encourage", args=[ours.pk]), {"kind": "cheer"}).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        goal_encourage(user=world.alice, goal=goal, kind="cheer")


def test_encouragement_stays_with_the_goal_when_it_goes_private(world: World, bob_client) -> None:
    goal = make(world, "partner")
    goal_progress_add(user=world.alice, goal=goal, percent=30, note="PROGRESS-NOTE")
    goal_edit(user=world.alice, goal=goal, title=goal.title, why="", visibility="private")
    assert bob_client.get(reverse("goals:detail", args=[goal.pk])).status_code == 404
    assert "PROGRESS-NOTE" not in text(bob_client.get(reverse("goals:list")))
    assert GoalProgress.objects.get(goal=goal).visibility == "private"


# Our goals ---------------------------------------------------------------------------------


def test_both_edit_and_check_in_on_a_shared_goal(world: World, bob_client) -> None:
    goal = make(world, "couple", "Save for Lisbon")
    assert world.new_notices().filter(recipient=world.bob, kind="goal_shared_created").exists()
    bob_client.post(reverse("goals:edit", args=[goal.pk]), {"title": "Save for Porto"})
    bob_client.post(reverse("goals:progress", args=[goal.pk]), {"percent": 25})
    goal.refresh_from_db()
    assert goal.title == "Save for Porto" and goal.progress == 25 and goal.is_shared
    assert GoalProgress.objects.get(goal=goal).author == world.bob
    assert world.client_for("C").get(reverse("goals:detail", args=[goal.pk])).status_code == 404


def test_a_shared_goal_completes_only_when_both_confirm(
    world: World, alice_client, bob_client
) -> None:
    goal = make(world, "couple")
    url = reverse("goals:complete", args=[goal.pk])
    alice_client.post(url)
    goal.refresh_from_db()
    assert not goal.is_complete and goal.completion_proposed_by == world.alice
    again = alice_client.post(url, follow=True)  # a second tab
    assert "when your partner agrees" in text(again)
    goal.refresh_from_db()
    assert not goal.is_complete
    bob_client.post(url, {"action": "not_yet"})
    goal.refresh_from_db()
    assert goal.completion_proposed_by is None
    goal_complete(user=world.bob, goal=goal)
    goal_complete(user=world.alice, goal=goal)
    goal.refresh_from_db()
    assert goal.is_complete
    with pytest.raises(ValidationError):
        goal_complete(user=world.bob, goal=goal)


def test_after_unpairing_a_shared_goal_is_read_only(world: World, bob_client) -> None:
    from counterpoint.pairing.services import couple_unpair

    goal = make(world, "couple")
    couple_unpair(user=world.alice)
    assert bob_client.get(reverse("goals:detail", args=[goal.pk])).status_code == 200
    assert bob_client.get(reverse("goals:edit", args=[goal.pk])).status_code == 404
    assert (
        bob_client.post(reverse("goals:progress", args=[goal.pk]), {"percent": 5}).status_code
        == 404
    )


# Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "  ", "visibility": "private"}, "Name the goal first"),
        ({"title": "x" * 201, "visibility": "private"}, "at most 200 characters"),
        ({"title": "ok", "why": "y" * 1001, "visibility": "private"}, "at most 1000 characters"),
        ({"title": "ok", "visibility": "everyone"}, "one of the choices here"),
    ],
)
def test_bad_goals_explain_and_save_nothing(world: World, alice_client, data, message) -> None:
    response = alice_client.post(reverse("goals:new"), data)
    assert response.status_code == 200 and message in text(response)
    assert not Goal.objects.filter(author=world.alice).exists()


def test_a_shared_goal_needs_a_partner(world: World) -> None:
    response = world.client_for("T").post(
        reverse("goals:new"), {"title": "Us", "visibility": "couple"}
    )
    assert "needs a partner" in text(response)
    assert not Goal.objects.exists()


@pytest.mark.parametrize("percent", ["-1", "101", "lots"])
def test_progress_out_of_range_is_refused(world: World, alice_client, percent) -> None:
    goal = make(world, "partner")
    response = alice_client.post(reverse("goals:progress", args=[goal.pk]), {"percent": percent})
    assert response.status_code == 200 and "form-errors" in text(response)
    assert not GoalProgress.objects.exists()


def test_double_submitted_goal_and_progress_save_once(world: World, alice_client) -> None:
    token = str(uuid.uuid4())
    for _ in range(2):
        alice_client.post(
            reverse("goals:new"),
            {"title": "Once", "visibility": "private", "submission_key": token},
        )
    goal = Goal.objects.get(author=world.alice)
    token = str(uuid.uuid4())
    for _ in range(2):
        alice_client.post(
            reverse("goals:progress", args=[goal.pk]), {"percent": 20, "submission_key": token}
        )
    assert GoalProgress.objects.filter(goal=goal).count() == 1


# Insight and export ------------------------------------------------------------------------


def test_growth_counts(world: World) -> None:
    mine = make(world, "partner")
    make(world, "private", "quiet one")
    goal_progress_add(user=world.alice, goal=mine, percent=60)
    goal_encourage(user=world.bob, goal=mine, kind="cheer")
    make(world, "couple", "ours")
    alice = growth_summary(world.alice)
    assert alice["my_goals"]["active"] == 2
    assert alice["my_goals"]["mean_progress_percent"] == 30  # (60 + 0) / 2
    assert alice["encouragement"]["received"] == 1
    assert alice["our_goals"]["active"] == 1
    assert alice["data_counts"] == {"goals": 3, "progress_checkins": 1, "encouragements": 1}
    bob = growth_summary(world.bob)
    assert bob["encouragement"]["given"] == 1 and bob["my_goals"]["active"] == 0
    assert bob["data_counts"]["goals"] == 1  # the shared goal only, never Alice's own


def test_export_never_holds_the_partners_private_goal(world: World, bob_client) -> None:
    make(world, "private", "ALICE-ONLY-GOAL")
    raw = bob_client.get(reverse("accounts:export")).content
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        dump = "\n".join(
            archive.read(n).decode() for n in archive.namelist() if not n.startswith("photos/")
        )
    assert "ALICE-ONLY-GOAL" not in dump


@pytest.mark.django_db(transaction=True)
def test_both_saying_done_at_once_completes_the_shared_goal_once(world: World) -> None:
    needs_row_locks()
    goal = make(world, "couple")
    results = at_once(
        lambda: goal_complete(user=world.alice, goal=goal),
        lambda: goal_complete(user=world.bob, goal=goal),
    )
    assert not any(isinstance(r, Exception) for r in results)
    goal.refresh_from_db()
    assert goal.is_complete


def test_deleting_an_account_keeps_shared_goals_and_the_partners_own(world: World) -> None:
    from counterpoint.accounts.services import account_delete

    ours = make(world, "couple", "OURS")
    goal_progress_add(user=world.alice, goal=ours, percent=40)
    bobs = make(world, "partner", "BOBS", author=world.bob)
    goal_encourage(user=world.alice, goal=bobs, kind="cheer")
    account_delete(user=world.alice, remove_couple_items=False)
    ours.refresh_from_db()
    assert ours.author is None and ours.progress == 40  # in the archive, "former partner"
    assert Goal.objects.filter(pk=bobs.pk).exists()
    assert not Encouragement.objects.filter(goal=bobs).exists()  # Alice's writing went with her


def test_encouragement_with_htmx_swaps_only_its_own_part(world: World, bob_client) -> None:
    goal = make(world, "partner")
    url = reverse("goals:encourage", args=[goal.pk])
    response = bob_client.post(url, {"kind": "cheer"}, HTTP_HX_REQUEST="true")
    page = text(response)
    assert response.status_code == 200 and "<html" not in page
    assert 'id="goal-encouragement"' in page and "Sent." in page and "You sent a cheer" in page
    invalid = text(bob_client.post(url, {"kind": "note", "note": ""}, HTTP_HX_REQUEST="true"))
    assert "Write your note first" in invalid
    assert Encouragement.objects.filter(goal=goal).count() == 1


def test_the_same_goal_from_two_tabs_is_saved_once(world: World, alice_client) -> None:
    for _tab in range(2):
        data = {"title": "Tabs", "visibility": "private", "submission_key": str(uuid.uuid4())}
        response = alice_client.post(reverse("goals:new"), data, follow=True)
    assert "already saved" in text(response)
    assert Goal.objects.filter(author=world.alice).count() == 1
