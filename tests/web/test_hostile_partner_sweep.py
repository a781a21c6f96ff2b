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

import base64
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.core.files.storage import storages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from counterpoint.accounts.models import User
from counterpoint.accounts.twofactor import two_factor_enabled
from counterpoint.activity.models import Notice
from counterpoint.checkins.models import (
    SHAREABLE_FIELDS,
    DailyQuestion,
    QuestionAnswer,
    WeeklyReflection,
)
from counterpoint.checkins.services import daily_question_get
from counterpoint.demo import DemoCouple
from counterpoint.insights.cache import insights_key
from counterpoint.interdependence import instruments
from counterpoint.interdependence.models import Position
from counterpoint.journal.models import JournalEntry
from counterpoint.practices.boundaries.models import Boundary
from counterpoint.practices.commitments.models import Commitment
from counterpoint.practices.goals.models import Goal
from counterpoint.practices.moments.models import Moment
from counterpoint.practices.plans.models import Memory, Plan
from counterpoint.practices.support.models import SupportRequest
from counterpoint.practices.timebalance.models import TimeBlock
from counterpoint.privacy.fragments import _all_part_versions
from counterpoint.privacy.page_cache import _readable_versions
from counterpoint.professionals.models import CareLink
from counterpoint.research.models import Participant, Prompt, PromptState
from tests.web.authenticator import Authenticator, passkey_added, sign_in
from tests.web.checkin_form import checkin_values
from tests.web.garbage import Watch
from tests.web.kept_pages import HIT_BUDGET, KEPT_PAGES, normal_page
from tests.web.push_endpoint import FakeBrowserKeys

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
    "interdependence:couple",
    "research:mine",
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


def _memory_ours(h: Hostile) -> None:
    """A co-owned memory Sam has written words on and Alex has not: Alex reads only that Sam
    wrote something (the words show once both have written)."""
    data = {"title": "The long picnic", "happened_on": h.today, "shared": "yes"}
    h.post("plans:memory_new", {**data, "submission_key": _key()})
    h.found["memory"] = Memory.objects.filter(author=h.demo.sam, title="The long picnic").get().pk
    h.post("plans:memory_words", {"text": "the first words"}, pk=h.found["memory"])


def _memory_words_again(h: Hostile) -> None:
    h.post("plans:memory_words", {"text": "better words"}, pk=h.found["memory"])


def _plan_ours(h: Hostile) -> None:
    """A shared plan Sam has answered and Alex has not: Alex reads only that Sam answered (the
    answer shows once both have; until then it can be changed freely)."""
    data = {"title": "A weekend away", "kind": "date", "shared": "yes"}
    h.post("plans:new", {**data, "submission_key": _key()})
    h.found["plan"] = Plan.objects.filter(author=h.demo.sam, title="A weekend away").get().pk
    h.post("plans:interest", {"answer": "love"}, pk=h.found["plan"])


def _plan_interest_again(h: Hostile) -> None:
    h.post("plans:interest", {"answer": "maybe"}, pk=h.found["plan"])


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


def _boundary_taken_back_by_stopping_sharing(h: Hostile) -> None:
    """A boundary Alex was asked to read ("waiting for you"), then taken back with everything
    else: Alex's notice stays in his feed as it was (what he was told stays his)."""
    data = {"what": "No calls after ten", "why": "sleep", "what_helps": ""}
    h.post("boundaries:new", {**data, "submission_key": _key()})
    h.found["boundary"] = Boundary.objects.filter(author=h.demo.sam, what=data["what"]).get().pk
    assert Notice.objects.filter(recipient=h.demo.alex, needs_answer=True).exists()
    _share_nothing(h)


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
    pk = SupportRequest.objects.filter(author=h.demo.sam).latest("created_at").pk
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
    h.found["time"] = TimeBlock.objects.filter(author=h.demo.sam).latest("created_at").pk


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
    return {**checkin_values(h.today, 4, journal_line="", submission_key=_key()), **changes}


def _check_in(h: Hostile) -> None:
    h.post("checkins:today", _check_in_values(h))


def _check_in_journal_line(h: Hostile) -> None:
    h.post("checkins:today", _check_in_values(h, journal_line="a private line"))


def _no_check_in_today(h: Hostile) -> None:
    from counterpoint.checkins.models import CheckIn

    CheckIn.objects.filter(author=h.demo.sam, day=h.demo.sam.local_today()).delete()


