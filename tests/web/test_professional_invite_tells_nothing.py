"""Linking a professional says nothing of whether one's partner has a professional account: the
partner's profile is theirs alone (operations/versions.py registers it ``owner_only``), so typing
the partner's email answers the same whether they have one or not (docs/privacy.md)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.professionals.models import CareLink
from counterpoint.professionals.services import profile_save
from tests.factories import make_couple, make_user
from tests.web.kept_pages import normal_page


def _invite(client: Client, value: str) -> tuple[int, str]:
    response = client.post(reverse("professionals:invite"), {"email_or_code": value})
    return response.status_code, normal_page(response.content)


@pytest.mark.django_db
def test_typing_the_partners_email_answers_the_same_whether_or_not_they_are_a_professional() -> (
    None
):
    alex = make_user("alex@example.org", "Alex")
    sam = make_user("sam@example.org", "Sam")
    make_couple(alex, sam)
    client = Client()
    client.force_login(alex)

    before = _invite(client, "Sam@Example.org")
    profile_save(user=sam, name="Dr Sam", practice="A practice", contact="sam@practice.example")
    after = _invite(client, "Sam@Example.org")

    assert before[0] == after[0] == 400
    assert after[1] == before[1], "the answer told Alex that Sam has a professional account"
    assert "can&#x27;t be one of you" in after[1]
    # his own email, too
    assert "can&#x27;t be one of you" in _invite(client, "alex@example.org")[1]
    assert not CareLink.objects.exists()
