"""Issue 10: who can read the stored data is said plainly — in docs/privacy.md and wherever a
person chooses "Only me" — until the journal can be encrypted with a passphrase of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from tests.web.conftest import World

NOTE = "whoever runs this server"


@pytest.mark.parametrize("url_name", ["journal:new", "goals:new", "moments:new", "timebalance:add"])
def test_the_only_me_choice_says_the_operator_can_read_it(world: World, url_name: str) -> None:
    page = world.client_for("A").get(reverse(url_name)).content.decode()
    assert "Only me" in page
    assert NOTE in page


def test_privacy_doc_says_who_can_read_the_stored_data() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "privacy.md").read_text()
    assert "## Who can read the stored data" in text
    assert "operator" in text and NOTE in text.lower()