def _check_in_only(**answered: Any) -> Callable[[Hostile], None]:
    """Sam checks in answering only ``answered`` ("Every field may be left unanswered")."""

    def check_in(h: Hostile) -> None:
        h.post("checkins:today", {"day": h.today, "submission_key": _key(), **answered})

    return check_in


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


def _with_password_signed_in(h: Hostile) -> None:
    _with_password(h)
    h.sam = _signed_in(h.demo.sam)  # a sign-in counts as a fresh confirmation


def _emergency_reset_setup(h: Hostile) -> None:
    _with_password_signed_in(h)
    _share_nothing(h)


def _emergency_reset(h: Hostile) -> None:
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    h.post("safety:emergency_reset", data)


# -- a professional ------------------------------------------------------------------------------
# Sam's choice for a professional is Sam's own: Alex reads only what both chose (what the
# professional sees), never what Sam chose beyond it, nor when Sam renewed it. Linking, bringing a
# topic to a session and ending access are told to Alex (a notice, the page): not private.
def _professional_linked(h: Hostile) -> None:
    from counterpoint.professionals.services import profile_save

    lee = User.objects.create_user("lee@practice.example", PASSWORD, display_name="Lee")
    profile_save(
        user=lee, name="Dr Lee", practice="Couples practice", contact="lee@practice.example"
    )
    h.post("professionals:invite", {"email_or_code": "lee@practice.example"})
    h.found["link"] = CareLink.objects.get(professional=lee).pk


def _grants(who: str, *scopes: str) -> Callable[[Hostile], None]:
    def grant(h: Hostile) -> None:
        client = h.alex if who == "alex" else h.sam
        url = reverse("professionals:grant", kwargs={"pk": h.found["link"]})
        assert client.post(url, {"scopes": list(scopes)}).status_code == 302

    return grant


# -- a study ---------------------------------------------------------------------------------------
# Consenting is told to the partner (a notice inviting them too): not private. Opening, answering
# and leaving are the participant's alone.
def _participant(h: Hostile) -> Participant:
    return Participant.objects.get(user=h.demo.sam)


def _prompt_open_now(h: Hostile) -> None:
    """Sam's next prompt, moved to now (the demo's prompts come at fixed times of day)."""
    now = timezone.now()
    prompt = Prompt.objects.filter(
        participant=_participant(h), state=PromptState.SCHEDULED, scheduled_at__gt=now
    ).first()
    assert prompt is not None
    window = prompt.closes_at - prompt.scheduled_at
    Prompt.objects.filter(pk=prompt.pk).update(
        scheduled_at=now - dt.timedelta(minutes=1), closes_at=now + window
    )
    h.found["prompt"] = prompt.pk


def _prompt_opened(h: Hostile) -> None:
    url = reverse("research:answer", kwargs={"pk": h.found["prompt"]})
    assert h.sam.get(url).status_code == 200


def _prompt_answered(h: Hostile) -> None:
    answers = {"mood": "6", "stress": "3", "calm": "7", "together": "2"}
    h.post("research:answer", answers, pk=h.found["prompt"])


def _study_left(choice: str) -> Callable[[Hostile], None]:
    return lambda h: h.post("research:withdraw", {"choice": choice}, pk=_participant(h).pk)


def _researcher_profile(h: Hostile) -> None:
    data = {"name": "Sam", "institution": "A lab", "contact": "sam@lab.example"}
    h.post("research:profile", data)


def _professional_profile(h: Hostile) -> None:
    data = {"name": "Sam", "practice": "A practice", "contact": "sam@practice.example"}
    h.post("professionals:profile", data)


# -- the map ---------------------------------------------------------------------------------------
def _map_form(h: Hostile, *, share: bool, part: float = 1.0, **extra: str) -> dict[str, Any]:
    from tests.web.map_helpers import answers_for, instrument

    answers = answers_for(instrument(), (5.0, 4.0), seed=3)
    kept = dict(list(answers.items())[: int(len(answers) * part)])
    return {"respondent": h.demo.sam.pk, **kept, **({"share": "on"} if share else {}), **extra}


def _map_draft(h: Hostile) -> None:
    key = instruments.OUR_KEY
    h.post("interdependence:take", _map_form(h, share=False, part=0.5, action="draft"), key=key)


