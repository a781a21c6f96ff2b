"""A partner's private writes never make the other's insights recompute (a timing side channel).

Insights are cached per data version (counterpoint/insights/cache.py). If a private journal entry
moved a version in the partner's cache key, the partner's next insights view would be computed
afresh and take measurably longer (docs/capacity.md): its timing would tell that something private
was written. Only what the viewer may read moves their key.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.demo import DemoCouple
from counterpoint.insights.cache import insights_key
from counterpoint.journal.models import JournalEntry
from counterpoint.journal.services import journal_entry_edit, journal_entry_write
from counterpoint.privacy.models import Visibility
from counterpoint.privacy.sharing import record_make_private

pytestmark = pytest.mark.django_db
CACHED_BUDGET = 15  # tests/web/test_query_budget.py: a cached insights view


def test_a_private_entry_leaves_the_partners_key_and_moves_the_authors(demo: DemoCouple) -> None:
    alex_before, sam_before = insights_key(demo.alex, "page"), insights_key(demo.sam, "page")
    entry = journal_entry_write(user=demo.sam, body="only mine", visibility=Visibility.PRIVATE)
    assert insights_key(demo.alex, "page") == alex_before
    assert insights_key(demo.sam, "page") != sam_before  # the author's own view may change
    loaded = JournalEntry.objects.get(pk=entry.pk)
    journal_entry_edit(
        user=demo.sam, entry=loaded, title="", body="still mine", visibility=Visibility.PRIVATE
    )
    JournalEntry.objects.get(pk=entry.pk).delete()
    assert insights_key(demo.alex, "page") == alex_before


def test_what_the_partner_may_read_moves_their_key(demo: DemoCouple) -> None:
    before = insights_key(demo.alex, "page")
    entry = journal_entry_write(user=demo.sam, body="for us", visibility=Visibility.PARTNER)
    shared = insights_key(demo.alex, "page")
    assert shared != before
    # made private again (an update() without signals): the partner's cache must not keep it
    record_make_private(user=demo.sam, record=JournalEntry.objects.get(pk=entry.pk))
    private_again = insights_key(demo.alex, "page")
    assert private_again != shared
    # and a private entry shared later moves it too
    hidden = journal_entry_write(user=demo.sam, body="later", visibility=Visibility.PRIVATE)
    assert insights_key(demo.alex, "page") == private_again
    journal_entry_edit(
        user=demo.sam,
        entry=JournalEntry.objects.get(pk=hidden.pk),
        title="",
        body="later",
        visibility=Visibility.PARTNER,
    )
    assert insights_key(demo.alex, "page") != private_again


def test_after_a_private_write_the_partners_next_view_is_served_from_the_cache(
    demo: DemoCouple, django_assert_max_num_queries
) -> None:
    alex, sam = Client(), Client()
    alex.force_login(demo.alex)
    sam.force_login(demo.sam)
    before = alex.get(reverse("insights:json")).json()
    response = sam.post(
        reverse("journal:new"), {"title": "", "body": "a private line", "visibility": "private"}
    )
    assert response.status_code == 302
    assert JournalEntry.objects.filter(author=demo.sam, body="a private line").exists()
    with django_assert_max_num_queries(CACHED_BUDGET):
        assert alex.get(reverse("insights:json")).json() == before
