"""Every URL in the URL conf fed garbage: never a 5xx, a refused write changes nothing, and nothing
accepted is cut to fit.

The patterns come from the resolver, one test per pattern and visitor (signed out and a partner of
the demo couple everywhere; a researcher and a professional on their own pages), so a new view is
swept as soon as it has a route. Real ids for ``<int:…>`` come from the links and form actions the
visitor's pages show (a POST-only action borrows its detail page's id); each pattern is then also
asked for with ids and text no row has (zero, past the 32-bit range and any integer's, thousands of
characters, invalid UTF-8, NUL). On the real address it gets: odd query values (huge, negative,
non-numeric, ``0000-00-00``, ``9999-12-31``, NUL, repeated keys); form posts carrying every field
name any page shows, with values over any column's length, out-of-range numbers and impossible
dates, repeated keys and raw bytes that are not UTF-8 (lone surrogates, ``\\xff``); JSON where a
form is expected, a JSON list where an object is, JSON nested far too deep; a broken multipart
body; and HEAD, PUT, PATCH, DELETE and OPTIONS.

Garbage in every field mostly stops at the first field a form checks, so each POST form the pages
show is also sent as offered with one field odd at a time (over any length, out of every integer
range, a date at the calendar's edge, NUL), and the app's pages are read again afterwards with
whatever was accepted stored.

Watched at the database: any INSERT, UPDATE or DELETE that touched a row of the app's data while
answering a request that was refused (4xx) fails the test, and so does storing part of an over-long
value. Run on SQLite and on PostgreSQL (``DATABASE_URL``): PostgreSQL refuses NUL in text and
integers out of range where SQLite does not, which is where 5xx hide.
"""

from __future__ import annotations

import re
from contextlib import suppress
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from counterpoint.demo import DemoCouple
from tests.web.garbage import (
    HUGE,
    ROUTES,
    Route,
    Seen,
    Sweep,
    Watch,
    crawl,
    form_body,
    route_args,
    route_path,
)

ROOT = Path(__file__).resolve().parents[2]
INT_ARGS = ["0", "2147483648", "9" * 40]
STR_ARGS = ["y" * 3000, "%ED%A0%80", "%FF%FE", "0000-00-00", "..%2F..%2Fetc", "a%00b"]
ODD = [
    HUGE, "-1", "-9223372036854775809", "9" * 40, "1e309", "NaN", "0000-00-00", "9999-12-31",
    "0001-01-01", "2026-02-30", "99:99", "  ", "١٢٣", "<b>x</b>", "on",
]  # fmt: skip
RAW_ODD = ["%ED%A0%80", "%FF%FE", "%C0%AF", "a%ED%B2%80b"]  # not UTF-8: lone surrogates, bad bytes


def _get_parameter_names() -> list[str]:
    names: set[str] = {"next", "page", "week", "day", "slot", "kind", "require", "edit"}
    for path in (ROOT / "counterpoint").rglob("*.py"):
        text = path.read_text()
        names |= set(re.findall(r"request\.GET(?:\.get|\.getlist)?[\(\[]\s*\"(\w+)\"", text))
    return sorted(names)


def _sweep(client: Client, route: Route, seen: Seen) -> Sweep:
    sweep = Sweep(client)
    args = route_args(route, seen)
    base = route_path(route, args)
    client.get(base)  # as a person would first (a page may make its defaults row on the way)
    # Ids and text no row has, in the path.
    for arg, kind in route.converters.items():
        for odd in INT_ARGS if kind == "int" else STR_ARGS:
            path = route_path(route, args, {arg: odd})
            sweep.send("GET", path)
            sweep.send("POST", path)
    # Odd query values, every parameter name a view reads, and repeated keys.
    params = _get_parameter_names()
    for shift in range(3):
        query = form_body(params, ODD, shift)
        sweep.send("GET", f"{base}?{query}&{query}", "(odd query)")
    sweep.send("GET", f"{base}?" + "&".join(f"{p}={RAW_ODD[0]}" for p in params), "(not UTF-8)")
    sweep.send("GET", f"{base}?" + form_body(params, ["a\x00b"]), "(NUL)")
    # Form posts: every field name any page shows.
    fields = sorted(seen.fields)
    urlencoded = "application/x-www-form-urlencoded"
    for shift in range(0, len(ODD), 3):
        body = form_body(fields, ODD, shift)
        sweep.send("POST", base, f"(odd values from {shift})", data=body, content_type=urlencoded)
    dup = form_body(fields, ["1"]) + "&" + form_body(fields, ["z" * 300])
    sweep.send("POST", base, "(repeated keys)", data=dup, content_type=urlencoded)
    for raw in RAW_ODD:
        body = "&".join(f"{quote(name)}={raw}" for name in fields)
        sweep.send("POST", base, f"(not UTF-8 {raw})", data=body, content_type=urlencoded)
    sweep.send("POST", base, "(NUL)", data=form_body(fields, ["a\x00b"]), content_type=urlencoded)
    # Wrong content types.
    sweep.send("POST", base, "(JSON list)", data="[1, 2]", content_type="application/json")
    deep = "[" * 50_000 + "]" * 50_000
    sweep.send("POST", base, "(JSON too deep)", data=deep, content_type="application/json")
    sweep.send(
        "POST",
        base,
        "(JSON object)",
        data='{"name": [], "next": {}}',
        content_type="application/json",
    )
    sweep.send("POST", base, "(text)", data="\x00\xff garbage", content_type="text/plain")
    sweep.send(
        "POST",
        base,
        "(broken multipart)",
        data=b'--zzz\r\nContent-Disposition: form-data; name="a"\r\n\r\n\xff\xfe',
        content_type="multipart/form-data; boundary=zzz",
    )
    sweep.send(
        "POST", base, "(multipart, no boundary)", data=b"x", content_type="multipart/form-data"
    )
    for method in ("HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"):
        sweep.send(method, base, data=form_body(fields[:5], [HUGE]), content_type=urlencoded)
    return sweep


