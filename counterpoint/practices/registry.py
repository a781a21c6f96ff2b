"""The practices hub lists each practice; feature apps register theirs from AppConfig.ready()."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PracticeLink:
    url_name: str
    title: str
    summary: str
    order: int = 100


PRACTICE_LINKS: list[PracticeLink] = []


def register_practice(link: PracticeLink) -> None:
    PRACTICE_LINKS.append(link)
    PRACTICE_LINKS.sort(key=lambda item: (item.order, item.title))