def _map_private(h: Hostile) -> None:
    h.post("interdependence:take", _map_form(h, share=False), key=instruments.OUR_KEY)
    h.found["position"] = Position.objects.filter(author=h.demo.sam).latest("created_at").pk


def _map_kept_private(h: Hostile) -> None:
    h.post("interdependence:share", {"share": "0"}, pk=h.found["position"])


# -- the daily question ----------------------------------------------------------------------------
# Answering is shown to the partner ("Sam has answered"); the words only once both have. A skip
# shows nothing, and words changed before the reveal show nothing new.
def _question_pk(h: Hostile) -> int:
    daily = daily_question_get(user=h.demo.sam)
    assert daily is not None
    return daily.pk


def _alex_has_not_answered(h: Hostile) -> None:
    QuestionAnswer.objects.filter(author=h.demo.alex, question_id=_question_pk(h)).delete()


def _question(text: str = "", *, skip: bool = False) -> Callable[[Hostile], None]:
    def answer(h: Hostile) -> None:
        data = {"text": text, **({"skip": "1"} if skip else {})}
        h.post("checkins:question_answer", data, pk=_question_pk(h))

    return answer


def _react_to_a_hidden_answer(h: Hostile) -> None:
    """Sam has not answered, so Alex's answer is hidden from Sam: the reaction is refused."""
    theirs = QuestionAnswer.objects.get(author=h.demo.alex, question_id=_question_pk(h))
    url = reverse("checkins:react_answer", kwargs={"pk": theirs.pk})
    assert h.sam.post(url, {"kind": "love", "words": "x"}).status_code == 404


# -- account security and devices -------------------------------------------------------------------
def _totp_code(h: Hostile, drift: int = 0) -> str:
    """What Sam's authenticator app shows now (``drift``: steps of 30 s later)."""
    raw = h.found["totp"].replace(" ", "")
    return f"{totp(base64.b32decode(raw + '=' * (-len(raw) % 8)), drift=drift):06d}"


def _totp_on(h: Hostile) -> None:
    h.post("accounts:totp_start")
    page = h.sam.get(reverse("accounts:totp_setup")).content.decode()
    found = re.search(r'id="totp-secret" class="secret">([A-Z2-7 ]+)<', page)
    assert found is not None
    h.found["totp"] = found.group(1)
    h.post("accounts:totp_setup", {"code": _totp_code(h)})
    assert two_factor_enabled(h.demo.sam)


def _sign_in_with_a_code(h: Hostile) -> None:
    client = Client()
    data = {"username": h.demo.sam.email, "password": PASSWORD}
    assert client.post(reverse("accounts:login"), data)["Location"] == reverse(
        "accounts:login_code"
    )
    code = _totp_code(h, drift=1)  # the setup used this step's code; the next is accepted too
    assert client.post(reverse("accounts:login_code"), {"code": code}).status_code == 302
    assert "_auth_user_id" in client.session


def _password_reset_asked(h: Hostile) -> None:
    response = Client().post(reverse("accounts:password_reset"), {"email": h.demo.sam.email})
    assert response.status_code == 302


def _notice_opened(h: Hostile) -> None:
    notice = Notice.objects.filter(recipient=h.demo.sam).order_by("-created_at", "-pk").first()
    assert notice is not None
    assert h.sam.post(reverse("activity:open", kwargs={"pk": notice.pk})).status_code == 302


def _zone_in_settings(h: Hostile) -> None:
    """The settings form holds the name too (shown to Alex): it is sent unchanged."""
    h.post("accounts:settings", {"display_name": "Sam", "time_zone": "Asia/Tokyo"})
    assert User.objects.get(pk=h.demo.sam.pk).time_zone == "Asia/Tokyo"


def _passkey_added(h: Hostile) -> None:
    """A passkey on Sam's phone, added on the two-factor page as its script does."""
    device = Authenticator()
    h.found["passkey"] = passkey_added(h.sam, device, "Phone").pk
    h.found["device"] = device


def _sign_in_with_a_passkey(h: Hostile) -> None:
    client = Client()
    assert sign_in(client, h.found["device"]).status_code == 200
    assert int(client.session["_auth_user_id"]) == h.demo.sam.pk


def _passkey_options(h: Hostile) -> None:
    assert h.sam.post(reverse("accounts:passkey_register_options")).status_code == 200


