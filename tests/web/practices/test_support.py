"""Support requests: asking, answering once, saying how it landed, and nothing leaking."""

from __future__ import annotations

import datetime as dt
import html
import io
import uuid
import zipfile

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from counterpoint.practices.support.models import SupportRequest, SupportResponse
from counterpoint.practices.support.selectors import support_summary
from counterpoint.practices.support.services import (
    support_request_answer,
    support_request_create,
    support_request_land,
)
from tests.web.concurrency import at_once, needs_row_locks
from tests.web.conftest import World


@pytest.fixture(autouse=True)
def _clean_slate(world: World) -> None:
    """Start each test without the rows the access matrix seeds into the shared world."""
    SupportRequest.objects.all().delete()


SECRET = "my-sister-called-about-dad"


def text(response) -> str:
    return html.unescape(response.content.decode())


def ask(w: World, details: str = SECRET) -> SupportRequest:
    item, created = support_request_create(user=w.alice, kind="listening", details=details)
    assert created
    return item


def test_asking_tells_the_partner_without_repeating_the_words(world: World, alice_client) -> None:
    response = alice_client.post(
        reverse("support:new"), {"kind": "listening", "details": SECRET}, follow=True
    )
    assert response.status_code == 200
    item = SupportRequest.objects.get(author=world.alice)
    assert item.visibility == "partner" and item.couple == world.couple
    notice = world.new_notices().get(recipient=world.bob, kind="support_requested")
    assert "Alice" in notice.message and SECRET not in notice.message
    assert notice.link == reverse("support:detail", args=[item.pk])
    assert (
        not world.new_notices().filter(recipient=world.alice, kind__startswith="support").exists()
    )


def test_double_submission_saves_one_request(world: World, alice_client) -> None:
    token = str(uuid.uuid4())
    data = {"kind": "hug", "submission_key": token}
    first = alice_client.post(reverse("support:new"), data)
    second = alice_client.post(reverse("support:new"), data, follow=True)
    assert SupportRequest.objects.filter(author=world.alice).count() == 1
    assert first["Location"] == reverse(
        "support:detail", args=[SupportRequest.objects.get(author=world.alice).pk]
    )
    assert "already sent" in text(second)
    assert world.new_notices().filter(recipient=world.bob, kind="support_requested").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "other", "details": "   "}, "Say a few words"),
        ({"kind": "listening", "details": "x" * 1001}, "at most 1000 characters"),
        ({"kind": "a-pony"}, "one of the choices here"),
        ({}, "Choose what you could use."),
    ],
)
def test_bad_requests_explain_and_save_nothing(world: World, alice_client, data, message) -> None:
    response = alice_client.post(reverse("support:new"), data)
    assert response.status_code == 200
    assert message in text(response)
    assert not SupportRequest.objects.exists()


def test_nobody_to_ask_without_a_partner(world: World) -> None:
    client = world.client_for("T")
    response = client.post(reverse("support:new"), {"kind": "hug"})
    assert "pair with them first" in text(response)
    assert not SupportRequest.objects.exists()


def test_partner_answers_once_and_the_time_is_recorded(world: World, bob_client) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        item = ask(world)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 45, tzinfo=dt.UTC), tick=False):
        url = reverse("support:answer", args=[item.pk])
        data = {"offer": "yes", "message": "Call me at lunch", "when": "12:30"}
        assert bob_client.post(url, data).status_code == 302
        # The same form submitted from a second tab: a clear message, the first answer kept.
        again = bob_client.post(url, {**data, "message": "overwrite"}, follow=True)
    assert "already answered" in text(again)
    answer = SupportResponse.objects.get(request=item)
    assert answer.message == "Call me at lunch" and answer.author == world.bob
    assert answer.response_seconds == 45 * 60
    notice = world.new_notices().get(recipient=world.alice, kind="support_answered")
    assert "lunch" not in notice.message


