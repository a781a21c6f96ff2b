"""The hostile partner's sweep: nothing Sam does privately changes anything Alex can observe.

"Private" means only its author, ever: no aggregate, timestamp, count or side effect may reveal
it, and the partner is in the threat model. Alex's signed-in pages are kept per session and data
version (counterpoint/privacy/page_cache.py): a kept page is served in about a millisecond, a
rendered one in ten or more. So if a private write of Sam's moved a version in Alex's key (Sam's
``p:`` scope, the couple's ``c:`` scope, Alex's own ``u:``), Alex could tell by the speed of the
next page that Sam did something, even with every page's words unchanged.

Each case below is something a person can do privately, driven through the forms and views people
use (the test client posting them). For each, Alex's version key, Alex's insights key, the words
of Alex's pages and JSON, and whether Alex's daily pages are served as kept must all be as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counterpoint.accounts.models import User
from counterpoint.checkins.models import SHAREABLE_FIELDS, WeeklyReflection
from counterpoint.demo import DemoCouple
from counterpoint.insights.cache import insights_key
from counterpoint.journal.models import JournalEntry
from counterpoint.practices.boundaries.models import Boundary
from counterpoint.practices.commitments.models import Commitment
from counterpoint.practices.goals.models import Goal
from counterpoint.practices.plans.models import Memory, Plan
from counterpoint.practices.support.models import SupportRequest
from counterpoint.practices.timebalance.models import TimeBlock
from counterpoint.privacy.page_cache import _readable_versions
from tests.web.kept_pages import HIT_BUDGET, KEPT_PAGES, normal_page

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-passphrase-7"
NEW_PASSWORD = "another-long-passphrase-8"
# Everything else of Alex's whose words must not change either (rendered each time).
OTHER_PAGES = [
    "interdependence:json",
    "activity:feed_json",
    "checkins:history",
    "checkins:reflection",
    "checkins:question",
    "journal:list",
    "plans:list",
    "plans:list_json",
    "plans:memories",
    "plans:memories_json",
    "goals:list",
    "boundaries:list",
    "commitments:list",
    "support:list",
    "moments:list",
    "moments:json",
    "timebalance:week",
    "timebalance:week_json",
    "timebalance:balance_json",
    "decisions:list_json",
    "repair:list_json",
    "professionals:couple",
    "practices:hub",
]


@dataclass
class Hostile:
    """Alex watches; Sam acts privately."""

    demo: DemoCouple
    alex: Client
    sam: Client
    found: dict[str, Any]

    @property
    def today(self) -> str:
        return self.demo.sam.local_today().isoformat()

    def post(self, name: str, data: dict[str, Any] | None = None, **kwargs: Any) -> None:
        response = self.sam.post(reverse(name, kwargs=kwargs or None), data or {})
        assert response.status_code in (200, 302), (name, response.status_code)
        if response.status_code == 200:  # a form shown again: it was refused
            assert b"form-errors" not in response.content, name


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# -- what Sam does --------------------------------------------------------------------------------
_KEYS = iter(range(10**6))


def _key() -> str:
    return f"sweep-{next(_KEYS)}"


def _journal_private(h: Hostile) -> None:
    h.post(
        "journal:new",
        {"title": "", "body": "mine", "visibility": "private", "submission_key": _key()},
    )
    h.found["journal"] = JournalEntry.objects.filter(author=h.demo.sam, body="mine").get().pk


def _journal_edit(h: Hostile) -> None:
    h.post(
        "journal:edit",
        {"title": "t", "body": "still mine", "visibility": "private"},
        pk=h.found["journal"],
    )


def _journal_delete(h: Hostile) -> None:
    h.post("journal:delete", pk=h.found["journal"])


def _memory_private(h: Hostile) -> None:
    data = {"title": "Our quiet walk", "happened_on": h.today, "shared": "no"}
    h.post("plans:memory_new", {**data, "submission_key": _key()})
    h.found["memory"] = Memory.objects.filter(author=h.demo.sam, title="Our quiet walk").get().pk


def _memory_words(h: Hostile) -> None:
    h.post("plans:memory_words", {"text": "only my words"}, pk=h.found["memory"])


def _memory_delete(h: Hostile) -> None:
    h.post("plans:memory_delete", pk=h.found["memory"])


def _plan_private(h: Hostile) -> None:
    data = {"title": "A secret plan", "kind": "date", "shared": "no"}
    h.post("plans:new", {**data, "submission_key": _key()})
    h.found["plan"] = Plan.objects.filter(author=h.demo.sam, title="A secret plan").get().pk


def _plan_edit(h: Hostile) -> None:
    data = {"title": "A secret plan, changed", "kind": "date", "shared": "no"}
    h.post("plans:edit", {**data, "submission_key": _key()}, pk=h.found["plan"])


def _plan_done(h: Hostile) -> None:
    h.post("plans:done", {"happened_on": h.today, "minutes_together": "30"}, pk=h.found["plan"])


def _plan_delete(h: Hostile) -> None:
    h.post("plans:delete", pk=h.found["plan"])


def _private_boundary(h: Hostile) -> None:
    data = {"what": "A quiet hour", "why": "to rest", "what_helps": ""}
    h.post("boundaries:new", {**data, "submission_key": _key()})
    pk = Boundary.objects.filter(author=h.demo.sam, what="A quiet hour").get().pk
    h.post("boundaries:make_private", pk=pk)
    h.found["boundary"] = pk


def _boundary_retire(h: Hostile) -> None:
    h.post("boundaries:retire", pk=h.found["boundary"])


def _boundary_revise(h: Hostile) -> None:
    data = {"what": "A quiet hour, or two", "why": "to rest", "what_helps": ""}
    h.post("boundaries:revise", {**data, "submission_key": _key()}, pk=h.found["boundary"])


def _private_commitment(h: Hostile) -> None:
    data = {"promise": "Call my sister", "due_on": h.today, "submission_key": _key()}
    h.post("commitments:new", data)
    pk = Commitment.objects.filter(author=h.demo.sam, promise="Call my sister").get().pk
    h.post("commitments:make_private", pk=pk)
    h.found["commitment"] = pk


def _commitment_mark(h: Hostile) -> None:
    h.post("commitments:mark", {"outcome": "kept", "note": ""}, pk=h.found["commitment"])


def _private_support(h: Hostile) -> None:
    h.post("support:new", {"kind": "listening", "details": "x", "submission_key": _key()})
    pk = SupportRequest.objects.filter(author=h.demo.sam).order_by("-pk").first().pk  # type: ignore[union-attr]
    h.post("support:make_private", pk=pk)
    h.found["support"] = pk


def _goal_private(h: Hostile) -> None:
    data = {"title": "Run 5k", "why": "", "visibility": "private", "submission_key": _key()}
    h.post("goals:new", data)
    h.found["goal"] = Goal.objects.filter(author=h.demo.sam, title="Run 5k").get().pk


def _goal_edit(h: Hostile) -> None:
    data = {"title": "Run 10k", "why": "", "visibility": "private", "submission_key": _key()}
    h.post("goals:edit", data, pk=h.found["goal"])


def _goal_progress(h: Hostile) -> None:
    h.post(
        "goals:progress",
        {"percent": "40", "note": "", "submission_key": _key()},
        pk=h.found["goal"],
    )


def _goal_complete(h: Hostile) -> None:
    h.post("goals:complete", pk=h.found["goal"])


def _time_private(h: Hostile) -> None:
    data = {"kind": "me", "day": h.today, "minutes": "45", "done": "log", "note": ""}
    h.post("timebalance:add", {**data, "visibility": "private", "submission_key": _key()})
    h.found["time"] = TimeBlock.objects.filter(author=h.demo.sam).order_by("-pk").first().pk  # type: ignore[union-attr]


def _time_delete(h: Hostile) -> None:
    h.post("timebalance:delete", pk=h.found["time"])


def _moment_private(h: Hostile) -> None:
    data = {"kind": "win", "text": "I did it", "visibility": "private", "submission_key": _key()}
    h.post("moments:new", data)


def _share_nothing(h: Hostile) -> None:
    h.post("safety:stop_sharing")


def _share_no_field(h: Hostile) -> None:
    """Every sharing switch off in the check-in settings (shared records stay shared)."""
    h.post("checkins:settings", {"reminder_time": ""})  # a browser sends at least its token


def _this_week(h: Hostile) -> dt.date:
    today = h.demo.sam.local_today()
    return today - dt.timedelta(days=today.weekday())


def _no_reflection_this_week(h: Hostile) -> None:
    _share_no_field(h)
    WeeklyReflection.objects.filter(author=h.demo.sam, week_start=_this_week(h)).delete()


def _check_in_values(h: Hostile, **changes: Any) -> dict[str, Any]:
    values = {
        "day": h.today,
        "mood": 4,
        "energy": 5,
        "stress": 3,
        "closeness": 5,
        "sought_support": "no",
        "me_minutes": 30,
        "we_minutes": 60,
        "journal_line": "",
        "submission_key": _key(),
    }
    return {**values, **changes}


def _check_in(h: Hostile) -> None:
    h.post("checkins:today", _check_in_values(h))


def _check_in_journal_line(h: Hostile) -> None:
    h.post("checkins:today", _check_in_values(h, journal_line="a private line"))


def _settings_values(h: Hostile, **changes: Any) -> dict[str, Any]:
    from counterpoint.checkins.models import CheckInSettings

    row, _ = CheckInSettings.objects.get_or_create(user=h.demo.sam)
    values: dict[str, Any] = {name: "on" for name in SHAREABLE_FIELDS if getattr(row, name)}
    if row.twice_daily:
        values["twice_daily"] = "on"
    if row.reminder_time:
        values["reminder_time"] = row.reminder_time.strftime("%H:%M")
    if row.reminder_email:
        values["reminder_email"] = "on"
    return {**values, **changes}


def _reminders(h: Hostile) -> None:
    h.post("checkins:settings", _settings_values(h, reminder_time="07:45", reminder_email="on"))


def _twice_daily(h: Hostile) -> None:
    h.post("checkins:settings", _settings_values(h, twice_daily="on"))


def _reflection(h: Hostile) -> None:
    data = {
        "week_start": _this_week(h).isoformat(),
        "life_satisfaction": 6,
        "relationship_satisfaction": 7,
    }
    h.post("checkins:reflection", {**data, "helped": "a walk"})


def _notice_preferences(h: Hostile) -> None:
    h.post("activity:preferences", {"email_everything": "on"})


def _notify_preferences(h: Hostile) -> None:
    h.post("notify:devices", {"quiet_start": "22:00", "quiet_end": "07:00"})


def _with_password(h: Hostile) -> None:
    h.demo.sam.set_password(PASSWORD)
    h.demo.sam.save()


def _sign_in(h: Hostile) -> None:
    response = Client().post(
        reverse("accounts:login"), {"username": h.demo.sam.email, "password": PASSWORD}
    )
    assert response.status_code == 302


def _sign_out_everywhere(h: Hostile) -> None:
    h.post("accounts:sign_out_everywhere")


def _export(h: Hostile) -> None:
    assert h.sam.get(reverse("accounts:export")).status_code == 200


def _emergency_reset_setup(h: Hostile) -> None:
    _with_password(h)
    h.sam = _signed_in(h.demo.sam)  # a sign-in counts as a fresh confirmation
    _share_nothing(h)


def _emergency_reset(h: Hostile) -> None:
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    h.post("safety:emergency_reset", data)


def _then(*steps: Callable[[Hostile], None]) -> Callable[[Hostile], None]:
    def run(h: Hostile) -> None:
        for step in steps:
            step(h)

    return run


def _nothing(h: Hostile) -> None:
    pass


# (what Sam does, first (Alex may see it), then (Sam's private act: Alex must see nothing))
CASES: dict[str, tuple[Callable[[Hostile], None], Callable[[Hostile], None]]] = {
    "writes a private journal entry": (_nothing, _journal_private),
    "edits a private journal entry": (_journal_private, _journal_edit),
    "deletes a private journal entry": (_journal_private, _journal_delete),
    "keeps a private memory": (_nothing, _memory_private),
    "writes words on a private memory": (_memory_private, _memory_words),
    "deletes a private memory with words": (
        _then(_memory_private, _memory_words),
        _memory_delete,
    ),
    "makes a private plan": (_nothing, _plan_private),
    "edits a private plan": (_plan_private, _plan_edit),
    "does a private plan": (_plan_private, _plan_done),
    "deletes a private plan": (_plan_private, _plan_delete),
    "sets a private boundary aside": (_private_boundary, _boundary_retire),
    "revises a private boundary": (_private_boundary, _boundary_revise),
    "marks a private commitment": (_private_commitment, _commitment_mark),
    "makes a private support request private again": (
        _private_support,
        lambda h: h.post("support:make_private", pk=h.found["support"]),
    ),
    "makes a private goal": (_nothing, _goal_private),
    "edits a private goal": (_goal_private, _goal_edit),
    "notes progress on a private goal": (_goal_private, _goal_progress),
    "completes a private goal": (_goal_private, _goal_complete),
    "logs private me-time": (_nothing, _time_private),
    "deletes private me-time": (_time_private, _time_delete),
    "shares a private win": (_nothing, _moment_private),
    "stops sharing with nothing shared": (_share_nothing, _share_nothing),
    "checks in sharing no field": (_share_nothing, _check_in),
    "changes only the private journal line of a check-in": (_check_in, _check_in_journal_line),
    "checks in with every sharing switch off": (_share_no_field, _check_in),
    "reflects on the week sharing nothing": (_share_nothing, _reflection),
    "reflects on a new week with every sharing switch off": (_no_reflection_this_week, _reflection),
    "resumes reminders": (_nothing, lambda h: h.post("notify:reminders_resume")),
    "changes reminder settings": (_nothing, _reminders),
    "checks in twice a day": (_nothing, _twice_daily),
    "changes what the activity feed emails": (_nothing, _notice_preferences),
    "changes notification quiet hours": (_nothing, _notify_preferences),
    "signs in": (_with_password, _sign_in),
    "signs out everywhere else": (_nothing, _sign_out_everywhere),
    "downloads their data": (_nothing, _export),
    "makes an emergency reset with nothing shared": (_emergency_reset_setup, _emergency_reset),
}


def _observed(client: Client) -> dict[str, str]:
    return {
        url: normal_page(client.get(url).content) for url in map(reverse, KEPT_PAGES + OTHER_PAGES)
    }


@pytest.mark.parametrize("what", list(CASES))
def test_nothing_sam_does_privately_changes_what_alex_can_observe(
    demo: DemoCouple, what: str, django_capture_on_commit_callbacks
) -> None:
    first, private_act = CASES[what]
    h = Hostile(demo, _signed_in(demo.alex), _signed_in(demo.sam), {})
    with django_capture_on_commit_callbacks(execute=True):
        first(h)
    _observed(h.alex)  # the first views set cookies, so they are not kept
    before = _observed(h.alex)
    versions, insights = _readable_versions(demo.alex.pk), insights_key(demo.alex, "page")

    with django_capture_on_commit_callbacks(execute=True):
        private_act(h)

    assert _readable_versions(demo.alex.pk) == versions, f"Alex's version key moved: {what}"
    assert insights_key(demo.alex, "page") == insights, what
    for url in map(reverse, KEPT_PAGES):
        with CaptureQueriesContext(connection) as queries:
            h.alex.get(url)
        assert len(queries) <= HIT_BUDGET, f"{url} rendered again after Sam {what}"
    assert _observed(h.alex) == before, what


def test_an_unshared_reflection_is_indistinguishable_from_none(demo: DemoCouple) -> None:
    """The weekly table once showed the partner a row of dashes for each week the author reflected
    without sharing: the row itself said that they had."""
    h = Hostile(demo, _signed_in(demo.alex), _signed_in(demo.sam), {})
    _no_reflection_this_week(h)
    WeeklyReflection.objects.filter(author=demo.sam).delete()
    url = reverse("checkins:reflection")
    before = normal_page(h.alex.get(url).content)
    _reflection(h)
    assert WeeklyReflection.objects.filter(author=demo.sam).exists()
    assert normal_page(h.alex.get(url).content) == before


@pytest.mark.parametrize("remove_couple_items", [True, False])
def test_a_former_partner_deleting_their_account_ends_the_others_kept_pages(
    demo: DemoCouple, remove_couple_items: bool
) -> None:
    """After unpairing, the couple's co-owned items stay in both archives. When one deletes their
    account, their share goes (or is credited to "former partner"): the other's kept pages must
    not go on showing what was removed."""
    from counterpoint.accounts.services import account_delete
    from counterpoint.pairing.services import couple_unpair

    couple_unpair(user=demo.sam)
    before = _readable_versions(demo.alex.pk)
    account_delete(user=demo.sam, remove_couple_items=remove_couple_items)
    assert _readable_versions(demo.alex.pk) != before
