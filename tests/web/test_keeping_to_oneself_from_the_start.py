"""Keeping check-in answers to oneself says the same before and after one's first check-in: the
partner's insights and a professional's overview must not change when someone who shares none of
what they answer checks in (docs/privacy.md)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from counterpoint.accounts.models import User
from counterpoint.checkins.models import SHAREABLE_FIELDS
from counterpoint.checkins.services import checkin_settings_update, checkin_submit
from counterpoint.professionals import services as pro
from counterpoint.professionals.models import CareLink
from tests.factories import make_couple, make_user
from tests.web.kept_pages import normal_page

SHARE_NOTHING = dict.fromkeys(SHAREABLE_FIELDS, False)
_NUMBERS = re.compile(r"\d{6,}")


def _fresh(user: User) -> Client:
    """A new browser: nothing kept from an earlier page."""
    client = Client()
    client.force_login(user)
    return client


def _seen(alex: User, professional: User, link: CareLink) -> list[str]:
    alex_client = _fresh(alex)
    pages = [
        alex_client.get(reverse("insights:page")),
        alex_client.get(reverse("insights:json")),
        _fresh(professional).get(reverse("professionals:couple_view", args=[link.pk])),
    ]
    assert all(page.status_code == 200 for page in pages)
    return [_NUMBERS.sub("#", normal_page(page.content)) for page in pages]


def _linked(alex: User, sam: User, email: str) -> tuple[User, CareLink]:
    professional = make_user(email, "Terry")
    pro.profile_save(user=professional, name="Terry", practice="P", contact="c@example.org")
    link = pro.link_invite(user=alex, email_or_code=email)
    for partner in (alex, sam):
        pro.grant_save(user=partner, link=link, scopes=["checkin_trends", "coregulation"])
    return professional, link


@pytest.mark.parametrize(
    ("sharing", "answers"),
    [
        (SHARE_NOTHING, {"mood": 3, "stress": 8, "energy": 2}),
        # shares mood, but this check-in answers only what Sam keeps
        ({**SHARE_NOTHING, "share_mood": True}, {"stress": 8}),
    ],
)
@pytest.mark.django_db
def test_a_first_check_in_showing_nothing_changes_nothing_for_the_partner_or_professional(
    sharing: dict[str, bool], answers: dict[str, Any]
) -> None:
    alex = make_user("alex@example.org", "Alex")
    sam = make_user("sam@example.org", "Sam")
    make_couple(alex, sam)
    checkin_settings_update(user=sam, values=sharing)
    before_pro, before_link = _linked(alex, sam, "terry1@example.org")
    after_pro, after_link = _linked(alex, sam, "terry2@example.org")
    before = _seen(alex, before_pro, before_link)

    checkin_submit(user=sam, day=timezone.localdate(), values=answers)

    after = _seen(alex, after_pro, after_link)
    assert after[0] == before[0], "Alex's insights page told that Sam checked in"
    assert after[1] == before[1], "Alex's insights JSON told that Sam checked in"
    assert after[2] == before[2], "the professional's overview told that Sam checked in"
