"""Insight sections kept until the apps they read change (``insights.registry``, ``reads=``).

- every section names the apps it reads, and reads no other: run with nothing remembered, each of
  its statements reads a table of those apps (or the user, the couple, the versions);
- a write computes again the sections that read its app, and only those; what is shown after it
  is what a fresh computation gives;
- the partner's shared entry in an app no section reads computes no section at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counterpoint.accounts.models import User
from counterpoint.demo import DemoCouple
from counterpoint.insights.registry import INSIGHT_SECTIONS, SECTION_READS, all_sections
from counterpoint.operations.memo import read_only_request
from tests.web.test_fragments import (
    _busy_world,
    _check_in,
    _client,
    _memory_on_this_day,
    _support_request,
    _undeclared,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the sections computed, in order (every registered section, counted)."""
    names: list[str] = []
    for name, section in list(INSIGHT_SECTIONS.items()):

        def counted(user: Any, name: str = name, section: Any = section) -> dict[str, Any]:
            names.append(name)
            return section(user)

        monkeypatch.setitem(INSIGHT_SECTIONS, name, counted)
    yield names


def _fresh(user: User) -> dict[str, Any]:
    """Every section computed afresh (outside a request nothing is kept), as the JSON has them."""
    sections = all_sections(User.objects.get(pk=user.pk))
    return json.loads(json.dumps(sections, cls=DjangoJSONEncoder))


def _reading(app: str) -> set[str]:
    return {name for name, reads in SECTION_READS.items() if app in reads}


def test_every_section_reads_only_the_apps_it_names(demo: DemoCouple) -> None:
    _busy_world(demo)
    assert set(SECTION_READS) == set(INSIGHT_SECTIONS), "a section without reads= is never kept"
    for person in (demo.alex, demo.sam):
        for name, section in INSIGHT_SECTIONS.items():
            viewer = User.objects.get(pk=person.pk)  # nothing remembered on the user either
            with read_only_request(), CaptureQueriesContext(connection) as queries:
                section(viewer)
            statements = [q["sql"] for q in queries.captured_queries]
            assert statements, f"{name} made no query: what does it keep?"
            assert not _undeclared(statements, SECTION_READS[name]), name


def test_a_check_in_computes_only_the_sections_that_read_check_ins(
    demo: DemoCouple, computed: list[str], settings: Any
) -> None:
    settings.INSIGHTS_CACHE_SECONDS = 600
    alex, sam = _busy_world(demo)
    assert alex.get(reverse("insights:json")).status_code == 200
    assert set(computed) == set(INSIGHT_SECTIONS)
    computed.clear()

    _check_in(sam, demo.sam, 1, note="a long day")
    shown = alex.get(reverse("insights:json")).json()["sections"]
    assert set(computed) == _reading("checkins")
    assert {"growth", "reliability", "shared_plans"}.isdisjoint(computed)
    assert shown == _fresh(demo.alex)


def test_a_write_to_a_sections_app_computes_that_section_again(
    demo: DemoCouple, computed: list[str], settings: Any
) -> None:
    settings.INSIGHTS_CACHE_SECONDS = 600
    alex, sam = _client(demo.alex), _client(demo.sam)
    writes = [
        ("support", lambda: _support_request(sam)),
        ("plans", lambda: _memory_on_this_day(sam, demo)),
        ("checkins", lambda: _check_in(alex, demo.alex, 9)),
    ]
    for app, write in writes:
        assert alex.get(reverse("insights:json")).status_code == 200
        computed.clear()
        write()
        shown = alex.get(reverse("insights:page")).context["s"]
        assert _reading(app) <= set(computed), app
        assert set(computed) < set(INSIGHT_SECTIONS), f"{app}: every section computed again"
        assert json.loads(json.dumps(shown, cls=DjangoJSONEncoder)) == _fresh(demo.alex), app


def test_an_entry_no_section_reads_computes_no_section(
    demo: DemoCouple, computed: list[str], settings: Any
) -> None:
    """Sam's shared journal entry moves what Alex may read, so Alex's insights are looked at
    again; no section reads the journal, so none is computed."""
    settings.INSIGHTS_CACHE_SECONDS = 600
    alex = _client(demo.alex)
    sam = _client(demo.sam)
    alex.get(reverse("insights:page"))
    computed.clear()
    data = {"title": "", "body": "for both of us", "visibility": "partner"}
    assert sam.post(reverse("journal:new"), data).status_code == 302
    response = alex.get(reverse("insights:page"))
    assert response.wsgi_request.page_cache == "rendered"  # type: ignore[attr-defined]
    assert computed == []
    shown = json.loads(json.dumps(response.context["s"], cls=DjangoJSONEncoder))
    assert shown == _fresh(demo.alex)
