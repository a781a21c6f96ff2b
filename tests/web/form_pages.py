"""Reading a form back off a page, as a browser would send it."""

from __future__ import annotations

import html
import io
import json
import zipfile
from html.parser import HTMLParser
from typing import Any

from django.test import Client
from django.urls import reverse


class _Fields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            elif kind not in ("submit", "button"):
                self.values[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            text = self.values[self._textarea] + data
            self.values[self._textarea] = text.removeprefix("\n")


def form_values(page: str) -> dict[str, str]:
    """Every field a browser would send from the page's forms (the last one wins on a repeat)."""
    parser = _Fields()
    parser.feed(page)
    values = parser.values
    values.pop("csrfmiddlewaretoken", None)
    return values


def page_text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def _export_zip(client: Client) -> zipfile.ZipFile:
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200
    streamed = getattr(response, "streaming_content", None)
    raw = b"".join(streamed) if streamed is not None else response.content
    return zipfile.ZipFile(io.BytesIO(raw))


def export_files(client: Client) -> dict[str, Any]:
    """The person's export, each JSON file by its name without ``.json``."""
    with _export_zip(client) as archive:
        return {
            name.removesuffix(".json"): json.loads(archive.read(name))
            for name in archive.namelist()
            if name.endswith(".json") and "/" not in name
        }


def export_text(user: Any) -> str:
    """Everything ``user``'s export says in its JSON and CSV files, as one text (downloaded in a
    fresh browser signed in as them), to search for what it must not name."""
    client = Client()
    client.force_login(user)
    with _export_zip(client) as archive:
        return "\n".join(
            archive.read(name).decode()
            for name in archive.namelist()
            if name.endswith((".json", ".csv"))
        )