# Who visits: signed out and a partner of the demo couple (months of history) everywhere; from the
# shared test world, a researcher with studies and a professional a couple consented to, on their
# own pages (elsewhere they are people like the partner).
OWN_PAGES = {"researcher": "research:", "professional": "professionals:"}
CASES = [
    pytest.param(route, who, id=f"{route.name}-{who}")
    for route in ROUTES
    for who in ["anonymous", "partner", *OWN_PAGES]
    if who not in OWN_PAGES or route.name.startswith(OWN_PAGES[who])
]


def _visitor(who: str, request: pytest.FixtureRequest) -> Client:
    client = Client(raise_request_exception=False)
    if who in ("anonymous", "partner"):
        demo: DemoCouple = request.getfixturevalue("demo")
        if who == "partner":
            client.force_login(demo.alex)
    else:
        world = request.getfixturevalue("world")
        client.force_login(world.person("R" if who == "researcher" else "T_ok"))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "who"), CASES)
def test_garbage_never_gets_a_5xx_and_a_refusal_changes_nothing(
    route: Route, who: str, request: pytest.FixtureRequest
) -> None:
    client = _visitor(who, request)
    # Real ids: from the partner's pages in the demo, from this visitor's own in the world.
    crawler = client if who in ("researcher", "professional") else _visitor("partner", request)
    seen = crawl(crawler, who if crawler is client else "partner")
    sweep = _sweep(client, route, seen)
    assert sweep.count > 20
    assert not sweep.problems, "\n".join(sweep.problems[:15])


def test_the_sweep_found_real_ids_for_most_routes_with_ids(demo: DemoCouple) -> None:
    partner = Client(raise_request_exception=False)
    partner.force_login(demo.alex)
    seen = crawl(partner)
    with_ids = [r.name for r in ROUTES if "int" in r.converters.values()]
    found = [r.name for r in ROUTES if r.name in with_ids and route_args(r, seen)]
    assert len(found) >= len(with_ids) // 2, sorted(set(with_ids) - set(found))
    assert len(seen.fields) > 40


SHOWN_AFTER = {"pages:home", "activity:feed", "insights:page", "checkins:today", "safety:center"}
FIELD_ODD = [
    HUGE,
    "9" * 40,
    "-9223372036854775809",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "a\x00b",
]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "who"), CASES)
def test_a_form_with_one_odd_field_is_saved_whole_or_refused(
    route: Route, who: str, request: pytest.FixtureRequest
) -> None:
    """Each POST form the pages show, sent as offered but for one field: over any length,
    out of every integer range, or a date at the edge of the calendar. The rest being right, the
    odd value reaches the form's cleaning and, if accepted, the services and the database."""
    client = _visitor(who, request)
    forms = crawl(client, who).forms.get(route.name, [])
    sweep = Sweep(client)
    for form in forms:
        client.get(form.action)  # as a person would first (see _sweep)
        base = {name: value for name, value in form.values.items() if name != "submission_key"}
        for name in base:
            for odd in FIELD_ODD:
                data = form_body(list(base), [odd if n == name else base[n] for n in base])
                sweep.send(
                    "POST",
                    form.action,
                    f"({name}={odd[:20]})",
                    data=data,
                    content_type="application/x-www-form-urlencoded",
                )
    # What was accepted is shown again: the app's own pages and the usual ones, with it stored.
    namespace = route.name.split(":")[0] + ":"
    for other in ROUTES:
        if forms and (other.name.startswith(namespace) or other.name in SHOWN_AFTER):
            with suppress(NoReverseMatch):
                sweep.send("GET", reverse(other.name), "(after the odd posts)")
    assert not sweep.problems, "\n".join(sweep.problems[:15])


@pytest.mark.django_db
def test_the_watch_sees_a_write_and_a_value_cut_to_fit(demo: DemoCouple) -> None:
    """The harness itself: a refused request that wrote, and a stored piece of HUGE, are caught."""
    from counterpoint.accounts.models import User
    from tests.web.authenticator import Authenticator, passkey_added

    watch = Watch()
    with connection.execute_wrapper(watch):
        User.objects.filter(pk=demo.alex.pk).update(display_name=HUGE[:60])
    assert watch.tables == {"accounts_user"} and watch.cut == {"accounts_user"}
    alex = Client()
    alex.force_login(demo.alex)
    inserted = Watch()
    with connection.execute_wrapper(inserted):
        passkey_added(alex, Authenticator())  # through the views, as the two-factor page does
    # Its alert email is not a row here: tests send mail to Django's in-memory outbox.
    assert inserted.tables == {"accounts_passkey"}
    quiet = Watch()
    with connection.execute_wrapper(quiet):
        User.objects.filter(pk=-1).update(display_name="nobody")
        list(User.objects.all())
    assert not quiet.tables and not quiet.cut
