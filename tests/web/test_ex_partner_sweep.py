"""An ex-partner after unpairing: every page either of them can open (each GET case of the access
matrix, the export included) shows nothing of what the other had shared "with my partner".

The access matrix asks while Alice and Bob are together; this asks again once Alice has unpaired.
The words come from every personal record each had shared with the other in the test world (a
journal entry, a check-in note, a reflection, a win, a goal, a boundary, a commitment, a support
request and its answer, …), found from the models rather than listed, so a new kind of record is
swept as soon as the world makes one. A word an outsider (Carol) also meets on that page is the
page's own text (an example in a form's help, an instrument's name), not a leak.
"""

from __future__ import annotations

from django.db.models import CharField, TextField
from django.test import Client
from django.urls import NoReverseMatch, reverse

from counterpoint.accounts.models import User
from counterpoint.pairing.services import couple_unpair
from counterpoint.privacy.access import personal_record_models
from counterpoint.privacy.models import Visibility
from tests.web.access_cases import all_cases
from tests.web.conftest import World
from tests.web.test_access_matrix import body_text


def _shared_words(author: User) -> dict[str, str]:
    """Each free text ``author`` shared with their partner → where it is stored."""
    words: dict[str, str] = {}
    for model in personal_record_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            # words people write: not choices, nor keys naming an instrument or a form's send
            if isinstance(f, CharField | TextField) and not f.choices and not f.name.endswith("key")
        ]
        for row in model._default_manager.filter(author=author, visibility=Visibility.PARTNER):
            for name in fields:
                value = str(getattr(row, name) or "").strip()
                if len(value) >= 12:  # shorter texts ("fine") are found everywhere
                    words[value[:40]] = f"{model._meta.label}.{name} #{row.pk}"
    return words


def test_after_unpairing_neither_meets_what_the_other_had_shared(world: World) -> None:
    shared_by = {"A": _shared_words(world.alice), "B": _shared_words(world.bob)}
    assert len(shared_by["A"]) >= 8 and shared_by["B"], "the world shares too little to sweep"
    couple_unpair(user=world.alice)

    clients = {key: world.client_for(key) for key in ("A", "B", "C")}
    urls = set()
    for case in all_cases():
        if case.method == "get":
            try:
                urls.add(reverse(case.url_name, kwargs=case.kwargs(world)))
            except NoReverseMatch:
                continue
    leaks = []
    for url in sorted(urls):
        outsider = _page(clients["C"], url)
        for viewer, author in (("B", "A"), ("A", "B")):
            page = _page(clients[viewer], url)
            for words, where in shared_by[author].items():
                if words in page and words not in outsider:
                    leaks.append(f"{viewer} sees {where} ({words!r}) on {url}")
    assert not leaks, "\n".join(leaks)


def _page(client: Client, url: str) -> str:
    return body_text(client.get(url))