def _push_subscribed(h: Hostile) -> None:
    keys = FakeBrowserKeys()
    body = {
        "endpoint": "https://push.example/sam",
        "keys": {"p256dh": keys.p256dh, "auth": keys.auth},
    }
    response = h.sam.post(reverse("notify:subscribe"), body, content_type="application/json")
    assert response.status_code == 201
    h.found["push"] = response.json()["id"]


def _password_changed(h: Hostile) -> None:
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    h.post("accounts:password_change", data)


def _time_zone_changed(h: Hostile) -> None:
    """A new zone for Sam's days, and the study's prompts moved to it (as the minute's task does)."""
    from counterpoint.research.services import time_zones_sync

    h.post("accounts:time_zone", {"time_zone": "America/New_York"})
    time_zones_sync(now=timezone.now())


def _reminders_paused_by_email(h: Hostile) -> None:
    """The one-click link in a reminder email, opened without signing in."""
    from counterpoint.checkins.reminders import reminder_link

    path = reminder_link(user=h.demo.sam, action="pause").split("testserver", 1)[-1]
    assert Client().post(path[path.index("/checkins/") :]).status_code == 200


# -- more of Sam's private records -------------------------------------------------------------------
def _memory_photo(h: Hostile) -> None:
    from tests.web.plans_world import jpeg_upload

    url = reverse("plans:memory_photo_upload", kwargs={"pk": h.found["memory"]})
    assert h.sam.post(url, {"photo": jpeg_upload()}).status_code == 302


def _time_planned_private(h: Hostile) -> None:
    data = {"kind": "me", "day": h.today, "minutes": "45", "done": "plan", "note": ""}
    h.post("timebalance:add", {**data, "visibility": "private", "submission_key": _key()})
    h.found["time"] = TimeBlock.objects.filter(author=h.demo.sam).latest("created_at").pk


def _time_planned(kind: str, visibility: str) -> Callable[[Hostile], None]:
    """Time planned for today, not done yet (we-time is always the couple's)."""

    def plan(h: Hostile) -> None:
        data = {"kind": kind, "day": h.today, "minutes": "45", "done": "plan", "note": ""}
        h.post("timebalance:add", {**data, "visibility": visibility, "submission_key": _key()})
        h.found["time"] = TimeBlock.objects.filter(author=h.demo.sam).latest("created_at").pk

    return plan


