"""Issue 9 (item 5): the demo seeders write their history through the services people use, so the
demo couple's history follows the product's real rules (a set-aside boundary is its author's
alone, a question asked waits for its answer)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.activity.selectors import waiting_for
from counterpoint.demo import demo_create
from counterpoint.journal.models import JournalEntry
from counterpoint.practices.boundaries.models import Boundary, BoundaryEvent
from counterpoint.practices.commitments.models import Commitment
from counterpoint.practices.goals.models import Goal
from counterpoint.privacy.models import Visibility

pytestmark = pytest.mark.django_db


def test_the_demo_follows_the_rules_of_boundaries_goals_and_the_journal() -> None:
    demo = demo_create()
    assert demo is not None
    sam = Client()
    sam.force_login(demo.sam)

    # A boundary set aside is its author's alone, with its history (issue 10's rule).
    retired = Boundary.objects.get(retired_at__isnull=False)
    assert retired.visibility == Visibility.PRIVATE
    own_events = BoundaryEvent.objects.filter(boundary=retired, author=retired.author)
    assert set(own_events.values_list("visibility", flat=True)) == {Visibility.PRIVATE}
    assert retired.what not in sam.get(reverse("boundaries:list")).content.decode()

    # What was asked and not yet answered waits for an answer.
    unacknowledged = Boundary.objects.get(what__startswith="Sundays with my friends")
    proposed = Goal.objects.get(completion_proposed_by__isnull=False)
    assert proposed.completion_proposed_by == demo.alex
    waiting_sam = {n.link for n in waiting_for(demo.sam)}
    waiting_alex = {n.link for n in waiting_for(demo.alex)}
    assert proposed.get_absolute_url() in waiting_sam
    assert unacknowledged.get_absolute_url() in waiting_alex
    # What was answered waits for nothing.
    answered = Boundary.objects.get(what="My phone is mine to read")
    assert answered.version == 2
    assert answered.get_absolute_url() not in waiting_sam | waiting_alex

    # A commitment marked and not yet confirmed asks the partner how they saw it; a confirmed one
    # asks nothing; every one was made for a day that had not passed (then dated back).
    unconfirmed = Commitment.objects.get(promise__startswith="sort out the holiday dates")
    confirmed = Commitment.objects.get(promise__startswith="book the train")
    assert unconfirmed.author == demo.sam and unconfirmed.confirmed_at is None
    assert unconfirmed.get_absolute_url() in waiting_alex
    assert confirmed.confirmed_at is not None
    assert confirmed.get_absolute_url() not in waiting_sam | waiting_alex

    # Journal entries belong to their author's couple, as the journal's service stamps them.
    assert JournalEntry.objects.filter(author=demo.alex).count() == 2
    assert set(JournalEntry.objects.values_list("couple", flat=True)) == {demo.couple.pk}
