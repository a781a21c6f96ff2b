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

import datetime as dt
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urljoin, urlsplit

import pytest
from django.db import connection
from django.http import HttpResponseBase
from django.test import Client
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)

from counterpoint.demo import DemoCouple

ROOT = Path(__file__).resolve().parents[2]
HUGE = "x" * 70_000  # longer than any column (the longest CharField is a few thousand)
_CUT = re.compile("x{50}")  # a run of HUGE stored without the rest of it
INT_ARGS = ["0", "2147483648", "9" * 40]
STR_ARGS = ["y" * 3000, "%ED%A0%80", "%FF%FE", "0000-00-00", "..%2F..%2Fetc", "a%00b"]
ODD = [
    HUGE, "-1", "-9223372036854775809", "9" * 40, "1e309", "NaN", "0000-00-00", "9999-12-31",
    "0001-01-01", "2026-02-30", "99:99", "  ", "١٢٣", "<b>x</b>", "on",
]  # fmt: skip
RAW_ODD = ["%ED%A0%80", "%FF%FE", "%C0%AF", "a%ED%B2%80b"]  # not UTF-8: lone surrogates, bad bytes
# Writes a refused request may make: the session (messages, a challenge popped), the data-version
# bookkeeping, and django-axes' record of a failed sign-in.
# A professional's access log is an audit: a refused note re-renders the couple's page, an access.
BOOKKEEPING = re.compile(
    r"^(django_session|operations_dataversion|axes_\w+|professionals_accesslogentry)$"
)
_WRITE = re.compile(
    r'^\s*(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE | re.ASCII
)


@dataclass(frozen=True)
class Route:
    name: str
    template: str  # with {arg} holes
    converters: dict[str, str]  # arg -> converter name (int, str, slug, path)


def _routes() -> list[Route]:
    routes: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, ns: str) -> None:
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry, route, f"{ns}{entry.namespace}:" if entry.namespace else ns)
            elif isinstance(entry, URLPattern):
                converters = {
                    arg: kind
                    for kind, arg in re.findall(r"<(?:(\w+):)?(\w+)>", route)
                    for kind in [kind or "str"]
                }
                template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
                routes.append(Route(f"{ns}{entry.name}", template, converters))

    walk(get_resolver(), "", "")
    return routes


ROUTES = _routes()


def _get_parameter_names() -> list[str]:
    names: set[str] = {"next", "page", "week", "day", "slot", "kind", "require", "edit"}
    for path in (ROOT / "counterpoint").rglob("*.py"):
        text = path.read_text()
        names |= set(re.findall(r"request\.GET(?:\.get|\.getlist)?[\(\[]\s*\"(\w+)\"", text))
    return sorted(names)


@dataclass
class Form:
    """A POST form as the page offers it: each field's value as a person would send it untouched
    (the value shown, the option or radio selected, else the first one), empty text filled in."""

    action: str
    values: dict[str, str] = field(default_factory=dict)


class _Page(HTMLParser):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.urls: list[str] = []
        self.fields: set[str] = set()
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in ("href", "action", "hx-post", "hx-get", "data-url", "formaction"):
            if a.get(key):
                self.urls.append(a[key])
        name = a.get("name", "")
        if tag in ("input", "select", "textarea", "button") and name:
            self.fields.add(name)
        if tag == "form":
            post = a.get("method", "get").lower() == "post"
            self._form = Form(urljoin(self.path, a.get("action", ""))) if post else None
            if self._form is not None:
                self.forms.append(self._form)
        form, select = self._form, self._select
        if form is not None and tag == "option" and select:
            first = not form.values.get(select)
            form.values[select] = (
                a.get("value", "") if "selected" in a or first else form.values[select]
            )
        if self._form is None or not name or name == "csrfmiddlewaretoken":
            return
        values = self._form.values
        kind = a.get("type", "text").lower()
        if tag == "input" and kind in ("checkbox", "radio"):
            if "checked" in a or name not in values:
                values[name] = a.get("value", "on")
        elif tag == "input" and kind not in ("submit", "file", "image", "reset"):
            values[name] = a.get("value") or _filler(kind, a)
        elif tag == "button" and name not in values:
            values[name] = a.get("value", "")
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            values[name] = "Words from the garbage sweep"

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea and data.strip():
            self._form.values[self._textarea] = data.strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _filler(kind: str, attrs: dict[str, str]) -> str:
    if kind == "date":
        return attrs.get("min") or dt.date.today().isoformat()
    if kind == "time":
        return "09:00"
    if kind == "number":
        return attrs.get("min") or "5"
    if kind == "email":
        return "someone@example.org"
    if kind == "hidden":
        return ""
    return "Words from the garbage sweep"


