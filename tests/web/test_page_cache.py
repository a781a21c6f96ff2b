"""Kept pages (counterpoint/privacy/page_cache.py) are never stale, never shared, never a leak.

Every signed-in page of the daily loop is kept per session and data version. These tests hold it
to three promises: a kept page is what a fresh render would show, after any write the viewer may
see; the partner's private writes change nothing the viewer can observe (not the page, not
whether it was rendered); per-request values (CSRF tokens, the CSP nonce, one-time messages) are
always this request's own.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from counterpoint.checkins.models import CheckIn
from counterpoint.demo import DemoCouple
from counterpoint.journal.models import JournalEntry
from counterpoint.practices.plans.models import Plan
from counterpoint.privacy.sharing import record_make_private
from tests.web.checkin_form import checkin_values
from tests.web.kept_pages import HIT_BUDGET, KEPT_PAGES, normal_page

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _fresh(client: Client, url: str, settings: Any) -> str:
    settings.PAGE_CACHE_SECONDS = 0
    try:
        return normal_page(client.get(url).content)
    finally:
        settings.PAGE_CACHE_SECONDS = 60


def _check_in_values(who: object, mood: int) -> dict[str, object]:
    return checkin_values(who.local_today().isoformat(), mood)  # type: ignore[attr-defined]


def _check_in(client: Client, who: object, mood: int) -> None:
    assert client.post(reverse("checkins:today"), _check_in_values(who, mood)).status_code == 302


def _journal(client: Client, body: str, visibility: str) -> None:
    data = {"title": "", "body": body, "visibility": visibility}
    assert client.post(reverse("journal:new"), data).status_code == 302


def test_a_kept_page_is_what_a_fresh_render_shows_after_every_kind_of_write(
    demo: DemoCouple, settings: Any
) -> None:
    alex, sam = _client(demo.alex), _client(demo.sam)
    writes = [
        ("nothing", lambda: None),
        ("Sam checks in", lambda: _check_in(sam, demo.sam, 2)),
        ("Alex checks in", lambda: _check_in(alex, demo.alex, 9)),
        ("Sam shares a journal entry", lambda: _journal(sam, "for both of us", "partner")),
        ("Sam writes privately", lambda: _journal(sam, "mine alone", "private")),
        ("Sam makes the shared entry private", lambda: _make_private(demo)),
        ("Alex opens everything", lambda: alex.post(reverse("activity:mark_all_read"))),
    ]
    for what, write in writes:
        for url in map(reverse, KEPT_PAGES):
            for client in (alex, sam):
                client.get(url)  # keep the page as it is
        write()
        for client in (alex, sam):
            client.get(reverse("activity:preferences"))  # shows (and so ends) any "Saved." message
        for url in map(reverse, KEPT_PAGES):
            for name, client in (("Alex", alex), ("Sam", sam)):
                kept = normal_page(client.get(url).content)
                assert kept == _fresh(client, url, settings), f"{url} for {name} after: {what}"


def test_opening_what_a_notice_points_to_updates_the_kept_pages_that_count_it(
    demo: DemoCouple, settings: Any, django_assert_max_num_queries
) -> None:
    """Opening a plan or a repair marks its notices read inside a GET (no form is sent): the kept
    feed and the unread count on every kept page must follow."""
    alex, sam = _client(demo.alex), _client(demo.sam)
    sam.get(reverse("plans:new"))
    data = {"title": "A walk by the river", "kind": "date", "shared": "yes"}
    assert sam.post(reverse("plans:new"), {**data, "submission_key": "k-river"}).status_code == 302
    plan = Plan.objects.get(title="A walk by the river")
    for url in map(reverse, KEPT_PAGES):
        alex.get(url)  # keep each page while the notice is unread
    assert alex.get(plan.get_absolute_url()).status_code == 200  # reads the notice
    for url in map(reverse, KEPT_PAGES):
        assert normal_page(alex.get(url).content) == _fresh(alex, url, settings), url
    # opened again, with nothing left to mark read: nothing changed, the pages stay kept
    for url in map(reverse, KEPT_PAGES):
        alex.get(url)
    assert alex.get(plan.get_absolute_url()).status_code == 200
    for url in map(reverse, KEPT_PAGES):
        with django_assert_max_num_queries(HIT_BUDGET):
            alex.get(url)


def test_the_feed_is_rendered_again_for_a_notice_not_for_what_the_partner_shares_elsewhere(
    demo: DemoCouple, settings: Any, django_assert_max_num_queries
) -> None:
    """The feed shows only notices addressed to its viewer: Sam's check-in (shared, shown on
    Alex's home and insights) leaves it kept; Sam's suggestion, which notifies Alex, does not."""
    alex, sam = _client(demo.alex), _client(demo.sam)
    feed = reverse("activity:feed")
    alex.get(feed)  # the first response sets the CSRF cookie, so it is not kept
    before = normal_page(alex.get(feed).content)
    _check_in(sam, demo.sam, 3)
    with django_assert_max_num_queries(HIT_BUDGET):
        kept = normal_page(alex.get(feed).content)
    assert kept == before == _fresh(alex, feed, settings)
    sam.get(reverse("plans:new"))
    data = {"title": "Dinner out", "kind": "date", "shared": "yes", "submission_key": "k-dinner"}
    assert sam.post(reverse("plans:new"), data).status_code == 302
    after = normal_page(alex.get(feed).content)
    assert after != before and "suggested something to do together" in after
    assert after == _fresh(alex, feed, settings)


def _make_private(demo: DemoCouple) -> None:
    entry = JournalEntry.objects.filter(author=demo.sam, body="for both of us").get()
    record_make_private(user=demo.sam, record=entry)


def test_a_second_view_is_served_without_rendering(
    demo: DemoCouple, django_assert_max_num_queries
) -> None:
    alex = _client(demo.alex)
    for url in map(reverse, KEPT_PAGES):
        first = alex.get(url)
        with django_assert_max_num_queries(HIT_BUDGET):
            again = alex.get(url)
        assert normal_page(again.content) == normal_page(first.content)
        assert again["Content-Type"] == first["Content-Type"]


def test_the_partners_private_writes_leave_the_viewers_kept_page_in_place(
    demo: DemoCouple, django_assert_max_num_queries
) -> None:
    """Neither the page nor its cost may tell Alex that Sam wrote something private."""
    alex, sam = _client(demo.alex), _client(demo.sam)
    kept = {url: normal_page(alex.get(url).content) for url in map(reverse, KEPT_PAGES)}
    _journal(sam, "only for me", "private")
    for url in map(reverse, KEPT_PAGES):
        with django_assert_max_num_queries(HIT_BUDGET):
            assert normal_page(alex.get(url).content) == kept[url]


def test_pages_are_kept_per_session_never_shared(
    demo: DemoCouple, django_assert_max_num_queries, django_assert_num_queries
) -> None:
    alex_phone, alex_laptop, sam = _client(demo.alex), _client(demo.alex), _client(demo.sam)
    url = reverse("pages:home")
    alex_phone.get(url)
    page_for_sam = sam.get(url).content.decode()
    assert "Hello, Sam" in page_for_sam and "Hello, Alex" not in page_for_sam
    with django_assert_max_num_queries(HIT_BUDGET):
        alex_phone.get(url)
    # another device renders its own page (its session is not the phone's)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as rendered:
        assert "Hello, Alex" in alex_laptop.get(url).content.decode()
    assert len(rendered) > HIT_BUDGET


def test_a_kept_form_carries_this_requests_own_token_and_it_is_accepted(demo: DemoCouple) -> None:
    sam = Client(enforce_csrf_checks=True)
    sam.force_login(demo.sam)
    url = reverse("checkins:today")
    first = sam.get(url).content.decode()
    kept = sam.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', kept)
    assert token is not None
    assert token.group(1) not in first  # masked afresh, as a render would
    values = {"csrfmiddlewaretoken": token.group(1), **_check_in_values(demo.sam, 4)}
    key = re.search(r'name="submission_key" value="([0-9a-f]{32})"', kept)
    first_key = re.search(r'name="submission_key" value="([0-9a-f]{32})"', first)
    assert key is not None and first_key is not None
    assert key.group(1) != first_key.group(1)  # two page loads are two forms, never one repeated
    values["submission_key"] = key.group(1)
    assert sam.post(url, values).status_code == 302
    assert CheckIn.objects.get(author=demo.sam, day=demo.sam.local_today()).mood == 4


def test_a_kept_chart_runs_under_this_responses_nonce(demo: DemoCouple) -> None:
    alex = _client(demo.alex)
    url = reverse("insights:page")
    alex.get(url)
    kept = alex.get(url)
    header = re.search(r"'nonce-([^']+)'", kept["Content-Security-Policy"])
    assert header is not None
    scripts = re.findall(r'<script nonce="([^"]+)"', kept.content.decode())
    assert scripts and set(scripts) == {header.group(1)}


def test_a_one_time_message_is_shown_once_and_never_kept(demo: DemoCouple) -> None:
    alex = _client(demo.alex)
    url = reverse("activity:preferences")
    feed = reverse("activity:feed")
    alex.get(feed)
    response = alex.post(url, {"email_when_asked": "on"}, follow=True)
    assert "Saved." in response.content.decode()
    alex.post(url, {"email_when_asked": "on"})  # the message waits for the next page
    assert "Saved." in alex.get(feed).content.decode()
    assert "Saved." not in alex.get(feed).content.decode()


def test_a_page_that_changes_at_a_moment_is_not_kept_past_it(
    demo: DemoCouple, settings: Any
) -> None:
    """The check-in turns to the evening at 15:00 for twice-daily people; no write marks it."""
    from counterpoint.checkins.services import checkin_settings_update

    checkin_settings_update(user=demo.alex, values={"twice_daily": True})
    alex = _client(demo.alex)
    url = reverse("checkins:today")
    tz = demo.alex.tzinfo
    today = demo.alex.local_today()
    morning = dt.datetime.combine(today, dt.time(14, 59, 50), tzinfo=tz)
    with time_machine.travel(morning, tick=True):
        before = normal_page(alex.get(url).content)
        assert before == normal_page(alex.get(url).content)
    with time_machine.travel(morning + dt.timedelta(seconds=20), tick=True):
        after = normal_page(alex.get(url).content)
        assert after == _fresh(alex, url, settings)
    assert after != before


def _scopes_by_selectors(user: Any) -> list[str]:
    """The scopes the viewer may read, as the couple selectors name them."""
    from counterpoint.couples.selectors import active_couple, partner_of
    from counterpoint.operations.versions import couple_scope, person_scope, shared_scope

    scopes = [person_scope(user.pk)]
    partner, couple = partner_of(user), active_couple(user)
    if partner is not None:
        scopes.append(shared_scope(partner.pk))
    if couple is not None:
        scopes.append(couple_scope(couple.pk))
    return sorted(scopes)


def test_the_stamp_names_what_the_viewer_may_read_through_pairing_and_unpairing() -> None:
    """The stamp is read in one statement; it must name the same scopes as the selectors do, at
    every step of a life in the app: alone, paired, unpaired, paired with someone else."""
    from counterpoint.accounts.services import account_signup
    from counterpoint.journal.services import journal_entry_write
    from counterpoint.operations.versions import versions_of
    from counterpoint.pairing.services import couple_unpair, invite_accept, invite_create
    from counterpoint.privacy.page_cache import _readable_versions

    ann, ben, cat = (
        account_signup(email=f"{n}@example.com", password="a long pass phrase", display_name=n)
        for n in ("Ann", "Ben", "Cat")
    )

    def check(user: Any) -> None:
        for person in (ann, ben, cat):
            journal_entry_write(user=person, body="a shared line", visibility="partner")
        wanted = _scopes_by_selectors(user)
        found = _readable_versions(user.pk)
        assert [scope for scope, _ in found] == wanted
        assert [version for _, version in found] == list(versions_of(wanted))

    check(ann)  # alone
    invite_accept(user=ben, code_or_token=invite_create(inviter=ann).code)
    for person in (ann, ben):  # paired
        check(person)
    couple_unpair(user=ben, notify=False)
    for person in (ann, ben):  # apart again
        check(person)
    invite_accept(user=cat, code_or_token=invite_create(inviter=ann).code)
    for person in (ann, cat, ben):  # Ann with Cat; Ben alone
        check(person)
