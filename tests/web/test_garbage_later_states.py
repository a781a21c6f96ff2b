"""Garbage in the forms that only show once a couple is further along.

tests/web/test_garbage_sweep.py finds its forms on the demo couple's pages as they are today, so a
form that appears only later is never fed garbage there: the day's follow-up once the check-in is
answered, a support request's answer, the second partner's step of a decision or a repair, a
memory's words, a professional's notes once a couple let them in, a study's answers once someone
joined, an authenticator's and a passkey's settings once they exist, an invitation that was used
or is someone else's. Here the shared test world (tests/web/conftest.py: every app's records made
through the services) is taken a day further the same way, and each kind of person it has walks
their own pages: the partners Alice and Bob, Carol from another couple with an authenticator and a
passkey, Terry unpaired with an invitation out, Uma with nobody yet and links to a used and to
someone else's invitation, the professional the couple let in, the researcher with a running study,
and a visitor signed out. Every POST form they are shown is found on the page, so a form added to
these states later is swept without anyone listing it.

Every form a person is shown is sent once with nothing in it. The forms their state adds (those
the person one step earlier, ``EARLIER``, is not shown; the earlier ones are
tests/web/test_garbage_sweep.py's) then have each field sent odd for its kind, the rest as
offered: over any length (and just over the lengths a column is often cut at) and NUL for every
field; a lone surrogate for text; numbers past every integer range, negative and not numbers; the
calendar's first and last days and a day that does not exist; a choice not offered; the field
left out and the field twice; and another couple's id where the form carries one, in a field or in
its address. Hypothesis adds two whole-form mixes per form, with a fixed seed. Each request runs
in a savepoint that is rolled back (and the browser's cookies are put back), so every one meets
the same state; a request that stored something has its page read again first.

Fails on: any 5xx; a refusal (4xx) that wrote anything (tests/web/garbage.py's watch on the
database); a run of x's stored in part (cut to fit); a refusal that does not say why (no error on
the page, no message after a redirect, an empty 4xx); a choice that a list, a radio group or a
hidden field never offers, stored; a form stored against the other couple's record.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import resolve, reverse
from django_otp.oath import totp
from hypothesis import given
from hypothesis import strategies as st

from counterpoint.accounts.twofactor import totp_enrol_confirm, totp_enrol_start
from counterpoint.checkins import services as checkins
from counterpoint.couples.models import Invite
from counterpoint.pairing.services import invite_create
from tests.factories import make_user
from tests.web.access_cases.checkins import CHECKIN
from tests.web.authenticator import Authenticator, passkey_added
from tests.web.conftest import World, build_world
from tests.web.garbage import HUGE, Form, Seen, Sweep, crawl, fixed_examples

URLENCODED = "application/x-www-form-urlencoded"
LONG = "x" * 300  # past the 255 and 200 a column is often cut at
TEXT = {"text", "textarea", "email", "search", "url", "password", "tel"}
NUMBER = {"number", "range"}
DATE = {"date", "datetime-local", "month", "week"}
# What each kind of field is sent, one field at a time, the rest as offered:
# (label, urlencoded value, the run of x's it carries when it is one).
Odd = tuple[str, str, str]
EVERY: list[Odd] = [("huge", quote(HUGE), HUGE), ("NUL", "a%00b", "")]
ODD: dict[str, list[Odd]] = {
    "text": [("300 x", quote(LONG), LONG), ("lone surrogate", "a%ED%A0%80b", "")],
    "number": [("past int64", "9" * 40, ""), ("negative", "-1", ""), ("NaN", "NaN", ""),
               ("inf", "1e309", "")],
    "date": [("last day", "9999-12-31", ""), ("first day", "0001-01-01", ""),
             ("no such day", "2026-02-30", "")],
    "time": [("no such time", "99:99", "")],
    "choice": [("no such choice", "zz-no-such-choice", ""), ("past int64", "9" * 40, ""),
               ("negative", "-1", "")],
}  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(["", "0", "-1", "on", "9" * 30, "9999-12-31", "0001-01-01", "\x00", " "]),
    st.text(max_size=30),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
)
MIXES = fixed_examples(2)
# Who walks their pages, with the links a person like them follows from a message.
PEOPLE = ["A", "B", "C", "T", "U", "T_ok", "R", "anon"]
# Whose forms each person's are compared with: what Alice is shown beyond a new account's pages
# (Uma's), what everyone else is shown beyond Alice's.
EARLIER = {"A": "U", "B": "A", "C": "A", "T": "A", "U": "A", "T_ok": "A", "R": "A"}
# Some of the forms each later state is known to add: were they not found, the state or the walk
# broke, and the sweep would pass having swept nothing new.
EXPECTED = {
    "A": {"plans:done", "plans:memory_words", "repair:reflect", "boundaries:revise",
          "commitments:mark", "professionals:bring", "research:answer", "research:withdraw"},
    "B": {"support:answer", "support:land", "decisions:view", "boundaries:acknowledge",
          "moments:respond", "goals:encourage"},
    "C": {"accounts:two_factor_disable", "accounts:passkey_remove", "accounts:passkey_rename"},
    "T_ok": {"professionals:note"},
    "R": {"research:study_edit", "research:study_status"},
}  # fmt: skip
# Fields a form carries for the app's bookkeeping, not for the person to fill in.
NOT_ANSWERS = {"submission_key", "next"}
# Hidden fields a script fills in, where anything unknown means the default by design: the sign-up
# page's time zone from the browser is UTC when the browser's is not one we know.
FALLS_BACK = {"time_zone"}


def build_later() -> World:
    """The shared world a day further on, each step taken through the services as people take
    them (the world itself leaves today free for other tests)."""
    w = build_world()
    today = w.alice.local_today()
    for person in (w.alice, w.bob):
        checkins.checkin_submit(user=person, day=today, values={**CHECKIN, "note": "today"})
    checkins.question_answer(user=w.bob, question_pk=w.objects["question"].pk, text="Bob's too")
    device = totp_enrol_start(user=w.carol)
    assert totp_enrol_confirm(user=w.carol, device=device, code=f"{totp(device.bin_key):06d}")
    carol = Client()
    carol.force_login(w.carol)
    passkey_added(carol, Authenticator(), "Phone")  # on the two-factor page, as its script does
    w.objects["terry_invite"] = invite_create(inviter=w.terry)
    w.objects["used_invite"] = Invite.objects.filter(inviter=w.alice).latest("created_at")
    w.objects["person:U"] = make_user("uma@example.org", "Uma")
    return w


@pytest.fixture
def later(db: None) -> World:
    from tests.web.snapshot import restored

    return restored(build_later)


def _starts(w: World, who: str) -> tuple[str, ...]:
    """Links a person like this one is sent: someone else's invitation, one already used."""
    terry = reverse("couples:join", args=[w.objects["terry_invite"].token])
    used = reverse("couples:join", args=[w.objects["used_invite"].token])
    return {"A": (terry,), "U": (used, terry), "anon": (used, terry)}.get(who, ())