def _moment_delete(h: Hostile) -> None:
    pk = Moment.objects.filter(author=h.demo.sam, text="I did it").get().pk
    h.post("moments:delete", pk=pk)


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
    "rewrites their words on a shared memory before Alex writes his": (
        _memory_ours,
        _memory_words_again,
    ),
    "changes their answer to a shared plan before Alex answers": (
        _plan_ours,
        _plan_interest_again,
    ),
    "checks in with only the private journal line": (
        _no_check_in_today,
        _check_in_only(journal_line="only mine"),
    ),
    "makes a private plan": (_nothing, _plan_private),
    "edits a private plan": (_plan_private, _plan_edit),
    "does a private plan": (_plan_private, _plan_done),
    "deletes a private plan": (_plan_private, _plan_delete),
    "sets a private boundary aside": (_private_boundary, _boundary_retire),
    "revises a private boundary": (_private_boundary, _boundary_revise),
    "sets aside a boundary taken back by stopping sharing": (
        _boundary_taken_back_by_stopping_sharing,
        _boundary_retire,
    ),
    "makes private a boundary taken back by stopping sharing": (
        _boundary_taken_back_by_stopping_sharing,
        lambda h: h.post("boundaries:make_private", pk=h.found["boundary"]),
    ),
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
    # Sharing already stopped, Sam still checks in (each check-in is made "with my partner", the
    # sharing switches deciding what of it Alex reads: nothing) or skips the daily question:
    # stopping sharing, or the emergency reset, finds these rows marked shared, but takes back
    # nothing Alex could read.
    "stops sharing again after checking in sharing no field": (
        _then(_share_nothing, _no_check_in_today, _check_in),
        _share_nothing,
    ),
    "stops sharing again after skipping a question": (
        _then(_share_nothing, _question(skip=True)),
        _share_nothing,
    ),
    "makes an emergency reset after checking in sharing no field": (
        _then(_emergency_reset_setup, _no_check_in_today, _check_in),
        _emergency_reset,
    ),
    "chooses what a professional sees before Alex has": (
        _professional_linked,
        _grants("sam", "map"),
    ),
    "renews their choice for a professional": (
        _then(_professional_linked, _grants("alex", "map"), _grants("sam", "map")),
        _grants("sam", "map"),
    ),
    "lets a professional see more than Alex does": (
        _then(_professional_linked, _grants("alex", "map"), _grants("sam", "map")),
        _grants("sam", "map", "checkin_trends"),
    ),
    "narrows their choice to what Alex shares": (
        _then(_professional_linked, _grants("alex", "map"), _grants("sam", "map", "coregulation")),
        _grants("sam", "map"),
    ),
    "makes a professional profile": (_nothing, _professional_profile),
    "opens a study prompt": (_prompt_open_now, _prompt_opened),
    "answers a study prompt": (_prompt_open_now, _then(_prompt_opened, _prompt_answered)),
    "leaves a study, keeping the answers": (_nothing, _study_left("keep")),
    "leaves a study, deleting the answers": (_nothing, _study_left("delete")),
    "makes a researcher profile": (_nothing, _researcher_profile),
    "saves a map draft": (_nothing, _map_draft),
    "takes the map without sharing": (_nothing, _map_private),
    "keeps a private map result private": (_map_private, _map_kept_private),
    "skips a question Alex answered": (_nothing, _question(skip=True)),
    "skips a question before Alex answers": (_alex_has_not_answered, _question(skip=True)),
    "changes an answer Alex cannot read yet": (
        _then(_alex_has_not_answered, _question("first words")),
        _question("second words"),
    ),
    "tries to react to an answer hidden from them": (_nothing, _react_to_a_hidden_answer),
    "turns on two-factor sign-in": (_nothing, _totp_on),
    "turns off two-factor sign-in": (_totp_on, lambda h: h.post("accounts:two_factor_disable")),
    "makes new recovery codes": (_totp_on, lambda h: h.post("accounts:recovery_codes")),
    "starts adding a passkey": (_nothing, _passkey_options),
    "adds a passkey": (_nothing, _passkey_added),
    "renames a passkey": (
        _passkey_added,
        lambda h: h.post("accounts:passkey_rename", pk=h.found["passkey"], data={"name": "Keys"}),
    ),
    "removes a passkey": (
        _passkey_added,
        lambda h: h.post("accounts:passkey_remove", pk=h.found["passkey"]),
    ),
    "turns on notifications on a device": (_nothing, _push_subscribed),
    "removes a device from notifications": (
        _push_subscribed,
        lambda h: h.post("notify:device_remove", pk=h.found["push"]),
    ),
    "changes when a device is told something": (
        _nothing,
        lambda h: h.post(
            "notify:devices", {"quiet_start": "", "quiet_end": "", "push_when_asked": "on"}
        ),
    ),
    "changes their password": (_with_password_signed_in, _password_changed),
    # Sam's time zone is not shown to Alex: every page shows days and times in the viewer's zone.
    "changes their time zone": (_nothing, _time_zone_changed),
    "changes their time zone in the settings": (_nothing, _zone_in_settings),
    "signs in with a two-factor code": (
        _then(_with_password_signed_in, _totp_on),
        _sign_in_with_a_code,
    ),
    "signs in with a passkey": (_passkey_added, _sign_in_with_a_passkey),
    "asks for a password reset": (_nothing, _password_reset_asked),
    "opens a notice": (_nothing, _notice_opened),
    "pauses reminders from a reminder email": (_nothing, _reminders_paused_by_email),
    "reads every notice": (_nothing, lambda h: h.post("activity:mark_all_read")),
    "adds a photo to a private memory": (_memory_private, _memory_photo),
    "removes the photo of a private memory": (
        _then(_memory_private, _memory_photo),
        lambda h: h.post("plans:memory_photo_remove", pk=h.found["memory"]),
    ),
    "marks private planned me-time done": (
        _time_planned_private,
        lambda h: h.post("timebalance:done", pk=h.found["time"]),
    ),
    "deletes a private win": (_moment_private, _moment_delete),
}


# Headers that differ between any two requests whatever anyone did.
_PER_REQUEST_HEADERS = {"date", "expires", "content-security-policy", "set-cookie", "x-request-id"}


