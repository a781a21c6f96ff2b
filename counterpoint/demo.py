"""The demo couple, Alex and Sam, for trying Counterpoint locally (``manage.py demo``).

Each feature's seeder gets the two people and their couple and fills in a believable history.
They are one plain list, in the order they run (this module sits on top, next to the pages).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from counterpoint.accounts.models import User
from counterpoint.activity.models import Notice, NoticePreference
from counterpoint.activity.services import notice_preferences_update
from counterpoint.checkins.demo import seed_demo_checkins
from counterpoint.couples.demo import DemoCouple
from counterpoint.couples.models import Couple, Membership
from counterpoint.interdependence.demo import seed_map
from counterpoint.journal.demo import seed_journal
from counterpoint.notify.models import OutboundEmail
from counterpoint.operations.memo import read_only_request
from counterpoint.practices.boundaries.demo import seed_boundaries
from counterpoint.practices.commitments.demo import seed_commitments
from counterpoint.practices.decisions.demo import seed_decisions
from counterpoint.practices.goals.demo import seed_goals
from counterpoint.practices.moments.demo import seed_moments
from counterpoint.practices.plans.demo import seed_plans
from counterpoint.practices.repair.demo import seed_repairs
from counterpoint.practices.support.demo import seed_support
from counterpoint.practices.timebalance.demo import seed_time
from counterpoint.research.demo import seed_research

DEMO_PASSWORD = "counterpoint-demo"
DEMO_DAYS = 120


Seeder = Callable[[DemoCouple], None]
DEMO_SEEDERS: list[Seeder] = [
    seed_journal,
    seed_map,
    seed_moments,
    seed_decisions,
    seed_repairs,
    seed_time,
    seed_demo_checkins,
    seed_support,
    seed_boundaries,
    seed_goals,
    seed_commitments,
    seed_plans,
    seed_research,
]


def demo_create() -> DemoCouple | None:
    """Create Alex and Sam with their history. Returns None when they already exist."""
    if User.objects.filter(email__in=["alex@example.com", "sam@example.com"]).exists():
        return None
    with transaction.atomic():
        start = timezone.now() - dt.timedelta(days=DEMO_DAYS)
        alex = User.objects.create_user(
            "alex@example.com", DEMO_PASSWORD, display_name="Alex", time_zone="Europe/London"
        )
        sam = User.objects.create_user(
            "sam@example.com", DEMO_PASSWORD, display_name="Sam", time_zone="Europe/London"
        )
        User.objects.filter(pk__in=[alex.pk, sam.pk]).update(date_joined=start)
        couple = Couple.objects.create(created_at=start)
        Membership.objects.create(couple=couple, user=alex, joined_at=start)
        Membership.objects.create(couple=couple, user=sam, joined_at=start)
        demo = DemoCouple(alex=alex, sam=sam, couple=couple, start=start)
        # The seeders go through the services, which email what a real history would have sent.
        # The demo's history is the past: while it is written, Alex and Sam get no email; then
        # their preferences go back to the defaults and nothing queued is delivered.
        for person in (alex, sam):
            notice_preferences_update(user=person, email_when_asked=False, email_everything=False)
        # Nobody pairs or unpairs while the history is written, so "who is my partner?" is
        # answered once per person, as within a page (operations.memo); the services run in full.
        with read_only_request():
            for seeder in DEMO_SEEDERS:
                seeder(demo)
        NoticePreference.objects.filter(user__in=[alex, sam]).delete()
        # What only told them something was read long ago; what asks for an answer stays new.
        Notice.objects.filter(
            recipient__in=[alex, sam], needs_answer=False, read_at__isnull=True
        ).update(read_at=timezone.now())
        OutboundEmail.objects.filter(recipient__in=[alex, sam]).delete()
        return demo