def _client(w: World, who: str) -> Client:
    client = Client(raise_request_exception=False)
    user = w.person(who)
    if user is not None:
        client.force_login(user)
    return client


def _seen(w: World, who: str) -> Seen:
    return crawl(_client(w, who), f"later:{who}", start=_starts(w, who), per_view=3)


def _forms(seen: Seen) -> list[Form]:
    return [form for forms in seen.forms.values() for form in forms]


def _body(values: dict[str, str], raw: dict[str, str] | None = None) -> str:
    """A urlencoded body of ``values``, with ``raw`` values (already encoded) in their place."""
    raw = raw or {}
    return "&".join(
        f"{quote(name)}={raw[name] if name in raw else quote(value)}"
        for name, value in values.items()
    )


def _kind(form: Form, name: str) -> str:
    kind = form.kinds.get(name, "text")
    for group, kinds in (("text", TEXT), ("number", NUMBER), ("date", DATE), ("time", {"time"})):
        if kind in kinds:
            return group
    return "choice"  # a select, radio button, checkbox, hidden field or button


def _odd_bodies(form: Form, foreign: dict[str, set[str]]) -> Iterator[tuple[str, str, str, bool]]:
    """(label, body, run of x's it carries, whether storing it is wrong) for each field sent
    odd, the rest as offered. A value a list, a radio group or a hidden field does not offer
    is never right (a ticked checkbox may carry any value)."""
    values = {name: value for name, value in form.values.items() if name not in NOT_ANSWERS}
    for name in values:
        kind = _kind(form, name)
        offered = form.kinds.get(name) in ("select", "radio", "hidden") and name not in FALLS_BACK
        for label, raw, whole in EVERY + ODD[kind]:
            wrong = offered and label == "no such choice"
            yield f"{name}={label}", _body(values, {name: raw}), whole, wrong
        rest = {other: value for other, value in values.items() if other != name}
        yield f"{name} left out", _body(rest), "", False
        yield f"{name} twice", _body(values) + f"&{quote(name)}=zz-second", "", False
        for other in sorted(foreign.get(name, set()) - {values[name]})[:2]:
            body = _body(values, {name: quote(other)})
            yield f"{name}=another couple's {other}", body, "", False


