"""Issue 9 (item 5): the demo seeders write their history through the services people use, so the
demo couple's history follows the product's real rules (a set-aside boundary is its author's
alone, a question asked waits for its answer, an answer given resolves it, a private part stays
its author's, every record carries its author's couple)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.models import User
from counterpoint.activity.models import Notice
from counterpoint.activity.selectors import waiting_for
from counterpoint.checkins.models import CheckIn, DailyQuestion, WeeklyReflection, week_start_of
from counterpoint.checkins.selectors import question_view, visible_checkins
from counterpoint.couples.demo import DemoCouple
from counterpoint.interdependence.models import Position, Taking
from counterpoint.journal.models import JournalEntry
from counterpoint.practices.boundaries.models import Boundary, BoundaryEvent
from counterpoint.practices.commitments.models import Commitment
from counterpoint.practices.decisions.models import Decision, DecisionOutcome
from counterpoint.practices.decisions.selectors import round_for
from counterpoint.practices.goals.models import Goal
from counterpoint.practices.moments.models import Moment, MomentResponse
from counterpoint.practices.repair.models import Repair, RepairReflection
from counterpoint.practices.repair.selectors import stage_of, state_for
from counterpoint.practices.support.models import SupportRequest
from counterpoint.practices.timebalance.models import TimeBlock
from counterpoint.practices.timebalance.selectors import blocks_for
from counterpoint.privacy.models import Visibility

pytestmark = pytest.mark.django_db


def test_the_demo_follows_the_rules_of_boundaries_goals_and_the_journal(demo: DemoCouple) -> None:
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


def _waiting(person: User) -> set[str]:
    return {n.link for n in waiting_for(person)}


def test_the_demo_check_ins_follow_the_rules(demo: DemoCouple) -> None:
    alex, sam = demo.alex, demo.sam
    today = alex.local_today()
    checkins = CheckIn.objects.all()
    # Made by the form's service: stamped with their author's couple, each with its own form key,
    # one a day per person, every one for a day that had come (today's only by Alex).
    assert set(checkins.values_list("couple", flat=True)) == {demo.couple.pk}
    keys = list(checkins.values_list("submission_key", flat=True))
    assert all(keys) and len(set(keys)) == len(keys)
    assert checkins.filter(day__gt=today).count() == 0
    assert list(checkins.filter(day=today).values_list("author", flat=True)) == [alex.pk]

    # A journal line is its author's alone: Sam reads Alex's check-ins without it.
    private = checkins.filter(author=alex).exclude(journal_line="").first()
    assert private is not None
    sams_view = {c.pk: c for c in visible_checkins(sam)}
    alexs_view = {c.pk: c for c in visible_checkins(alex)}
    assert sams_view[private.pk].mood == private.mood
    assert sams_view[private.pk].journal_line is None
    assert alexs_view[private.pk].journal_line == private.journal_line

    # The daily questions: both answers show on earlier days; today's Alex answered and Sam has
    # not, so Alex's answer stays hidden from Sam, and Sam was told when both answers showed.
    questions = DailyQuestion.objects.filter(couple=demo.couple).order_by("day")
    assert questions.count() == 10 and questions.last().day == today  # type: ignore[union-attr]
    for daily in questions.exclude(day=today):
        assert question_view(sam, daily).revealed and question_view(alex, daily).revealed
    todays = questions.get(day=today)
    assert question_view(sam, todays).partner_answered
    assert question_view(sam, todays).partner_answer is None
    revealed = Notice.objects.filter(kind="question_revealed")
    assert revealed.count() == 9 and not revealed.filter(read_at=None).exists()

    # Weekly reflections: one a week per person, stamped with the couple, none ahead of this week.
    reflections = WeeklyReflection.objects.all()
    assert set(reflections.values_list("couple", flat=True)) == {demo.couple.pk}
    assert reflections.filter(week_start__gt=week_start_of(today)).count() == 0
    assert reflections.filter(author=alex).count() == reflections.filter(author=sam).count()


def test_the_demo_map_shares_positions_and_never_the_answers(demo: DemoCouple) -> None:
    positions = Position.objects.all()
    assert positions.count() == 4
    assert set(positions.values_list("visibility", flat=True)) == {Visibility.PARTNER}
    assert set(positions.values_list("couple", flat=True)) == {demo.couple.pk}
    assert set(Taking.objects.values_list("visibility", flat=True)) == {Visibility.PRIVATE}
    # The partner was told when each was shared, a month ago and this week.
    told = Notice.objects.filter(kind="map_shared")
    assert sorted(told.values_list("created_at", flat=True)) == sorted(
        positions.values_list("created_at", flat=True)
    )


def test_the_demo_moments_wait_for_a_response_until_it_is_given(demo: DemoCouple) -> None:
    unanswered = Moment.objects.get(text__startswith="Feeling low today")
    assert unanswered.author == demo.alex and not MomentResponse.objects.filter(moment=unanswered)
    assert unanswered.get_absolute_url() in _waiting(demo.sam)
    answered = Moment.objects.filter(response__isnull=False)
    assert answered.count() == 7
    for moment in answered:
        assert moment.get_absolute_url() not in _waiting(demo.alex) | _waiting(demo.sam)
        assert moment.response.responder != moment.author  # the partner responds, never oneself
        # the response came after the moment, as the history says
        assert moment.response.responded_at > moment.created_at
    assert set(Moment.objects.values_list("couple", flat=True)) == {demo.couple.pk}
    assert all(Moment.objects.values_list("submission_key", flat=True))


def test_the_demo_decisions_keep_views_blind_and_wait_for_sam(demo: DemoCouple) -> None:
    made = Decision.objects.get(title="Where do we go in August?")
    revisited = Decision.objects.get(title="Hosting Christmas this year?")
    asked = Decision.objects.get(title__startswith="Should we get a dog")
    assert made.status == Decision.Status.DECIDED
    assert revisited.status == Decision.Status.OPEN and revisited.round == 2
    # Alex's new view is in; Sam cannot see it until Sam adds theirs.
    sams_round = round_for(demo.sam, revisited)
    assert sams_round.partner_has_entered and not sams_round.revealed and not sams_round.others
    assert DecisionOutcome.objects.filter(decision=revisited, round=1).exists()
    waiting_sam = _waiting(demo.sam)
    assert revisited.get_absolute_url() in waiting_sam
    assert asked.get_absolute_url() in waiting_sam
    assert made.get_absolute_url() not in waiting_sam | _waiting(demo.alex)
    assert set(Decision.objects.values_list("couple", flat=True)) == {demo.couple.pk}
    assert all(Decision.objects.values_list("submission_key", flat=True))  # each from its form


def test_the_demo_repairs_follow_their_stages(demo: DemoCouple) -> None:
    done = Repair.objects.get(topic="Dinner on Friday")
    ongoing = Repair.objects.get(topic="The weekend plans")
    assert stage_of(done) == "closed" and done.next_step_agreed_at is not None
    assert done.next_step_by == demo.alex
    assert done.closed_at is not None and done.next_step_agreed_at < done.closed_at
    # Each heard the other, confirmed; the correction Alex gave is kept.
    confirmed = RepairReflection.objects.filter(repair=done, answer="confirmed")
    assert set(confirmed.values_list("author", flat=True)) == {demo.alex.pk, demo.sam.pk}
    assert RepairReflection.objects.filter(repair=done, answer="corrected").count() == 1
    link = done.get_absolute_url()
    assert link not in _waiting(demo.alex) | _waiting(demo.sam)
    # Alex has written their side of the ongoing one; it stays hidden from Sam, who is asked.
    sams_state = state_for(demo.sam, ongoing)
    assert sams_state.stage == "share" and sams_state.partner_has_shared
    assert sams_state.partner_share is None
    assert ongoing.get_absolute_url() in _waiting(demo.sam)
    assert all(Repair.objects.values_list("submission_key", flat=True))  # each from its form


def test_the_demo_time_is_logged_and_planned_as_the_rules_allow(demo: DemoCouple) -> None:
    today = demo.alex.local_today()
    blocks = TimeBlock.objects.all()
    assert not blocks.filter(done=True, day__gt=today).exists()  # nothing logged ahead
    assert not blocks.filter(done=False, day__lt=today).exists()  # nothing planned behind
    assert blocks.filter(done=False).exists()
    # each logged or planned with its form (a plan done logs its time without one: not here)
    logged = blocks.exclude(note="Picnic by the river at sunset")
    assert all(logged.values_list("submission_key", flat=True))
    together = blocks.filter(kind="we")
    assert set(together.values_list("visibility", flat=True)) == {Visibility.COUPLE}
    assert set(together.values_list("couple", flat=True)) == {demo.couple.pk}
    # Sam's evenings alone are Sam's: not among what Alex can read.
    alone = blocks.filter(note="Evening alone")
    assert alone.exists() and set(alone.values_list("author", flat=True)) == {demo.sam.pk}
    assert set(alone.values_list("visibility", flat=True)) == {Visibility.PRIVATE}
    assert not blocks_for(demo.alex).filter(pk__in=alone).exists()
    assert blocks_for(demo.sam).filter(pk__in=alone).count() == alone.count()


def test_the_demo_support_answered_waits_for_nobody(demo: DemoCouple) -> None:
    requests = SupportRequest.objects.all()
    waiting = requests.get(response__isnull=True)
    assert waiting.author == demo.sam
    assert waiting.get_absolute_url() in _waiting(demo.alex)
    answered = requests.filter(response__isnull=False)
    assert answered.count() == 6
    everyone_waits = _waiting(demo.alex) | _waiting(demo.sam)
    for item in answered:
        assert item.get_absolute_url() not in everyone_waits
        assert item.response.author != item.author
        assert item.response.couple == demo.couple
        assert item.response.response_seconds > 0
    first = requests.get(details__startswith="Big week at work")
    assert first.response.response_seconds == 40 * 60  # answered within the hour
    assert first.landed and first.landed_at is not None
    assert set(requests.values_list("couple", flat=True)) == {demo.couple.pk}


def test_the_demo_opens_with_only_what_asks_for_an_answer_unread(demo: DemoCouple) -> None:
    for person in (demo.alex, demo.sam):
        unread = Notice.objects.filter(recipient=person, read_at__isnull=True)
        assert unread.exists() and not unread.filter(needs_answer=False).exists()
        # reading is not answering: everything that waits still waits
        assert {n.link for n in waiting_for(person)} <= set(unread.values_list("link", flat=True))
