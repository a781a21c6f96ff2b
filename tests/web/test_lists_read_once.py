"""Pages that list a couple's days or items read the database as often for many as for few.

A crawl of every page of the demo, as Alex, grouping each page's SQL by shape, found two pages
repeating one query for each thing they list: the daily question's page (the answers of each of
up to 60 past questions) and plans.json (each plan's answers and memory). Each page here is
counted with a few of what it lists and again with more, all made through the services as people
make them; the counts must not move.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from counterpoint.accounts.models import User
from counterpoint.checkins.services import daily_question_get, question_answer
from counterpoint.practices.plans.services import memory_add, plan_add, plan_interest_answer
from tests.factories import make_couple, make_user

pytestmark = pytest.mark.django_db
PAGES = ["checkins:question", "plans:list", "plans:list_json", "plans:memories"]
PAGES += ["plans:memories_json"]


def _couple() -> tuple[User, User]:
    alex, sam = make_user("alex@example.org", "Alex"), make_user("sam@example.org", "Sam")
    make_couple(alex, sam)
    return alex, sam


def _days_answered(alex: User, sam: User, days_ago: range) -> None:
    """Both answer the couple's question on each of those days, on the day."""
    for back in days_ago:
        with time_machine.travel(timezone.now() - dt.timedelta(days=back), tick=False):
            daily = daily_question_get(user=alex)
            assert daily is not None
            question_answer(user=alex, question_pk=daily.pk, text=f"Alex, {back} days ago")
            question_answer(user=sam, question_pk=daily.pk, text=f"Sam, {back} days ago")


def _plans_and_memories(alex: User, sam: User, n: int) -> None:
    """Sam suggests plans that both answer, and each adds a shared memory."""
    for i in range(n):
        plan, _ = plan_add(
            user=sam, title=f"Plan {i}", kind="trip", submission_key=uuid.uuid4().hex
        )
        plan_interest_answer(user=alex, plan=plan, answer="love")
        plan_interest_answer(user=sam, plan=plan, answer="maybe")
        for person in (alex, sam):
            memory_add(
                user=person,
                title=f"{person.display_name}'s memory {i}",
                happened_on=person.local_today() - dt.timedelta(days=i + 1),
                submission_key=uuid.uuid4().hex,
            )


def _counts(alex: User) -> dict[str, int]:
    client = Client()
    client.force_login(alex)
    client.get(reverse(PAGES[0]))  # what a session's first page reads once
    counts = {}
    for name in PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200, name
        counts[name] = len(queries)
    return counts


def test_lists_of_days_and_items_read_as_often_for_many_as_for_few() -> None:
    alex, sam = _couple()
    _days_answered(alex, sam, range(1, 3))
    _plans_and_memories(alex, sam, 2)
    few = _counts(alex)
    _days_answered(alex, sam, range(3, 9))
    _plans_and_memories(alex, sam, 4)
    more = _counts(alex)
    assert more == few
