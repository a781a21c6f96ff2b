"""The garbage sweeps' shared parts: the routes from the URL resolver, the pages' POST forms as a
person would send them (found by following links from every page a visitor can reach), and the
watch on the database that catches a refused request that wrote and a value cut to fit.

Used by tests/web/test_garbage_sweep.py (the demo couple, as it is today) and
tests/web/test_garbage_later_states.py (the shared world taken further, where more forms show).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, quote, urljoin, urlsplit

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

HUGE = "x" * 70_000  # longer than any column (the longest CharField is a few thousand)
_CUT = re.compile("x{50}")  # a run of HUGE stored without the rest of it
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


@dataclass
class Form:
    """A POST form as the page offers it: each field's value as a person would send it untouched
    (the value shown, the option or radio selected, else the first one), empty text filled in; its
    file inputs by name (tests/web/test_garbage_uploads.py fills them) and its ``enctype``."""

    action: str
    values: dict[str, str] = field(default_factory=dict)
    page: str = ""  # where it was shown
    kinds: dict[str, str] = field(default_factory=dict)  # the input's type, "select", "textarea"
    enctype: str = "application/x-www-form-urlencoded"
    files: list[str] = field(default_factory=list)  # the names of its <input type="file">


class Page(HTMLParser):
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
            enctype = a.get("enctype") or "application/x-www-form-urlencoded"
            self._form = (
                Form(urljoin(self.path, a.get("action", "")), page=self.path, enctype=enctype)
                if post
                else None
            )
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
        self._form.kinds.setdefault(name, kind if tag == "input" else tag)
        if tag == "input" and kind == "file" and name not in self._form.files:
            self._form.files.append(name)
        elif tag == "input" and kind in ("checkbox", "radio"):
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
    pages: int = 0  # how many were read


_SEEN: dict[str, Seen] = {}


def crawl(
    client: Client, who: str = "partner", *, start: tuple[str, ...] = (), per_view: int = 1
) -> Seen:
    """Real arguments for each route, every form field name and the POST forms, from the pages
    this visitor is shown, beginning with ``start`` (links sent by mail, say) and every page that
    needs no arguments. Up to ``per_view`` records' pages of each view are read (one plan that is
    still an idea, another already done show different forms); the first one's arguments are
    kept. Kept per ``who`` for the test process."""
    if who in _SEEN:
        return _SEEN[who]
    seen = Seen()
    queue: list[str] = list(start)
    for route in ROUTES:
        with suppress(NoReverseMatch):
            queue.append(reverse(route.name))
    visited: set[str] = set()
    variants: set[tuple[str, tuple[str, ...]]] = set()
    records: dict[str, set[str]] = {}  # route name -> the paths of its records queued
    while queue and len(visited) < 250 * per_view:
        path = queue.pop(0)
        if path in visited or re.search(r"/(logout|delete|reset|sign-out)", path):
            continue
        visited.add(path)
        seen.pages += 1
        response = client.get(path)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        page = Page(path)
        page.feed(response.content.decode("utf-8", "replace"))
        seen.fields |= page.fields - {"csrfmiddlewaretoken"}
        for form in page.forms:
            with suppress(Resolver404):
                name = resolve(urlsplit(form.action).path).view_name
                known = seen.forms.setdefault(name, [])
                shape = (form.values.keys(), form.files)
                if len(known) < 3 and all((f.values.keys(), f.files) != shape for f in known):
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
            if match.kwargs:
                seen.args.setdefault(match.view_name, {k: str(v) for k, v in match.kwargs.items()})
                queued = records.setdefault(match.view_name, set())
                if parts.path not in queued and len(queued) < per_view:
                    queued.add(parts.path)
                    queue.append(parts.path)
            variant = (match.view_name, tuple(sorted(parse_qs(parts.query))))
            if parts.query and variant not in variants:  # ?edit=1 shows another form
                variants.add(variant)
                queue.append(f"{parts.path}?{parts.query}")
    _SEEN[who] = seen
    return seen


def route_args(route: Route, seen: Seen) -> dict[str, str]:
    """The route's real arguments, else those of a sibling with the same prefix (a detail page's
    id for its POST-only actions: ``decisions/{pk}/`` lends ``decisions/{pk}/decide/`` its pk)."""
    if route.name in seen.args:
        return seen.args[route.name]
    prefix = route.template.split("{", 1)[0]
    for other in ROUTES:
        if other.name in seen.args and other.template.startswith(prefix + "{"):
            return seen.args[other.name]
    return {}


def route_path(route: Route, args: dict[str, str], override: dict[str, str] | None = None) -> str:
    """The route's address with ``args`` (``override`` in their place, ``1`` for one missing)."""
    override = override or {}
    values = {arg: override.get(arg, args.get(arg, "1")) for arg in route.converters}
    return "/" + route.template.format(**values)


@dataclass
class Watch:
    """Tables whose rows an INSERT, UPDATE or DELETE changed, and any of them that stored a piece
    of ``whole`` (a run of x's sent: a value cut to fit instead of refused or kept whole)."""

    tables: set[str] = field(default_factory=set)
    cut: set[str] = field(default_factory=set)
    whole: str = HUGE

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        result = execute(sql, params, many, context)
        found = _WRITE.match(sql)
        # SQLite counts no rows for an INSERT … RETURNING until they are read: count it a write.
        returning = found is not None and " RETURNING " in sql.upper()
        touched = returning or getattr(context.get("cursor"), "rowcount", -1) != 0
        if found and touched and not BOOKKEEPING.match(found[1]):
            self.tables.add(found[1])
            rows = params if many else [params]
            for value in (v for row in rows or [] for v in (row or [])):
                if isinstance(value, str) and _CUT.search(value) and self.whole not in value:
                    self.cut.add(found[1])
        return result


@dataclass
class Sweep:
    client: Client
    problems: list[str] = field(default_factory=list)
    count: int = 0

    def send(
        self, method: str, path: str, label: str = "", *, whole: str = HUGE, **kwargs: Any
    ) -> tuple[HttpResponseBase, Watch]:
        """The answer to one request and what it wrote; a problem noted when it was a 5xx, a
        refusal that wrote, or ``whole`` stored in part."""
        watch = Watch(whole=whole)
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
        return response, watch


def form_body(names: list[str], values: list[str], shift: int = 0) -> str:
    """A urlencoded body: name i gets value i + shift (round the list)."""
    return "&".join(
        f"{quote(name)}={quote(values[(i + shift) % len(values)])}" for i, name in enumerate(names)
    )


def fixed_examples(count: int) -> Any:
    """Hypothesis settings for a sweep: ``count`` examples drawn the same way every run (CI sees
    what a developer saw), no deadline, no example database, no health checks."""
    from hypothesis import HealthCheck, Phase, settings

    return settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