def test_only_the_current_partner_answers(world: World) -> None:
    item = ask(world)
    for key in ("A", "C", "T"):
        response = world.client_for(key).post(
            reverse("support:answer", args=[item.pk]), {"offer": "yes", "message": "me!"}
        )
        assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        support_request_answer(user=world.alice, support_request=item, offer="yes", message="x")
    with pytest.raises(PermissionDenied):
        support_request_answer(user=world.carol, support_request=item, offer="yes", message="x")
    assert not SupportResponse.objects.exists()


def test_an_empty_answer_is_refused(world: World, bob_client) -> None:
    item = ask(world)
    response = bob_client.post(
        reverse("support:answer", args=[item.pk]), {"offer": "yes", "message": "  "}
    )
    assert "what you can offer" in text(response)
    assert not SupportResponse.objects.exists()


def test_requester_says_how_it_landed_once(world: World, alice_client, bob_client) -> None:
    item = ask(world)
    land_url = reverse("support:land", args=[item.pk])
    early = alice_client.post(land_url, {"landed": "helped"}, follow=True)
    assert "hasn't answered yet" in text(early)
    support_request_answer(user=world.bob, support_request=item, offer="partly", message="Later")
    assert bob_client.post(land_url, {"landed": "did_not_help"}).status_code == 404
    alice_client.post(land_url, {"landed": "helped_a_lot", "note": "Thank you"})
    again = alice_client.post(land_url, {"landed": "did_not_help"}, follow=True)
    assert "already said" in text(again)
    item.refresh_from_db()
    assert item.landed == "helped_a_lot" and item.landed_note == "Thank you"
    assert world.new_notices().filter(recipient=world.bob, kind="support_landed").count() == 1
    with pytest.raises(ValidationError):
        support_request_land(user=world.alice, support_request=item, landed="helped")


def test_responsiveness_summary_counts_for_each_side(world: World) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        first = ask(world)
        second = ask(world, "another")
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        support_request_answer(user=world.bob, support_request=first, offer="yes", message="ok")
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        support_request_answer(user=world.bob, support_request=second, offer="not_now", message="x")
    support_request_land(user=world.alice, support_request=first, landed="helped")
    alice = support_summary(world.alice)
    assert alice["asked"]["requests"] == 2 and alice["asked"]["answered"] == 2
    assert "median_minutes_to_answer" not in alice["asked"]  # Bob's pace is Bob's (issue 10)
    assert alice["asked"]["answered_yes"] == 1 and alice["asked"]["answered_not_now"] == 1
    assert alice["asked"]["landed_well"] == 1
    assert alice["data_counts"] == {"requests": 2, "answers": 2}
    bob = support_summary(world.bob)
    assert bob["offered"]["answers_given"] == 2 and bob["asked"]["requests"] == 0
    assert bob["offered"]["median_minutes_to_answer"] == 120.0  # his own: median of 60 and 180
    assert support_summary(world.carol)["data_counts"] == {"requests": 0, "answers": 0}


def test_insights_json_has_the_section(world: World, alice_client) -> None:
    ask(world)
    data = alice_client.get(reverse("insights:json")).json()
    assert data["sections"]["support_responsiveness"]["data_counts"]["requests"] == 1


def test_export_holds_my_side_only(world: World, bob_client) -> None:
    item = ask(world)
    support_request_answer(user=world.bob, support_request=item, offer="yes", message="BOB-ANSWER")
    raw = bob_client.get(reverse("accounts:export")).content
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        text = "\n".join(
            archive.read(n).decode() for n in archive.namelist() if not n.startswith("photos/")
        )
    assert "BOB-ANSWER" in text and SECRET not in text


def test_after_unpairing_the_partner_sees_nothing(world: World, bob_client) -> None:
    from counterpoint.pairing.services import couple_unpair

    item = ask(world)
    couple_unpair(user=world.alice)
    assert bob_client.get(reverse("support:detail", args=[item.pk])).status_code == 404
    assert SECRET not in bob_client.get(reverse("support:list")).content.decode()
    assert (
        bob_client.post(
            reverse("support:answer", args=[item.pk]), {"offer": "yes", "message": "hi"}
        ).status_code
        == 404
    )


