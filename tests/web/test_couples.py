"""Inviting, accepting, unpairing, pairing again — and every way an invitation can be wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from counterpoint.activity.models import Notice
from counterpoint.couples import selectors
from counterpoint.couples.models import Couple, Invite, Membership
from counterpoint.pairing.services import PairingError, couple_unpair, invite_accept, invite_create
from tests.factories import make_couple, make_user

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _state() -> tuple[int, int, list[tuple[int | None, bool]]]:
    invites = [
        (i.used_by_id, i.revoked_at is not None)
        for i in Invite.objects.order_by("created_at", "pk")
    ]
    return Couple.objects.count(), Membership.objects.count(), invites


def test_invite_by_code_and_accept() -> None:
    ann, ben = make_user("ann@x.org", "Ann"), make_user("ben@x.org", "Ben")
    _client(ann).post("/couple/invite/")
    code = Invite.objects.get(inviter=ann).code
    response = _client(ben).post("/couple/accept/", {"code": code.lower()})
    assert response.status_code == 302
    assert selectors.partner_of(ann) == ben
    assert selectors.partner_of(ben) == ann
    assert Notice.objects.filter(recipient=ann, kind="paired").exists()


def test_invite_link_works_once() -> None:
    ann, ben, cat = (make_user(f"{n}@x.org", n) for n in ("ann", "ben", "cat"))
    invite = invite_create(inviter=ann)
    assert _client(ben).post(f"/couple/join/{invite.token}/").status_code == 302
    response = _client(cat).post(f"/couple/join/{invite.token}/")
    assert response.status_code == 400
    assert "already been used" in response.content.decode()
    assert selectors.active_couple(cat) is None


def test_anonymous_visitor_with_a_link_learns_who_invited_them_then_signs_up_and_comes_back() -> (
    None
):
    ann = make_user("ann@x.org", "Ann")
    invite = invite_create(inviter=ann)
    response = Client().get(f"/couple/join/{invite.token}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ann invited you to Counterpoint" in page
    assert "one-minute check-in" in page  # what Counterpoint is
    assert "/account/signup/?next=%2Fcouple%2Fjoin%2F" in page
    assert "/account/login/?next=%2Fcouple%2Fjoin%2F" in page
    # Submitting the link without an account still leads to sign-up and back.
    response = Client().post(f"/couple/join/{invite.token}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/signup/?next=%2Fcouple%2Fjoin%2F")


@pytest.mark.parametrize("situation", ["used", "revoked", "expired"])
def test_a_closed_invitation_names_nobody(situation: str, time_machine) -> None:
    ann, ben = make_user("ann@x.org", "Ann"), make_user("ben@x.org", "Ben")
    invite = invite_create(inviter=ann)
    if situation == "used":
        invite_accept(user=ben, code_or_token=invite.code)
    elif situation == "revoked":
        _client(ann).post("/couple/invite/withdraw/")
    else:
        time_machine.move_to(timezone.now() + dt.timedelta(hours=73))
    response = Client().get(f"/couple/join/{invite.token}/")
    assert response.status_code == 404
    assert "Ann" not in response.content.decode()


def test_inviting_and_entering_a_code_are_labelled_apart_and_copy_share_are_offered() -> None:
    ann = make_user("ann@x.org", "Ann")
    page = _client(ann).get("/couple/").content.decode()
    assert "Create an invitation" in page and "Join with this code" in page
    assert "Pair with my partner" not in page
    _client(ann).post("/couple/invite/")
    page = _client(ann).get("/couple/").content.decode()
    code = Invite.objects.get(inviter=ann).code
    assert f'data-copy="{code}"' in page
    assert "data-share-url=" in page and "js/share.js" in page


def test_after_pairing_home_guides_to_the_first_steps_not_to_unpairing() -> None:
    ann, ben = make_user("ann@x.org", "Ann"), make_user("ben@x.org", "Ben")
    invite = invite_create(inviter=ann)
    response = _client(ben).post(f"/couple/join/{invite.token}/")
    assert response["Location"] == "/home/"
    page = _client(ben).get("/home/").content.decode()
    assert "Getting started with Ann" in page
    for step in ("Check in now", "See today's question", "Start the map"):
        assert step in page.replace("&#x27;", "'")
    couple_page = _client(ben).get("/couple/").content.decode()
    assert "Things to do together" in couple_page
    # Unpairing is still there, folded away below the things to do.
    assert couple_page.index("Things to do together") < couple_page.index("Unpair…")


@pytest.mark.parametrize(
    ("situation", "message"),
    [
        ("expired", "has expired"),
        ("used", "already been used"),
        ("revoked", "was withdrawn"),
        ("unknown", "doesn&#x27;t exist"),
        ("own", "your own invitation"),
        ("accepter_paired", "already paired"),
        # Pairing (as people do it) withdraws the inviter's other open invitations.
        ("inviter_paired", "withdrawn"),
    ],
)
def test_bad_invitations_are_refused_clearly_and_change_nothing(
    situation: str, message: str, time_machine
) -> None:
    ann, ben = make_user("ann@x.org", "Ann"), make_user("ben@x.org", "Ben")
    invite = invite_create(inviter=ann)
    code, who = invite.code, ben
    if situation == "expired":
        time_machine.move_to(timezone.now() + dt.timedelta(hours=73))
    elif situation == "used":
        invite_accept(user=make_user("cat@x.org", "Cat"), code_or_token=code)
    elif situation == "revoked":
        _client(ann).post("/couple/invite/withdraw/")
    elif situation == "unknown":
        code = "ZZZZ2222"
    elif situation == "own":
        who = ann
    elif situation == "accepter_paired":
        make_couple(ben, make_user("dee@x.org", "Dee"))
    elif situation == "inviter_paired":
        make_couple(ann, make_user("dee@x.org", "Dee"))
    before = _state()
    response = _client(who).post("/couple/accept/", {"code": code})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state() == before


def test_a_paired_person_cannot_create_an_invitation() -> None:
    ann, ben = make_user("ann@x.org", "Ann"), make_user("ben@x.org", "Ben")
    make_couple(ann, ben)
    before = Invite.objects.count()
    with pytest.raises(PairingError):
        invite_create(inviter=ann)
    response = _client(ann).post("/couple/invite/", follow=True)
    assert "already paired" in response.content.decode()
    assert Invite.objects.count() == before


def test_a_new_invitation_revokes_the_old_one() -> None:
    ann = make_user("ann@x.org", "Ann")
    first = invite_create(inviter=ann)
    second = invite_create(inviter=ann)
    first.refresh_from_db()
    assert first.revoked_at is not None and second.is_open


def test_unpair_needs_confirmation_then_happens_at_once_and_tells_the_partner() -> None:
    ann, ben = make_user("ann@x.org", "Ann"), make_user("ben@x.org", "Ben")
    couple = make_couple(ann, ben)
    response = _client(ben).post("/couple/unpair/", {})
    assert response.status_code == 200
    assert "Tick the box" in response.content.decode()
    assert selectors.active_couple(ann) == couple
    _client(ben).post("/couple/unpair/", {"confirm": "on"})
    couple.refresh_from_db()
    assert couple.ended_at is not None
    assert selectors.partner_of(ann) is None
    assert Notice.objects.filter(recipient=ann, kind="unpaired").exists()


def test_people_can_pair_again_after_unpairing() -> None:
    ann, ben, cat = (make_user(f"{n}@x.org", n) for n in ("ann", "ben", "cat"))
    make_couple(ann, ben)
    couple_unpair(user=ann)
    invite = invite_create(inviter=ann)
    invite_accept(user=cat, code_or_token=invite.code)
    assert selectors.partner_of(ann) == cat
    assert selectors.couples_ever(ann).count() == 2


def test_two_people_cannot_both_take_one_invitation_even_racing() -> None:
    """The database refuses a second active couple for one person, whatever the code path."""
    from django.db import IntegrityError, transaction

    ann, ben = make_user("ann@x.org", "Ann"), make_user("ben@x.org", "Ben")
    make_couple(ann, ben)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(couple=Couple.objects.create(), user=ann)