def _observed(client: Client) -> dict[str, str]:
    """Each of Alex's pages as he receives it: status, headers (their values; the length is the
    page's once tokens are set aside) and the page, per-request values set aside."""
    observed = {}
    for url in map(reverse, KEPT_PAGES + OTHER_PAGES):
        response = client.get(url)
        page = normal_page(response.content)
        headers = sorted(
            (k.lower(), v if k.lower() != "content-length" else str(len(page)))
            for k, v in response.items()
            if k.lower() not in _PER_REQUEST_HEADERS
        )
        observed[url] = f"{response.status_code}\n{headers}\n{page}"
    return observed


@pytest.mark.parametrize("what", list(CASES))
def test_nothing_sam_does_privately_changes_what_alex_can_observe(
    demo: DemoCouple, what: str, django_capture_on_commit_callbacks
) -> None:
    first, private_act = CASES[what]
    h = Hostile(demo, _signed_in(demo.alex), _signed_in(demo.sam), {})
    with django_capture_on_commit_callbacks(execute=True):
        first(h)
    _alex_observes_nothing(h, private_act, what, django_capture_on_commit_callbacks)


def _alex_observes_nothing(
    h: Hostile, private_act: Callable[[Hostile], None], what: str, on_commit: Any
) -> None:
    demo = h.demo
    _observed(h.alex)  # the first views set cookies, so they are not kept
    before = _observed(h.alex)
    versions, insights = _readable_versions(demo.alex.pk), insights_key(demo.alex, "page")
    parts = _all_part_versions(demo.alex)  # what his kept blocks are keyed by

    with on_commit(execute=True):
        private_act(h)

    assert _readable_versions(demo.alex.pk) == versions, f"Alex's version key moved: {what}"
    assert _all_part_versions(demo.alex) == parts, f"a part of Alex's versions moved: {what}"
    assert insights_key(demo.alex, "page") == insights, what
    for url in map(reverse, KEPT_PAGES):
        with CaptureQueriesContext(connection) as queries:
            h.alex.get(url)
        assert len(queries) <= HIT_BUDGET, f"{url} rendered again after Sam {what}"
    assert _observed(h.alex) == before, what


# What Alex may read does change: the registrations that hide the acts above must not hide these.
SEEN: dict[str, tuple[Callable[[Hostile], None], Callable[[Hostile], None]]] = {
    "a choice that starts a professional's access": (
        _then(_professional_linked, _grants("alex", "map")),
        _grants("sam", "map"),
    ),
    "a choice that changes what the professional sees": (
        _then(_professional_linked, _grants("alex", "map", "coregulation"), _grants("sam", "map")),
        _grants("sam", "map", "coregulation"),
    ),
    "an answer to a question Alex answered": (_nothing, _question("my words")),
    "an answer to a question before Alex answers": (_alex_has_not_answered, _question("mine")),
    "skipping after answering, before Alex answers": (
        _then(_alex_has_not_answered, _question("mine")),
        _question(skip=True),
    ),
    "a check-in with only a note to Alex": (_no_check_in_today, _check_in_only(note="hi you")),
    "a check-in with only a mood": (_no_check_in_today, _check_in_only(mood="6")),
    "words on a shared memory, first written": (_nothing, _memory_ours),
    "an answer to a shared plan, first given": (_nothing, _plan_ours),
    "shared me-time ticked off": (
        _time_planned("me", "partner"),
        lambda h: h.post("timebalance:done", pk=h.found["time"]),
    ),
    "we-time ticked off": (
        _time_planned("we", "couple"),
        lambda h: h.post("timebalance:done", pk=h.found["time"]),
    ),
    "a map result shared": (
        _map_private,
        lambda h: h.post("interdependence:share", {"share": "1"}, pk=h.found["position"]),
    ),
}


def _sams_and_the_couples(demo: DemoCouple) -> list[tuple[str, int]]:
    """The versions in Alex's key but his own (a notice to him moves that whatever else did)."""
    return [(scope, v) for scope, v in _readable_versions(demo.alex.pk) if scope[:2] != "u:"]


@pytest.mark.parametrize("what", list(SEEN))
def test_what_alex_may_read_still_moves_his_version_key(
    demo: DemoCouple, what: str, django_capture_on_commit_callbacks
) -> None:
    first, act = SEEN[what]
    h = Hostile(demo, _signed_in(demo.alex), _signed_in(demo.sam), {})
    with django_capture_on_commit_callbacks(execute=True):
        first(h)
    before = _sams_and_the_couples(demo)
    with django_capture_on_commit_callbacks(execute=True):
        act(h)
    assert _sams_and_the_couples(demo) != before, what


