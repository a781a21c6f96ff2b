"""Fuzzing: every page's GET parameters and every form, as a partner and anonymously, never 5xx.

Nothing is listed by hand. Pages come from the URL resolver (every name that reverses without
arguments) and from the links those pages show (so detail pages get real ids); forms come from the
HTML the pages render (every ``<form>``, its fields and their offered values); GET parameter names
come from the views' source (``request.GET.get("…")``) and from GET forms. A new page or form is
fuzzed as soon as it is linked or reversible. Hypothesis draws the values with a fixed seed and a
bounded number of examples (``tests.web.garbage.fixed_examples``), so a run is repeatable and takes minutes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from contextlib import suppress
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from hypothesis import given
from hypothesis import strategies as st

from counterpoint.couples.demo import DemoCouple
from tests.web.garbage import fixed_examples

ROOT = Path(__file__).resolve().parents[2]
GET_EXAMPLES = 3
FORM_EXAMPLES = 6
MAX_PAGES = 160
# Signing out or deleting would end the partner's session half-way; they are fuzzed anonymously.
SKIP_AS_PARTNER = re.compile(r"/(logout|delete|sign-out-everywhere|emergency|reset)", re.I)
ODD_VALUES = [
    "", "0", "-1", "1e309", "NaN", "on", "true", "\x00", "9" * 30, "a" * 6000,
    "9999-12-31", "0001-01-01", "2026-02-30", "2026-W99", "' OR 1=1 --", "<script>x</script>",
    "../../etc/passwd", "%00", " ", "١٢٣",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(max_size=40),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
)


class _Forms(HTMLParser):
    """Links and forms (action, method, field names and offered values) of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "fields": {},
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            name = a.get("name")
            if name and name != "csrfmiddlewaretoken":
                self._form["fields"].setdefault(name, set()).add(a.get("value", ""))
            self._last = name
        elif self._form is not None and tag == "option" and getattr(self, "_last", None):
            self._form["fields"].setdefault(self._last, set()).add(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def _get_parameter_names() -> list[str]:
    names: set[str] = set()
    for path in (ROOT / "counterpoint").rglob("*.py"):
        text = path.read_text()
        names |= set(re.findall(r"request\.GET(?:\.get|\.getlist)?[\(\[]\s*\"(\w+)\"", text))
    return sorted(names)


def _reversible_paths() -> list[str]:
    paths = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
            elif isinstance(entry, URLPattern) and entry.name:
                with suppress(NoReverseMatch):  # needs arguments: reached through links
                    paths.append(reverse(f"{prefix}{entry.name}"))

    walk(get_resolver(), "")
    return paths


def _local(url: str, base: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = parts.path if parts.path.startswith("/") else base.rsplit("/", 1)[0] + "/" + parts.path
    return None if path.startswith("/static/") else path


def _crawl(client: Client, skip: re.Pattern[str] | None) -> tuple[list[str], list[dict]]:
    seen: set[str] = set()
    queue = deque(_reversible_paths())
    pages: list[str] = []
    forms: dict[tuple[str, str, tuple[str, ...]], dict] = {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen or (skip and skip.search(path)):
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code < 500, f"GET {path} → {response.status_code}"
        pages.append(path)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        parser = _Forms()
        parser.feed(response.content.decode("utf-8", "replace"))
        for link in parser.links:
            local = _local(link, path)
            if local and local not in seen:
                queue.append(local)
        for form in parser.forms:
            action = _local(form["action"], path) if form["action"] else path
            if action and not (skip and skip.search(action)):
                key = (form["method"], action, tuple(sorted(form["fields"])))
                forms.setdefault(key, {**form, "action": action})
    return pages, list(forms.values())


def _fuzz(client: Client, pages: list[str], forms: list[dict], params: list[str]) -> dict:
    counts: dict[str, Any] = {"requests": 0, "errors": []}

    def check(method: str, path: str, data: dict[str, str]) -> None:
        send = client.get if method == "get" else client.post
        response = send(path, data)
        counts["requests"] += 1
        if response.status_code >= 500:
            counts["errors"].append(
                f"{method.upper()} {path} {data!r:.300} → {response.status_code}"
            )

    def run(method: str, path: str, strategy: st.SearchStrategy, examples: int) -> None:
        @fixed_examples(examples)
        @given(strategy)
        def send(data: dict[str, str]) -> None:
            check(method, path, data)

        send()

    queries = st.dictionaries(st.sampled_from(params), VALUES, min_size=1, max_size=4)
    for path in pages:
        run("get", path, queries, GET_EXAMPLES)
    for form in forms:
        strategy = st.fixed_dictionaries(
            {
                name: st.one_of(st.sampled_from(sorted(offered)), VALUES)
                for name, offered in form["fields"].items()
            }
        )
        run(form["method"], form["action"], strategy, FORM_EXAMPLES)
    return counts


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["partner", "anonymous"])
def test_no_page_or_form_answers_5xx_to_fuzzed_input(who: str, demo: DemoCouple) -> None:
    client = Client(raise_request_exception=False)
    if who == "partner":
        client.force_login(demo.alex)
    skip = SKIP_AS_PARTNER if who == "partner" else None
    pages, forms = _crawl(client, skip)
    params = _get_parameter_names()
    counts = _fuzz(client, pages, forms, params)
    fields = sum(len(f["fields"]) for f in forms)
    print(
        f"\nfuzz as {who}: {counts['requests']} requests, {len(pages)} pages, {len(forms)} forms "
        f"({fields} fields), {len(params)} GET parameters, {len(counts['errors'])} answers ≥ 500"
    )
    assert len(pages) > (20 if who == "partner" else 5)
    assert not counts["errors"], "\n".join(counts["errors"][:20])
