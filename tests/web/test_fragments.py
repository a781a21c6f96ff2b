"""Kept blocks (``{% keep %}``, counterpoint/privacy/fragments.py) and pages kept by the parts of
the viewer's versions (``per_own_page(reads=...)``): never stale, never a leak.

- every kept block, and every page kept by parts, reads only the apps it names: rendered with an
  empty memo, each statement's tables belong to those apps (or to the user, the couple, the
  versions);
- after a write to an app a block names, the page shows what a fresh render shows; after a write
  to another app, the block is served kept (none of its queries run);
- parts move only with their scope, so the partner's private writes move none of the viewer's.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, cast

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from counterpoint.demo import DemoCouple
from counterpoint.operations.middleware import _app_of_table
from counterpoint.pages.context_processors import HOME_CARDS
from counterpoint.privacy.fragments import _all_part_versions, audited
from counterpoint.privacy.page_cache import ALWAYS_READ, OWN_PAGE_READS
from tests.web.checkin_form import checkin_values
from tests.web.kept_pages import normal_page

pytestmark = pytest.mark.django_db

_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)
# read by every page: the versions (the bookkeeping itself) and the session
_BOOKKEEPING = {"operations_dataversion", "django_session"}


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _apps_read(statements: list[str]) -> dict[str, set[str]]:
    """app label -> the tables of it the statements read."""
    found: dict[str, set[str]] = {}
    for sql in statements:
        for table in _TABLE.findall(sql):
            if table in _BOOKKEEPING:
                continue
            found.setdefault(_app_of_table().get(table, f"(no model: {table})"), set()).add(table)
    return found


def _undeclared(statements: list[str], declared: tuple[str, ...]) -> dict[str, set[str]]:
    allowed = {*declared, *ALWAYS_READ}
    return {app: t for app, t in _apps_read(statements).items() if app not in allowed}


def _templates_with_blocks() -> set[str]:
    found = set()
    dirs = cast(list[str], django_settings.TEMPLATES[0]["DIRS"])
    for folder in [*map(Path, dirs), *Path("counterpoint").rglob("templates")]:
        for path in Path(folder).rglob("*.html"):
            if "{% keep " in path.read_text():
                found.add(path.relative_to(folder).as_posix())
    return found


def test_every_template_with_kept_blocks_is_audited_here() -> None:
    """A new template with a ``{% keep %}`` block must be added to the audit below."""
    assert _templates_with_blocks() == {"pages/home.html"}


def _busy_world(demo: DemoCouple) -> tuple[Client, Client]:
    """Alex and Sam with something in every card: a request for support waiting for Alex, a
    memory from this day in an earlier year, a check-in each today with a note."""
    alex, sam = _client(demo.alex), _client(demo.sam)
    _support_request(sam)
    _memory_on_this_day(sam, demo)
    _check_in(sam, demo.sam, 4, note="thinking of you")
    _check_in(alex, demo.alex, 6)
    return alex, sam


def test_every_kept_block_reads_only_the_apps_it_names(demo: DemoCouple) -> None:
    alex, sam = _busy_world(demo)
    for client in (alex, sam):
        with audited() as blocks:
            page = client.get(reverse("pages:home")).content.decode()
        assert "Your partner could use you" in page or client is sam
        names = {b.name for b in blocks}
        wanted = {"home:today"} | {c.template for c in HOME_CARDS if c.reads is not None}
        assert names == wanted
        for block in blocks:
            assert block.statements, f"{block.name} made no query: what does it keep?"
            assert not _undeclared(block.statements, block.apps), block.name


def _wrapped(callback: Any) -> list[Any]:
    """The callback and every function its decorators wrap."""
    chain = [callback]
    while hasattr(chain[-1], "__wrapped__"):
        chain.append(chain[-1].__wrapped__)
    return chain


def _view_urls(view: Any) -> list[str]:
    """The addresses (without arguments) served by ``view``."""
    found = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and view in _wrapped(p.callback):
                found.append("/" + prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_page_kept_by_parts_reads_only_the_apps_it_names(
    demo: DemoCouple, settings: Any
) -> None:
    alex, _sam = _busy_world(demo)
    assert OWN_PAGE_READS, "no page is kept by parts: this test would check nothing"
    settings.PAGE_CACHE_SECONDS = 0  # render, with a fresh memo: every query the page needs
    for view, reads in OWN_PAGE_READS.items():
        urls = _view_urls(view)
        assert urls, view
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert alex.get(url).status_code == 200
            statements = [q["sql"] for q in queries.captured_queries]
            assert not _undeclared(statements, reads), url


def _check_in(client: Client, who: Any, mood: int, note: str = "") -> None:
    values = checkin_values(who.local_today().isoformat(), mood)
    values["note"] = note
    assert client.post(reverse("checkins:today"), values).status_code == 302


def _support_request(client: Client) -> None:
    client.get(reverse("support:new"))
    data = {"kind": "listening", "details": "", "submission_key": f"k-{id(client)}-support"}
    assert client.post(reverse("support:new"), data).status_code == 302


def _memory_on_this_day(client: Client, demo: DemoCouple) -> None:
    today = demo.sam.local_today()
    day = today.replace(year=today.year - 1) if (today.month, today.day) != (2, 29) else today
    data = {
        "title": "The lake in the rain",
        "happened_on": day.isoformat(),
        "shared": "yes",
        "submission_key": f"k-{id(client)}-{day}",
    }
    assert client.post(reverse("plans:memory_new"), data).status_code == 302


def _fresh(client: Client, url: str, settings: Any) -> str:
    settings.PAGE_CACHE_SECONDS = 0
    try:
        return normal_page(client.get(url).content)
    finally:
        settings.PAGE_CACHE_SECONDS = 60


def test_home_shows_what_a_fresh_render_shows_after_writes_to_each_cards_app(
    demo: DemoCouple, settings: Any
) -> None:
    settings.PAGE_CACHE_SECONDS = 60
    alex, sam = _client(demo.alex), _client(demo.sam)
    home = reverse("pages:home")
    writes = [
        ("Sam asks Alex for support", lambda: _support_request(sam), "Your partner could use you"),
        ("Sam keeps a memory of this day", lambda: _memory_on_this_day(sam, demo), "On this day"),
        ("Sam checks in with a note", lambda: _check_in(sam, demo.sam, 3, "hello"), "hello"),
    ]
    for what, write, shown in writes:
        alex.get(home)
        alex.get(home)  # kept, blocks and all
        write()
        page = normal_page(alex.get(home).content)
        assert shown in page, what
        assert page == _fresh(alex, home, settings), what


def _tables(queries: CaptureQueriesContext) -> set[str]:
    return {t for q in queries.captured_queries for t in _TABLE.findall(q["sql"])}


def test_a_check_in_renders_home_again_but_not_its_other_cards(
    demo: DemoCouple, settings: Any
) -> None:
    """Sam's check-in changes Alex's "today" block; the support and memory cards stay kept."""
    settings.PAGE_CACHE_SECONDS = 60
    alex, sam = _busy_world(demo)
    home = reverse("pages:home")
    alex.get(home)
    _check_in(sam, demo.sam, 8, note="a new note")
    with CaptureQueriesContext(connection) as queries:
        page = normal_page(alex.get(home).content)
    tables = _tables(queries)
    assert "checkins_checkin" in tables  # the page and its "today" block were rendered again
    assert not {t for t in tables if t.startswith(("support_", "plans_", "research_"))}
    assert "a new note" in page and "Your partner could use you" in page
    assert page == _fresh(alex, home, settings)


def test_the_feed_stays_kept_through_its_viewers_own_check_in(
    demo: DemoCouple, settings: Any
) -> None:
    """The feed reads only the viewer's notices: their own check-in leaves it kept, a notice to
    them (Sam's request for support) does not."""
    settings.PAGE_CACHE_SECONDS = 60
    alex, sam = _client(demo.alex), _client(demo.sam)
    feed = reverse("activity:feed")
    alex.get(feed)
    before = normal_page(alex.get(feed).content)
    _check_in(alex, demo.alex, 2)
    alex.get(reverse("journal:list"))  # shows (and so ends) the check-in's "Saved."
    response = alex.get(feed)
    assert response.wsgi_request.page_cache == "kept"  # type: ignore[attr-defined]
    assert normal_page(response.content) == before == _fresh(alex, feed, settings)
    _support_request(sam)
    response = alex.get(feed)
    assert response.wsgi_request.page_cache == "rendered"  # type: ignore[attr-defined]
    assert normal_page(response.content) == _fresh(alex, feed, settings) != before


def test_a_sharing_change_renders_every_block_again(demo: DemoCouple, settings: Any) -> None:
    """A change no app is named for (``versions_bump`` without parts: here, making a shared entry
    private) moves every part, ``@*``, so no block outlives it."""
    from counterpoint.journal.models import JournalEntry
    from counterpoint.privacy.sharing import record_make_private

    settings.PAGE_CACHE_SECONDS = 60
    alex, sam = _busy_world(demo)
    data = {"title": "", "body": "for both of us", "visibility": "partner"}
    assert sam.post(reverse("journal:new"), data).status_code == 302
    home = reverse("pages:home")
    alex.get(home)
    before = dict(_all_part_versions(demo.alex))
    entry = JournalEntry.objects.get(author=demo.sam, body="for both of us")
    record_make_private(user=demo.sam, record=entry)
    after = dict(_all_part_versions(demo.alex))
    moved = {scope for scope in after if after[scope] != before.get(scope)}
    assert f"p:{demo.sam.pk}@*" in moved and f"c:{demo.couple.pk}@*" in moved
    assert normal_page(alex.get(home).content) == _fresh(alex, home, settings)


def test_the_partners_private_writes_move_none_of_the_viewers_parts(demo: DemoCouple) -> None:
    sam = _client(demo.sam)
    before = _all_part_versions(demo.alex)
    data = {"title": "", "body": "mine alone", "visibility": "private"}
    assert sam.post(reverse("journal:new"), data).status_code == 302
    memory = {
        "title": "Only mine",
        "happened_on": (demo.sam.local_today() - dt.timedelta(days=365)).isoformat(),
        "shared": "no",
        "submission_key": "k-private-memory",
    }
    assert sam.post(reverse("plans:memory_new"), memory).status_code == 302
    assert _all_part_versions(demo.alex) == before


def test_a_block_naming_no_app_is_refused(rf: Any, demo: DemoCouple) -> None:
    from counterpoint.privacy.fragments import kept_block

    request = rf.get("/")
    request.user = demo.alex
    with pytest.raises(ValueError, match="names no app"):
        kept_block(request, "x", ("chekins",), lambda: "")


def test_the_map_stays_kept_through_the_partners_check_in_not_through_ones_own(
    demo: DemoCouple, settings: Any
) -> None:
    """The map shows only its viewer's places and their own check-ins' minutes."""
    settings.PAGE_CACHE_SECONDS = 60
    alex, sam = _client(demo.alex), _client(demo.sam)
    url = reverse("interdependence:home")
    alex.get(url)
    before = normal_page(alex.get(url).content)
    _check_in(sam, demo.sam, 5, note="busy day")
    response = alex.get(url)
    assert response.wsgi_request.page_cache == "kept"  # type: ignore[attr-defined]
    assert normal_page(response.content) == before == _fresh(alex, url, settings)
    values = checkin_values(demo.alex.local_today().isoformat(), 5)
    values.update(me_minutes="45", we_minutes="15")
    assert alex.post(reverse("checkins:today"), values).status_code == 302
    alex.get(reverse("journal:list"))  # shows (and so ends) the check-in's "Saved."
    response = alex.get(url)
    assert response.wsgi_request.page_cache == "rendered"  # type: ignore[attr-defined]
    assert normal_page(response.content) == _fresh(alex, url, settings)


def test_the_study_card_reads_only_research_with_a_prompt_open(world: Any) -> None:
    """The demo couple is in no study; the access world's Alice and Bob each have a prompt open."""
    for person in ("A", "B"):
        with audited() as blocks:
            page = world.client_for(person).get(reverse("pages:home")).content.decode()
        assert "A study question is waiting" in page
        for block in blocks:
            assert not _undeclared(block.statements, block.apps), block.name