def test_home_card_points_the_partner_to_the_request(world: World, bob_client) -> None:
    item = ask(world)
    page = bob_client.get(reverse("pages:home")).content.decode()
    assert reverse("support:detail", args=[item.pk]) in page
    assert SECRET not in page


def test_home_card_waits_only_until_the_partner_answers(
    world: World, alice_client, bob_client, carol_client
) -> None:
    first, second = ask(world), ask(world, details="and the car")
    card = "Your partner could use you"
    page = text(bob_client.get(reverse("pages:home")))
    assert card in page and "2 requests for support are waiting" in page
    assert card not in text(
        alice_client.get(reverse("pages:home"))
    )  # one's own ask waits for nobody
    assert card not in text(carol_client.get(reverse("pages:home")))  # another couple's: nothing
    support_request_answer(
        user=world.bob, support_request=first, offer="yes", message="Tonight after work"
    )
    page = text(bob_client.get(reverse("pages:home")))
    assert "One request for support is waiting" in page
    assert reverse("support:detail", args=[second.pk]) in page
    support_request_answer(
        user=world.bob, support_request=second, offer="partly", message="A short call"
    )
    assert card not in text(bob_client.get(reverse("pages:home")))


@pytest.mark.django_db(transaction=True)
def test_two_devices_answering_at_once_save_one_answer(world: World) -> None:
    needs_row_locks()
    item = ask(world)

    def answer(words: str):
        return lambda: support_request_answer(
            user=world.bob, support_request=item, offer="yes", message=words
        )

    results = at_once(answer("from the phone"), answer("from the laptop"))
    assert SupportResponse.objects.filter(request=item).count() == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert sum(isinstance(r, SupportResponse) for r in results) == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_request_sent_twice_at_once_is_saved_once(world: World) -> None:
    needs_row_locks()
    token = uuid.uuid4().hex

    def send():
        return support_request_create(
            user=world.alice, kind="hug", details="", submission_key=token
        )

    results = at_once(send, send)
    assert SupportRequest.objects.filter(author=world.alice).count() == 1
    assert sorted(created for _item, created in results) == [False, True]


def test_the_partner_is_asked_for_an_answer_and_told_only_what_they_may_see(
    world: World,
) -> None:
    item = ask(world)
    notice = world.new_notices().get(recipient=world.bob, kind="support_requested")
    assert notice.needs_answer
    support_request_answer(user=world.bob, support_request=item, offer="yes", message="ok")
    assert not world.new_notices().get(recipient=world.alice, kind="support_answered").needs_answer


def test_deleting_an_account_takes_its_requests_and_leaves_the_partners_own(
    world: World,
) -> None:
    from counterpoint.accounts.services import account_delete

    alices = ask(world)
    bobs, _ = support_request_create(user=world.bob, kind="space", details="BOB-OWN")
    support_request_answer(user=world.alice, support_request=bobs, offer="yes", message="sure")
    support_request_answer(user=world.bob, support_request=alices, offer="yes", message="yes")
    account_delete(user=world.alice, remove_couple_items=False)
    assert not SupportRequest.objects.filter(pk=alices.pk).exists()
    assert SupportRequest.objects.get(pk=bobs.pk).details == "BOB-OWN"
    assert not SupportResponse.objects.filter(author__isnull=True).exists()


def test_the_same_request_from_two_tabs_is_sent_once(world: World, alice_client) -> None:
    for _tab in range(2):  # each tab rendered its own form, so each has its own token
        data = {"kind": "listening", "details": "Two tabs", "submission_key": str(uuid.uuid4())}
        response = alice_client.post(reverse("support:new"), data, follow=True)
    assert "already sent" in text(response)
    assert SupportRequest.objects.filter(author=world.alice).count() == 1
