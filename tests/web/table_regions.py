"""Every table sits in a scrolling region named "Table: <its caption>" (a screen reader's list of
regions names it; a keyboard can scroll it), and no two regions on a page share a name (axe:
landmark-unique). For the page tests of pages with tables."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser


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


def check_table_regions(page: str) -> int:
    """Check the page's table regions; how many there are."""
    regions = _Regions()
    regions.feed(html.unescape(page))
    names = regions.names()
    assert len(names) == len(set(names)), names
    for name, caption in regions.tables:
        assert name == f"Table: {caption.strip()}"
    assert page.count("<table") == len(regions.tables), "a table outside a named region"
    return len(regions.tables)
