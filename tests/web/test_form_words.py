"""A text field left empty says the same words in every feature that has no sentence of its own
for it (counterpoint/form_words.py)."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

import tests.web.access_cases.professionals  # noqa: F401  (adds this feature's records to the world)
from counterpoint.form_words import EMPTY
from tests.web.conftest import World


@pytest.mark.parametrize(
    ("who", "url", "data"),
    [
        ("A", "professionals:invite", {"email_or_code": "  "}),
        ("T", "professionals:profile", {"name": "", "practice": "Couples work", "contact": "t@x"}),
        ("C", "research:profile", {"name": "", "institution": "Lab", "contact": "c@x"}),
        ("A", "decisions:new", {"title": "", "submission_key": "k"}),
    ],
)
def test_an_empty_text_field_says_the_same_words_everywhere(
    world: World, who: str, url: str, data: dict[str, str]
) -> None:
    response = world.client_for(who).post(reverse(url), data)
    page = html.unescape(response.content.decode())
    assert str(EMPTY) in page, url
    assert "Please fill this in" not in page and "This field is required" not in page
