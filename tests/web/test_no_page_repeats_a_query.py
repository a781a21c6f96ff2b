"""No page repeats one query for each thing it shows.

Counted page by page (``test_lists_read_once``, ``test_professional_pages_scale``,
``research/test_study_pages_scale``), a page that lists something is read as often for many as
for few. A new page is not in those lists until someone adds it; this crawl is. As Alex and as
Riley (the demo's researcher) on the demo's months of history, it opens every address without a
number and every link the pages show, groups each page's SQL by shape (quoted text and numbers
taken out) and fails on a shape a page sends four times or more: the mark of a query made once
per row. It found the daily question's page (once per past question) and plans.json (once per
plan).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver

from counterpoint.accounts.models import User
from counterpoint.demo import DemoCouple
from counterpoint.research.demo import RESEARCHER_EMAIL

pytestmark = pytest.mark.django_db
REPEATS = 4
# Addresses that would end the crawl's session, or that only send a file already counted
# elsewhere (the export's zip: tests/web/test_export.py).
NOT_OPENED = ("logout", "sign-out", "signout", "export.zip", "/static/", "/media/")
MAX_PAGES = 400


def _addresses(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _addresses(pattern, route)
        elif "<" not in route and "(" not in route:
            found.append("/" + route.lstrip("^").rstrip("$"))
    return found


def _shape(sql: str) -> str:
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    return re.sub(r"\(\?(, \?)*\)", "(…)", sql)


def _crawl(person: User) -> tuple[int, list[str]]:
    """(pages opened, what repeated where)."""
    client = Client()
    client.force_login(person)
    queue, repeated = _addresses(get_resolver()), []
    done: set[str] = set()
    while queue and len(done) < MAX_PAGES:
        address = queue.pop(0)
        if address in done or any(part in address for part in NOT_OPENED):
            continue
        done.add(address)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code < 500, address
        shapes = Counter(_shape(q["sql"]) for q in queries.captured_queries)
        repeated += [
            f"{address}: {n} × {shape[:140]}" for shape, n in shapes.items() if n >= REPEATS
        ]
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            page = response.content.decode(errors="replace")
            queue += [a for a in re.findall(r'href="(/[^"#?]*)', page) if a not in done]
    return len(done), repeated


def test_no_page_of_the_demo_repeats_a_query(demo: DemoCouple) -> None:
    opened = 0
    repeated: list[str] = []
    for person in (demo.alex, User.objects.get(email=RESEARCHER_EMAIL)):
        pages, found = _crawl(person)
        opened += pages
        repeated += [f"{person.email} {line}" for line in found]
    assert opened >= 150, opened  # the crawl reached the app, not a sign-in page
    assert not repeated, "\n".join(repeated)