def _says_why(response: HttpResponseBase) -> bool:
    """A refusal a person can read: an error on the page, a message after a redirect, a 4xx
    with a body, or the sign-in page."""
    content: bytes = getattr(response, "content", b"")  # not a file being streamed
    if response.status_code >= 400:
        return bool(content.strip())
    if response.status_code in (301, 302, 303):
        location = response.get("Location", "")
        if "/login" in location or "reauth" in location:
            return True
        request = getattr(response, "wsgi_request", None)
        return request is not None and bool(list(get_messages(request)))
    text = content.decode("utf-8", "replace")
    return bool(re.search(r'role="alert"|class="[^"]*\b(error|errorlist|form-errors)\b', text))


@dataclass
class Garbage(Sweep):
    """One person's posts, each in a savepoint rolled back afterwards."""

    silent: list[str] = field(default_factory=list)

    def post(
        self,
        form: Form,
        body: str,
        label: str,
        whole: str = HUGE,
        *,
        wrong: bool = False,
        action: str = "",
    ) -> None:
        cookies = copy.deepcopy(self.client.cookies)  # signing out, say, is undone too
        with transaction.atomic():
            response, watch = self.send(
                "POST",
                action or form.action,
                f"({label[:60]})",
                whole=whole or HUGE,
                data=body,
                content_type=URLENCODED,
            )
            if watch.tables and response.status_code < 400 and wrong:
                self.problems.append(f"{action or form.action} ({label[:60]}) stored it")
            if watch.tables and response.status_code < 400:
                self.send("GET", form.page, f"(after {label[:60]})")
            elif form.values and response.status_code < 500 and not _says_why(response):
                self.silent.append(
                    f"{action or form.action} ({label[:60]}) → {response.status_code}"
                )
            transaction.set_rollback(True)
        self.client.cookies = cookies
        cache.clear()


def _foreign(w: World, who: str) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The other couple's ids as Carol's pages carry them: per field name the values of fields
    that hold ids, and per view the addresses of its forms."""
    if who not in ("A", "B"):
        return {}, {}
    theirs, ours = _seen(w, "C"), _seen(w, who)
    fields: dict[str, set[str]] = {}
    for form in _forms(theirs):
        for name, value in form.values.items():
            if value.isdigit() and name not in NOT_ANSWERS:
                fields.setdefault(name, set()).add(value)
    mine = {form.action for form in _forms(ours)}
    actions = {
        view: {f.action for f in forms if f.action not in mine and re.search(r"/\d+/", f.action)}
        for view, forms in theirs.forms.items()
    }
    return fields, actions


def _later_forms(w: World, who: str) -> list[Form]:
    """The forms this person is shown that the one before them in ``EARLIER`` is not (by view
    and fields): what their later state adds. The earlier states' forms are swept in
    tests/web/test_garbage_sweep.py."""
    shown = _forms(_seen(w, who))
    if who not in EARLIER:
        return shown
    earlier = {_shape(form) for form in _forms(_seen(w, EARLIER[who]))}
    return [form for form in shown if _shape(form) not in earlier]


def _shape(form: Form) -> tuple[str, tuple[str, ...]]:
    return resolve(form.action).view_name, tuple(sorted(form.values))


@pytest.mark.django_db
@pytest.mark.parametrize("who", PEOPLE)
def test_later_forms_store_garbage_whole_or_refuse_it_clearly(who: str, later: World) -> None:
    client = _client(later, who)
    forms = _later_forms(later, who)
    foreign_fields, foreign_actions = _foreign(later, who)
    sweep = Garbage(client)
    for form in _forms(_seen(later, who)):  # every form, later or not, sent with nothing in it
        sweep.post(form, "", "every field left out")
    fields = 0
    for form in forms:
        client.get(form.page)
        fields += len(form.values)
        for label, body, whole, wrong in _odd_bodies(form, foreign_fields):
            sweep.post(form, body, label, whole, wrong=wrong)
        for action in sorted(foreign_actions.get(_shape(form)[0], set()))[:1]:
            sweep.post(
                form, _body(form.values), "another couple's record", wrong=True, action=action
            )
        _mixes(sweep, form)
    print(
        f"\nlater states as {who}: {len(forms)} forms, {fields} fields, {sweep.count} requests, "
        f"{sum('→ 5' in p for p in sweep.problems)} answers ≥ 500"
    )
    assert EXPECTED.get(who, set()) <= {_shape(form)[0] for form in forms}
    assert not sweep.problems, "\n".join(sweep.problems[:15])
    assert not sweep.silent, "refused without saying why:\n" + "\n".join(sweep.silent[:15])


def _mixes(sweep: Garbage, form: Form) -> None:
    """A few whole-form mixes, drawn with a fixed seed."""

    @MIXES
    @given(st.fixed_dictionaries(dict.fromkeys(form.values, VALUES)))
    def mix(values: dict[str, str]) -> None:
        sweep.post(form, _body(values), f"mix {values!r:.60}")

    mix()
