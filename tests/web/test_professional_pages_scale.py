"""A professional's pages, and a couple's pages that list its professionals, read the database as
often for three as for one.

A therapist sees many couples; a couple may see more than one professional. Each page is counted
with one client couple (or one professional) and again with three, built as people build them:
sign-up, pairing, the invitation and both partners' consent through the services, a check-in each
through the form. The counts must not move.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counterpoint.accounts.models import User
from counterpoint.professionals import services
from counterpoint.professionals.models import CareLink, Scope
from tests.factories import make_couple, make_user
from tests.web.checkin_form import checkin_values

pytestmark = pytest.mark.django_db


def _professional(n: int) -> User:
    pro = make_user(f"pro{n}@example.org", f"Pro{n}")
    services.profile_save(
        user=pro, name=f"Pro{n}", practice=f"Practice {n}", contact=f"pro{n}@example.org"
    )
    return pro


def _client_couple(n: int, pro: User) -> tuple[User, User, CareLink]:
    a, b = make_user(f"a{n}@example.org", f"A{n}"), make_user(f"b{n}@example.org", f"B{n}")
    make_couple(a, b)
    for person, mood in ((a, 6), (b, 4)):
        client = Client()
        client.force_login(person)
        today = person.local_today().isoformat()
        assert (
            client.post(reverse("checkins:today"), checkin_values(today, mood)).status_code == 302
        )
    link = _linked(a, b, pro)
    return a, b, link


def _linked(a: User, b: User, pro: User) -> CareLink:
    link = services.link_invite(user=a, email_or_code=pro.email)
    services.grant_save(user=a, link=link, scopes=list(Scope.values))
    services.grant_save(user=b, link=link, scopes=list(Scope.values))
    return link


def _queries(user: User, page: str) -> int:
    client = Client()
    client.force_login(user)
    client.get(page)  # what a session's first page reads once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page)
    assert response.status_code == 200, page
    return len(queries)


def test_a_professionals_pages_read_as_often_for_three_couples_as_for_one() -> None:
    pro = _professional(0)
    _a, _b, link = _client_couple(0, pro)
    pages = [reverse("professionals:home"), reverse("professionals:couple_view", args=[link.pk])]
    one = [_queries(pro, page) for page in pages]
    for n in (1, 2):
        _client_couple(n, pro)
    three = [_queries(pro, page) for page in pages]
    assert three == one, dict(zip(pages, zip(one, three, strict=True), strict=True))


def test_a_couples_page_of_professionals_reads_as_often_for_three_as_for_one() -> None:
    a, b, _link = _client_couple(0, _professional(0))
    # their page of professionals, and the safety centre's list of who sees what
    pages = [reverse("professionals:couple"), reverse("safety:center")]
    one = [_queries(person, page) for person in (a, b) for page in pages]
    for n in (1, 2):
        _linked(a, b, _professional(n))
    three = [_queries(person, page) for person in (a, b) for page in pages]
    assert three == one