@dataclass
class Seen:
    args: dict[str, dict[str, str]] = field(default_factory=dict)  # route name -> real kwargs
    fields: set[str] = field(default_factory=set)
    forms: dict[str, list[Form]] = field(default_factory=dict)  # route name -> its POST forms


_SEEN: dict[str, Seen] = {}


def _seen(client: Client, who: str = "partner") -> Seen:
    """Real arguments for each route, every form field name and the POST forms, from the pages
    this visitor is shown."""
    if who in _SEEN:
        return _SEEN[who]
    seen = Seen()
    queue: list[str] = []
    for route in ROUTES:
        with suppress(NoReverseMatch):
            queue.append(reverse(route.name))
    visited: set[str] = set()
    variants: set[tuple[str, tuple[str, ...]]] = set()
    while queue and len(visited) < 250:
        path = queue.pop(0)
        if path in visited or re.search(r"/(logout|delete|reset|sign-out)", path):
            continue
        visited.add(path)
        response = client.get(path)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        page = _Page(path)
        page.feed(response.content.decode("utf-8", "replace"))
        seen.fields |= page.fields - {"csrfmiddlewaretoken"}
        for form in page.forms:
            with suppress(Resolver404):
                name = resolve(urlsplit(form.action).path).view_name
                known = seen.forms.setdefault(name, [])
                if len(known) < 3 and all(f.values.keys() != form.values.keys() for f in known):
                    form.action = urlsplit(form.action).path
                    known.append(form)
        for url in page.urls:
            parts = urlsplit(urljoin(path, url))
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            try:
                match = resolve(parts.path)
            except Resolver404:
                continue
            if match.kwargs and match.view_name not in seen.args:
                seen.args[match.view_name] = {k: str(v) for k, v in match.kwargs.items()}
                queue.append(parts.path)
            variant = (match.view_name, tuple(sorted(parse_qs(parts.query))))
            if parts.query and variant not in variants:  # ?edit=1 shows another form
                variants.add(variant)
                queue.append(f"{parts.path}?{parts.query}")
    _SEEN[who] = seen
    return seen


@dataclass
class Watch:
    """Tables whose rows an INSERT, UPDATE or DELETE changed, and any of them that stored a piece
    of ``HUGE`` (a value cut to fit instead of refused)."""

    tables: set[str] = field(default_factory=set)
    cut: set[str] = field(default_factory=set)

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        result = execute(sql, params, many, context)
        found = _WRITE.match(sql)
        touched = getattr(context.get("cursor"), "rowcount", -1) != 0
        if found and touched and not BOOKKEEPING.match(found[1]):
            self.tables.add(found[1])
            rows = params if many else [params]
            for value in (v for row in rows or [] for v in (row or [])):
                if isinstance(value, str) and _CUT.search(value) and HUGE not in value:
                    self.cut.add(found[1])
        return result


@dataclass
class Sweep:
    client: Client
    problems: list[str] = field(default_factory=list)
    count: int = 0

    def send(self, method: str, path: str, label: str = "", **kwargs: Any) -> None:
        watch = Watch()
        with connection.execute_wrapper(watch):
            response: HttpResponseBase = self.client.generic(method, path, **kwargs)
        self.count += 1
        what = f"{method} {path[:120]} {label}".strip()
        if response.status_code >= 500:
            self.problems.append(f"{what} → {response.status_code}")
        elif response.status_code >= 400 and watch.tables:
            self.problems.append(
                f"{what} → {response.status_code} but wrote {sorted(watch.tables)}"
            )
        elif watch.cut:
            self.problems.append(f"{what} → {response.status_code}, cut to fit {sorted(watch.cut)}")


