"""Boundaries, goals and commitments with a believable history, on phone and desktop: every page
passes axe and is saved as a screenshot; the partner's only action on a goal is encouragement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from counterpoint.demo import DemoCouple
from counterpoint.practices.boundaries.demo import seed_boundaries
from counterpoint.practices.commitments.demo import seed_commitments
from counterpoint.practices.goals.demo import seed_goals
from counterpoint.practices.goals.models import Encouragement, Goal
from counterpoint.practices.support.demo import seed_support
from tests.browser.conftest import DESKTOP, PHONE, click_through, sign_in
from tests.factories import make_couple, make_user

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-test-passphrase"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_practices_with_history(new_page, shot, check_a11y, viewport) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    alex = make_user("alex@example.net", "Alex", password=PASSWORD)
    sam = make_user("sam@example.net", "Sam", password=PASSWORD)
    couple = make_couple(alex, sam)
    demo = DemoCouple(alex, sam, couple, timezone.now() - dt.timedelta(days=120))
    for seed in (seed_boundaries, seed_goals, seed_commitments, seed_support):
        seed(demo)

    page = new_page(viewport)
    sign_in(page, "sam@example.net", PASSWORD)
    for path, name in [
        ("/practices/", "hub"),
        ("/boundaries/", "boundaries"),
        ("/goals/", "goals"),
        ("/commitments/", "commitments"),
        ("/support/", "support-list"),
    ]:
        page.goto(path)
        check_a11y(page, name)
        shot(page, f"tour-{name}-{size}")

    page.goto("/boundaries/")
    click_through(page.get_by_role("link", name="My phone is mine to read"))
    check_a11y(page, "boundary with history")
    shot(page, f"tour-boundary-detail-{size}")

    # Alex's own goal, as Sam: readable, encourage only.
    climb = Goal.objects.get(title="Lead a 6a outdoors")
    page.goto(f"/goals/{climb.pk}/")
    assert page.get_by_role("button", name="Save progress").count() == 0
    assert page.get_by_role("link", name="Edit goal").count() == 0
    before = Encouragement.objects.filter(goal=climb).count()
    page.get_by_role("button", name="Send a cheer").click()  # htmx swaps the form: no new page
    page.get_by_text("Sent.").wait_for()
    assert Encouragement.objects.filter(goal=climb).count() == before + 1
    check_a11y(page, "partner's goal")
    shot(page, f"tour-goal-partner-{size}")

    # A shared goal Alex thinks is done: Sam confirms it.
    room = Goal.objects.get(title="Clear out the spare room")
    page.goto(f"/goals/{room.pk}/")
    check_a11y(page, "shared goal awaiting confirmation")
    shot(page, f"tour-goal-shared-{size}")
    click_through(page.get_by_role("button", name="Yes, it's done"))
    page.get_by_text("Complete. Well done.").wait_for()

    page.goto("/commitments/")
    click_through(page.get_by_role("link", name="Make a commitment"))
    page.get_by_label("I will…").fill("Book the restaurant for Friday")
    page.get_by_label("By").fill((timezone.localdate() - dt.timedelta(days=1)).isoformat())
    click_through(page.get_by_role("button", name="Make this commitment"))
    page.get_by_text("that date has already passed").wait_for()
    check_a11y(page, "commitment with a past date")
    shot(page, f"tour-commitment-past-date-{size}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_forms_and_details_pass_axe(new_page, shot, check_a11y, viewport) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    alex = make_user("alex@example.net", "Alex", password=PASSWORD)
    sam = make_user("sam@example.net", "Sam", password=PASSWORD)
    couple = make_couple(alex, sam)
    demo = DemoCouple(alex, sam, couple, timezone.now() - dt.timedelta(days=120))
    for seed in (seed_boundaries, seed_goals, seed_commitments):
        seed(demo)
    page = new_page(viewport)
    sign_in(page, "alex@example.net", PASSWORD)

    page.goto("/boundaries/new/")
    click_through(page.get_by_role("button", name="Share it"))  # empty: errors shown inline
    check_a11y(page, "boundary form with errors")
    shot(page, f"tour-boundary-errors-{size}")

    page.goto("/goals/new/")
    check_a11y(page, "goal form")
    page.goto("/commitments/")
    click_through(page.get_by_role("link", name="finish the birthday photo album"))
    page.get_by_label("Kept", exact=True).check()
    click_through(page.get_by_role("button", name="Save"))
    page.get_by_text("Waiting for your partner to confirm.").wait_for()
    check_a11y(page, "commitment marked")
    shot(page, f"tour-commitment-marked-{size}")
