"""Professionals around Alice and Bob, made through the services as people do: one with both
partners' consent, one with Alice's only, one whose consent Bob revoked, one whose consent expired."""

from __future__ import annotations

import datetime as dt

import time_machine

from counterpoint.accounts.models import User
from counterpoint.activity.models import Notice
from counterpoint.professionals import services
from counterpoint.professionals.models import Scope
from tests.factories import make_user
from tests.web.conftest import World

EVERYTHING = list(Scope.values)


def _professional(email: str, name: str) -> User:
    user = make_user(email, name)
    services.profile_save(user=user, name=name, practice=f"{name} Counselling", contact=email)
    return user


def seed_professionals(w: World) -> None:
    already = set(Notice.objects.values_list("pk", flat=True))
    services.profile_save(user=w.terry, name="Terry", practice="Terry Therapy", contact="t@x.org")
    ok = _professional("pro-ok@example.org", "Olive")
    link = services.link_invite(user=w.alice, email_or_code="pro-ok@example.org")
    services.grant_save(user=w.alice, link=link, scopes=EVERYTHING)
    services.grant_save(user=w.bob, link=link, scopes=EVERYTHING)
    w.objects["link_ok"] = link

    one = _professional("pro-one@example.org", "Oscar")
    link = services.link_invite(user=w.alice, email_or_code="pro-one@example.org")
    services.grant_save(user=w.alice, link=link, scopes=EVERYTHING)
    w.objects["link_one"] = link

    rev = _professional("pro-rev@example.org", "Rita")
    link = services.link_invite(user=w.bob, email_or_code="pro-rev@example.org")
    services.grant_save(user=w.alice, link=link, scopes=EVERYTHING)
    services.grant_save(user=w.bob, link=link, scopes=EVERYTHING)
    services.link_end(user=w.bob, link=link)
    w.objects["link_rev"] = link

    exp = _professional("pro-exp@example.org", "Evan")
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(days=91)):
        link = services.link_invite(user=w.alice, email_or_code="pro-exp@example.org")
        services.grant_save(user=w.alice, link=link, scopes=EVERYTHING)
        services.grant_save(user=w.bob, link=link, scopes=EVERYTHING)
    w.objects["link_exp"] = link

    w.objects.update(
        {"person:T_ok": ok, "person:T_one": one, "person:T_rev": rev, "person:T_exp": exp}
    )
    # The shared world is about records and access; these notices are tested in
    # tests/web/test_professionals.py and would otherwise change every feed and badge.
    Notice.objects.exclude(pk__in=already).delete()