def _args(route: Route, seen: Seen) -> dict[str, str]:
    """The route's real arguments, else those of a sibling with the same prefix (a detail page's
    id for its POST-only actions: ``decisions/{pk}/`` lends ``decisions/{pk}/decide/`` its pk)."""
    if route.name in seen.args:
        return seen.args[route.name]
    prefix = route.template.split("{", 1)[0]
    for other in ROUTES:
        if other.name in seen.args and other.template.startswith(prefix + "{"):
            return seen.args[other.name]
    return {}


def _fill(route: Route, args: dict[str, str], override: dict[str, str]) -> str:
    values = {arg: override.get(arg, args.get(arg, "1")) for arg in route.converters}
    return "/" + route.template.format(**values)


def _form(names: list[str], values: list[str], shift: int = 0) -> str:
    """A urlencoded body: name i gets value i + shift (round the list)."""
    return "&".join(
        f"{quote(name)}={quote(values[(i + shift) % len(values)])}" for i, name in enumerate(names)
    )


def _sweep(client: Client, route: Route, seen: Seen) -> Sweep:
    sweep = Sweep(client)
    args = _args(route, seen)
    base = _fill(route, args, {})
    client.get(base)  # as a person would first (a page may make its defaults row on the way)
    # Ids and text no row has, in the path.
    for arg, kind in route.converters.items():
        for odd in INT_ARGS if kind == "int" else STR_ARGS:
            path = _fill(route, args, {arg: odd})
            sweep.send("GET", path)
            sweep.send("POST", path)
    # Odd query values, every parameter name a view reads, and repeated keys.
    params = _get_parameter_names()
    for shift in range(3):
        query = _form(params, ODD, shift)
        sweep.send("GET", f"{base}?{query}&{query}", "(odd query)")
    sweep.send("GET", f"{base}?" + "&".join(f"{p}={RAW_ODD[0]}" for p in params), "(not UTF-8)")
    sweep.send("GET", f"{base}?" + _form(params, ["a\x00b"]), "(NUL)")
    # Form posts: every field name any page shows.
    fields = sorted(seen.fields)
    urlencoded = "application/x-www-form-urlencoded"
    for shift in range(0, len(ODD), 3):
        body = _form(fields, ODD, shift)
        sweep.send("POST", base, f"(odd values from {shift})", data=body, content_type=urlencoded)
    dup = _form(fields, ["1"]) + "&" + _form(fields, ["z" * 300])
    sweep.send("POST", base, "(repeated keys)", data=dup, content_type=urlencoded)
    for raw in RAW_ODD:
        body = "&".join(f"{quote(name)}={raw}" for name in fields)
        sweep.send("POST", base, f"(not UTF-8 {raw})", data=body, content_type=urlencoded)
    sweep.send("POST", base, "(NUL)", data=_form(fields, ["a\x00b"]), content_type=urlencoded)
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
        sweep.send(method, base, data=_form(fields[:5], [HUGE]), content_type=urlencoded)
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
    seen = _seen(crawler, who if crawler is client else "partner")
    sweep = _sweep(client, route, seen)
    assert sweep.count > 20
    assert not sweep.problems, "\n".join(sweep.problems[:15])


def test_the_sweep_found_real_ids_for_most_routes_with_ids(demo: DemoCouple) -> None:
    partner = Client(raise_request_exception=False)
    partner.force_login(demo.alex)
    seen = _seen(partner)
    with_ids = [r.name for r in ROUTES if "int" in r.converters.values()]
    found = [r.name for r in ROUTES if r.name in with_ids and _args(r, seen)]
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
    forms = _seen(client, who).forms.get(route.name, [])
    sweep = Sweep(client)
    for form in forms:
        client.get(form.action)  # as a person would first (see _sweep)
        base = {name: value for name, value in form.values.items() if name != "submission_key"}
        for name in base:
            for odd in FIELD_ODD:
                data = _form(list(base), [odd if n == name else base[n] for n in base])
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

    watch = Watch()
    with connection.execute_wrapper(watch):
        User.objects.filter(pk=demo.alex.pk).update(display_name=HUGE[:60])
    assert watch.tables == {"accounts_user"} and watch.cut == {"accounts_user"}
    quiet = Watch()
    with connection.execute_wrapper(quiet):
        User.objects.filter(pk=-1).update(display_name="nobody")
        list(User.objects.all())
    assert not quiet.tables and not quiet.cut
