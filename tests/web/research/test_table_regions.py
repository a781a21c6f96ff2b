"""Each scrolling table on a study's pages is a region named "Table: <its caption>", so no two
regions on a page share a name (axe: landmark-unique) — its section is already named by its
heading."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.couples.demo import DemoCouple
from counterpoint.research.models import Study
from counterpoint.research.runs.models import AnalysisRun

pytestmark = pytest.mark.django_db


class _Regions(HTMLParser):
    """The page's named regions (sections named by a heading, role="region") and each scrolling
    table's region name with the table's caption."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: dict[str, str] = {}
        self.labelled_by: list[str] = []
        self.labels: list[str] = []
        self.tables: list[list[str]] = []  # [region name, caption]
        self._open_id: str | None = None
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and a.get("aria-labelledby"):
            self.labelled_by.append(a["aria-labelledby"] or "")
        if a.get("role") == "region":
            self.labels.append(a.get("aria-label") or "")
            if "table-scroll" in (a.get("class") or ""):
                self.tables.append([a.get("aria-label") or "", ""])
        if a.get("id"):
            self._open_id = a["id"]
            self.ids[self._open_id or ""] = ""
        self._in_caption = tag == "caption" or self._in_caption

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
        if tag in {"h1", "h2", "h3"}:
            self._open_id = None

    def handle_data(self, data: str) -> None:
        if self._open_id is not None:
            self.ids[self._open_id] += data
        if self._in_caption and self.tables:
            self.tables[-1][1] += data

    def names(self) -> list[str]:
        headed = [self.ids.get(i, "").strip() for i in self.labelled_by]
        return [re.sub(r"\s+", " ", n) for n in headed + self.labels]


def _check(page: str) -> int:
    regions = _Regions()
    regions.feed(html.unescape(page))
    names = regions.names()
    assert len(names) == len(set(names)), names
    for name, caption in regions.tables:
        assert name == f"Table: {caption.strip()}"
    return len(regions.tables)


def test_each_table_region_has_a_name_of_its_own(demo: DemoCouple) -> None:
    study = Study.objects.get(researcher__email="riley@example.com")
    client = Client()
    client.force_login(study.researcher)
    tables = 0
    for name in ("research:compliance", "research:export", "research:study_log"):
        response = client.get(reverse(name, args=[study.pk]))
        assert response.status_code == 200
        tables += _check(response.content.decode())
    assert tables == 4  # compliance: per couple, over time; the codebook; the log

    response = client.post(
        reverse("research:analysis", args=[study.pk]), {"var": "mood", "min_occasions": "3"}
    )
    run = AnalysisRun.objects.get(study=study)
    page = client.get(response["Location"]).content.decode()
    assert run.state == "done", run.error
    assert _check(page) >= 1  # one couple: the pooled model may refuse; the per-couple one fits