@pytest.mark.parametrize(
    ("zone", "utc_hour"),
    [("Pacific/Kiritimati", 20), ("Pacific/Pago_Pago", 3)],
    ids=["a day of Sam's Alex has not reached", "a day Alex did not open the app"],
)
def test_sam_opening_the_app_on_a_day_alex_has_not_tells_him_nothing(
    demo: DemoCouple, zone: str, utc_hour: int, django_capture_on_commit_callbacks
) -> None:
    """The couple's question of the day is made when either first opens a page that asks for it.
    Made for a day of Sam's that none of Alex's pages asked for (Sam's day already tomorrow, or
    still a day Alex skipped), it moved the couple's version and was listed in Alex's earlier
    questions as "Not answered.": Alex could tell that Sam had opened the app, and roughly where
    Sam was."""
    with time_machine.travel(timezone.now().replace(hour=utc_hour, minute=0), tick=False):
        h = Hostile(demo, _signed_in(demo.alex), _signed_in(demo.sam), {})
        h.post("accounts:time_zone", {"time_zone": zone})
        demo.sam.refresh_from_db()
        sams_day = demo.sam.local_today()
        assert sams_day != demo.alex.local_today()
        # nobody opened the app on Sam's day so far (the demo's couple did on their past days)
        DailyQuestion.objects.filter(couple=demo.couple, day=sams_day).delete()

        def sam_opens_the_app(h: Hostile) -> None:
            assert h.sam.get(reverse("checkins:today")).status_code == 200

        _alex_observes_nothing(h, sam_opens_the_app, zone, django_capture_on_commit_callbacks)
        assert DailyQuestion.objects.filter(couple=demo.couple, day=sams_day).exists()


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


def test_alex_can_neither_fetch_nor_detect_nor_change_the_photo_of_sams_private_memory(
    demo: DemoCouple,
) -> None:
    """Sam's private memory with a photo, one without, and a number no memory has: every address
    of a memory's photo answers Alex the same, byte for byte, and his upload or removal changes
    nothing (garbage.py's watch on the database, the files in the photos storage)."""
    from tests.web.plans_world import jpeg_upload

    h = Hostile(demo, _signed_in(demo.alex), _signed_in(demo.sam), {})
    _memory_private(h)
    _memory_photo(h)
    with_photo = h.found["memory"]
    data = {"title": "Another walk", "happened_on": h.today, "shared": "no"}
    h.post("plans:memory_new", {**data, "submission_key": _key()})
    without = Memory.objects.filter(author=demo.sam, title="Another walk").get().pk
    nowhere = Memory.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    assert Memory.objects.get(pk=with_photo).photo and not Memory.objects.get(pk=without).photo
    photo = Memory.objects.get(pk=with_photo).photo
    files = sorted(storages["photos"].listdir("")[1])

    def answers(pk: int) -> list[tuple[str, int, str, str]]:
        got = []
        for method, name, data in [
            ("get", "plans:memory_photo", {}),
            ("head", "plans:memory_photo", {}),
            ("get", "plans:memory", {}),
            ("get", "plans:memory_json", {}),
            ("post", "plans:memory_photo_upload", {"photo": jpeg_upload()}),
            ("post", "plans:memory_photo_remove", {}),
            ("post", "plans:memory_words", {"text": "mine now"}),
            ("post", "plans:memory_delete", {}),
        ]:
            watch = Watch()
            with connection.execute_wrapper(watch):
                response = getattr(h.alex, method)(reverse(name, kwargs={"pk": pk}), data)
            assert not watch.tables, (name, pk, watch.tables)
            got.append(
                (
                    f"{method} {name}",
                    response.status_code,
                    response.get("Content-Type", ""),
                    # the page's own address, in its "next" links, is the one difference allowed
                    # (so the length may differ by the digits of the number, no more)
                    normal_page(response.content).replace(f"/memories/{pk}", "/memories/-"),
                )
            )
        return got

    seen = answers(with_photo)
    assert {status for _, status, *_ in seen} == {404}
    assert seen == answers(without) == answers(nowhere)
    assert Memory.objects.get(pk=with_photo).photo == photo
    assert sorted(storages["photos"].listdir("")[1]) == files
