"""Professionals with both partners' consent: intersection of grants, expiry, revocation, the
access log, notes, export, account deletion, and nothing private ever reaching them."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import zipfile

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

import tests.web.access_cases.professionals  # noqa: F401  (adds this feature's records to the world)
from counterpoint.accounts.models import User
from counterpoint.accounts.services import account_delete
from counterpoint.checkins.services import checkin_submit
from counterpoint.demo import DemoCouple
from counterpoint.professionals import selectors, services
from counterpoint.professionals.models import (
    AccessLogEntry,
    CareLink,
    ProfessionalNote,
    Scope,
    SessionTopic,
)
from counterpoint.safety.selectors import who_sees_what
from counterpoint.safety.services import professional_access_revoke
from tests.factories import make_user
from tests.web.conftest import ALICE_PRIVATE_MARKER, BOB_PRIVATE_MARKER, World
from tests.web.table_regions import check_table_regions


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _overview(w: World, who: str = "T_ok", link: str = "link_ok"):
    return w.client_for(who).get(reverse("professionals:couple_view", args=[w.objects[link].pk]))


def test_being_a_professional_grants_nothing(world: World) -> None:
    stranger = make_user("pro-new@example.org", "Nadia")
    services.profile_save(user=stranger, name="Nadia", practice="N", contact="n@x.org")
    client = _client(stranger)
    for name in ("link_ok", "link_one", "link_rev", "link_exp"):
        url = reverse("professionals:couple_view", args=[world.objects[name].pk])
        assert client.get(url).status_code == 404
    assert "Alice" not in client.get(reverse("professionals:home")).content.decode()


def test_access_starts_only_when_both_granted_and_covers_what_both_chose(world: World) -> None:
    pro = make_user("pro-x@example.org", "Xena")
    services.profile_save(user=pro, name="Xena", practice="X", contact="x@x.org")
    alice, bob = world.client_for("A"), world.client_for("B")
    response = alice.post(reverse("professionals:invite"), {"email_or_code": "PRO-X@example.org"})
    assert response.status_code == 302
    link = CareLink.objects.get(professional=pro)
    url = reverse("professionals:couple_view", args=[link.pk])
    grant = reverse("professionals:grant", args=[link.pk])
    assert _client(pro).get(url).status_code == 404
    alice.post(grant, {"scopes": ["checkin_trends", "map", "practice_counts"]})
    assert _client(pro).get(url).status_code == 404  # one partner is not enough
    bob.post(grant, {"scopes": ["map", "coregulation", "practice_counts"]})
    state = selectors.link_state(link)
    assert state.active and state.scopes == ["map", "practice_counts"]  # the intersection
    page = _client(pro).get(url).content.decode()
    assert "Interdependence map" in page and "Practices since" in page
    assert "Check-in trends" not in page and "moods and stress move together" not in page


def test_the_professional_can_be_found_by_code(world: World) -> None:
    pro = make_user("pro-code@example.org", "Cody")
    profile = services.profile_save(user=pro, name="Cody", practice="C", contact="c@x.org")
    response = world.client_for("A").post(
        reverse("professionals:invite"), {"email_or_code": profile.code.lower()}
    )
    assert response.status_code == 302
    assert CareLink.objects.filter(professional=pro, couple=world.couple).exists()


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "can&#x27;t be empty"),
        ("nobody@example.org", "No professional account"),
        # one of the two of them, whether or not they have a professional account
        ("alice@example.org", "can&#x27;t be one of you"),
        ("bob@example.org", "can&#x27;t be one of you"),
    ],
)
def test_bad_invitations_are_refused_clearly(world: World, value: str, message: str) -> None:
    before = CareLink.objects.count()
    response = world.client_for("A").post(reverse("professionals:invite"), {"email_or_code": value})
    assert response.status_code == 400 and message in response.content.decode()
    assert CareLink.objects.count() == before


def test_an_empty_grant_is_refused_and_changes_nothing(world: World) -> None:
    link = world.objects["link_ok"]
    response = world.client_for("A").post(reverse("professionals:grant", args=[link.pk]), {})
    assert response.status_code == 400
    assert "Choose at least one" in response.content.decode()
    assert selectors.link_state(link).active


def test_either_partner_revokes_at_once_and_the_next_request_is_a_404(world: World) -> None:
    assert _overview(world).status_code == 200
    link = world.objects["link_ok"]
    world.client_for("B").post(reverse("professionals:end", args=[link.pk]))
    assert _overview(world).status_code == 404
    assert (
        world.client_for("T_ok")
        .post(reverse("professionals:note", args=[link.pk]), {"text": "hello"})
        .status_code
        == 404
    )


def test_grants_expire_after_ninety_days_unless_both_renew(world: World) -> None:
    link = world.objects["link_ok"]
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=89)):
        assert _overview(world).status_code == 200
        services.grant_save(user=world.alice, link=link, scopes=["map"])  # Alice renews
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=91)):
        assert _overview(world).status_code == 404  # Bob did not
        services.grant_save(user=world.bob, link=link, scopes=["map", "checkin_trends"])
        assert _overview(world).status_code == 200
        assert selectors.link_state(link).scopes == ["map"]


def test_every_view_is_logged_and_shown_to_both_partners_as_a_date(world: World) -> None:
    before = AccessLogEntry.objects.count()
    with time_machine.travel(dt.datetime(2026, 3, 3, 14, 27, tzinfo=dt.UTC)):
        link = world.objects["link_ok"]
        services.grant_save(user=world.alice, link=link, scopes=["map"])
        services.grant_save(user=world.bob, link=link, scopes=["map"])
        assert _overview(world).status_code == 200
        for who in ("A", "B"):
            page = world.client_for(who).get(reverse("professionals:couple")).content.decode()
            assert "Olive viewed your overview on 3 March 2026" in page
            assert "14:27" not in page
    entry = AccessLogEntry.objects.latest("viewed_at")
    assert AccessLogEntry.objects.count() == before + 1 and entry.scopes == ["map"]
    assert (
        "Olive viewed"
        not in world.client_for("C").get(reverse("professionals:couple")).content.decode()
    )


def test_the_first_look_says_whose_summaries_these_are_and_who_agreed(world: World) -> None:
    link = world.objects["link_ok"]
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)):
        services.grant_save(user=world.alice, link=link, scopes=["map"])
    with time_machine.travel(dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC)):
        services.grant_save(user=world.bob, link=link, scopes=["map"])
        page = html.unescape(_overview(world).content.decode())
        again = html.unescape(_overview(world).content.decode())
    assert "<h1>What Alice and Bob share with you</h1>" in page
    assert "<title>What Alice and Bob share with you · Counterpoint</title>" in page
    assert "Alice agreed on 3 March 2026." in page and "Bob agreed on 4 March 2026." in page
    assert "This is your first look." in page
    assert "Since you last looked, on 4 March 2026." in again


def test_the_note_reaches_both_partners(world: World) -> None:
    link = world.objects["link_ok"]
    response = world.client_for("T_ok").post(
        reverse("professionals:note", args=[link.pk]), {"text": "Try the repair steps once"}
    )
    assert response.status_code == 302
    assert ProfessionalNote.objects.filter(link=link).count() == 1
    for who in ("A", "B"):
        assert (
            "Try the repair steps once"
            in world.client_for(who).get(reverse("professionals:couple")).content.decode()
        )
    assert (
        world.client_for("T_ok")
        .post(reverse("professionals:note", args=[link.pk]), {"text": ""})
        .status_code
        == 400
    )


def test_private_values_never_reach_a_professional_not_even_in_an_average(world: World) -> None:
    """Alice keeps her mood private; her mood never shapes what the professional sees."""
    from counterpoint.checkins.models import CheckInSettings

    CheckInSettings.objects.update_or_create(user=world.alice, defaults={"share_mood": False})
    now = dt.datetime.now(dt.UTC)
    for offset, mood in enumerate([1, 9, 2, 8, 3, 7, 1, 9, 2, 8]):
        with time_machine.travel(now - dt.timedelta(days=offset), tick=False):
            for person in (world.alice, world.bob):
                checkin_submit(
                    user=person,
                    day=person.local_today(),
                    values={"mood": mood, "stress": 5, "closeness": 6},
                )
    today = world.alice.local_today()
    page = _overview(world).content.decode()
    trends = selectors.link_state(world.objects["link_ok"])
    from counterpoint.professionals import aggregates

    data = aggregates.checkin_trends(trends, today=today)
    alice_row = next(p for p in data["people"] if p["name"] == "Alice")
    bob_row = next(p for p in data["people"] if p["name"] == "Bob")
    assert "mood" not in alice_row["series"] and "mood" in bob_row["series"]
    assert aggregates.coregulation(trends)["mood"] == {"status": "not_shared"}
    assert ALICE_PRIVATE_MARKER not in page and BOB_PRIVATE_MARKER not in page


def test_emergency_reset_ends_every_professionals_access(world: World) -> None:
    assert _overview(world).status_code == 200
    professional_access_revoke(user=world.bob)
    assert _overview(world).status_code == 404


def test_each_partners_export_holds_their_grants_and_the_access_log(world: World) -> None:
    _overview(world)
    response = world.client_for("A").get(reverse("accounts:export"))
    raw = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        grants = json.loads(archive.read("professional_grants.json"))
        log = json.loads(archive.read("professional_access_log.json"))
    assert {g["partner"] for g in grants} == {world.alice.pk}
    assert len(grants) == 4  # Olive, Oscar, Rita, Evan
    assert any(row["link"] == world.objects["link_ok"].pk for row in log)


def test_deleting_an_account_ends_its_access_on_either_side(world: World) -> None:
    assert _overview(world).status_code == 200
    account_delete(user=world.bob, remove_couple_items=False)
    assert _overview(world).status_code == 404
    assert CareLink.objects.get(pk=world.objects["link_ok"].pk).ended_at is not None


def test_a_professional_deleting_their_account_ends_their_links(world: World) -> None:
    link = world.objects["link_ok"]
    account_delete(user=world.objects["person:T_ok"], remove_couple_items=False)
    link.refresh_from_db()
    assert link.ended_at is not None and link.professional is None
    page = world.client_for("A").get(reverse("professionals:couple")).content.decode()
    assert "Olive" not in page or "A former professional" in page


def test_what_a_partner_brings_reaches_the_other_and_the_professional(world: World) -> None:
    link = world.objects["link_ok"]
    alice = world.client_for("A")
    # the page where it is written says, before it is written, that the professional reads it
    told = " ".join(alice.get(reverse("professionals:couple")).content.decode().split())
    assert "whatever either of you adds below to bring to your next session" in told
    url = reverse("professionals:bring", args=[link.pk])
    assert alice.post(url, {"text": ""}).status_code == 400
    assert alice.post(url, {"text": "Sundays feel tense"}).status_code == 302
    assert (
        "Sundays feel tense"
        in world.client_for("B").get(reverse("professionals:couple")).content.decode()
    )
    assert "Sundays feel tense" in _overview(world).content.decode()
    assert (
        "Sundays feel tense"
        not in world.client_for("C").get(reverse("professionals:couple")).content.decode()
    )
    assert (
        world.client_for("T_one")
        .get(reverse("professionals:couple_view", args=[world.objects["link_one"].pk]))
        .status_code
        == 404
    )


def test_weekly_trends_carry_their_uncertainty(world: World) -> None:
    from counterpoint.professionals import aggregates

    now = dt.datetime(2026, 6, 10, 12, tzinfo=dt.UTC)  # a Wednesday
    moods = {0: 7, 1: 5}  # Wednesday and Tuesday of the same week
    for offset, mood in moods.items():
        with time_machine.travel(now - dt.timedelta(days=offset), tick=False):
            checkin_submit(user=world.bob, day=world.bob.local_today(), values={"mood": mood})
    with time_machine.travel(now, tick=False):
        state = selectors.link_state(world.objects["link_ok"])
        data = aggregates.checkin_trends(state, today=world.alice.local_today())
    bob = next(p for p in data["people"] if p["name"] == "Bob")
    values = [7.0, 5.0]
    mean = sum(values) / 2
    sd = (sum((v - mean) ** 2 for v in values) / 1) ** 0.5
    from counterpoint.science.numerics import Z95

    assert bob["series"]["mood"][-1] == round(mean, 1)
    assert bob["ranges"]["mood"][-1] == round(Z95 * sd / 2**0.5, 1)
    assert (
        bob["table"][-1]["cells"][bob["columns"].index("mood")]
        == f"{mean:.1f} ± {Z95 * sd / 2**0.5:.1f}"
    )


def test_who_sees_what_lists_each_professional_and_what_they_can_see(world: World) -> None:
    """Issue 10 (safety center): the who-sees-what page also names every professional linked to
    the couple and what each can see now."""
    rows = {p.name: p for p in who_sees_what(world.alice).professionals}
    assert set(rows) == {"Olive", "Oscar", "Evan"}  # Rita's link was ended
    olive = selectors.link_state(world.objects["link_ok"])
    assert rows["Olive"].active and rows["Olive"].sees == olive.scope_labels
    assert not rows["Oscar"].active and rows["Oscar"].sees == []  # Bob hasn't chosen
    assert not rows["Evan"].active and rows["Evan"].sees == []  # both choices ran out
    assert rows["Oscar"].you_allowed == olive.scope_labels  # Alice chose everything for both

    page = world.client_for("A").get(reverse("safety:center")).content.decode()
    blocks = dict(re.findall(r"<strong>(\w+)</strong>(.*?)</div>", page, flags=re.S))
    assert set(blocks) == {"Olive", "Oscar", "Evan"}
    assert "Can see now" in blocks["Olive"]
    for label in olive.scope_labels:
        assert escape(label) in blocks["Olive"]
    for name in ("Oscar", "Evan"):
        assert "Sees nothing now" in blocks[name] and "Can see now" not in blocks[name]
    assert "Rita" not in page


def test_the_emergency_reset_form_ends_every_professionals_access(world: World) -> None:
    assert _overview(world).status_code == 200
    world.alice.set_password("an-old-long-passphrase")
    world.alice.save()
    alice = Client()
    alice.force_login(world.alice)  # a sign-in counts as a fresh confirmation
    new = "a-brand-new-passphrase-42"
    response = alice.post(
        reverse("safety:emergency_reset"), {"new_password1": new, "new_password2": new}
    )
    assert response["Location"] == reverse("safety:emergency_reset_done")
    assert _overview(world).status_code == 404
    assert not CareLink.objects.filter(
        pk=world.objects["link_ok"].pk, ended_at__isnull=True
    ).exists()
    assert who_sees_what(world.alice).professionals == []


def _bring(w: World, who: str, text: str) -> None:
    url = reverse("professionals:bring", args=[w.objects["link_ok"].pk])
    assert w.client_for(who).post(url, {"text": text}).status_code == 302


def test_each_partners_export_holds_what_they_brought_and_not_the_others(world: World) -> None:
    _bring(world, "A", "Alice brings: Sundays feel tense")
    _bring(world, "B", "Bob brings: the in-laws")
    response = world.client_for("A").get(reverse("accounts:export"))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        topics = json.loads(archive.read("session_topics.json"))
    assert [(t["author"], t["link"], t["text"]) for t in topics] == [
        (world.alice.pk, world.objects["link_ok"].pk, "Alice brings: Sundays feel tense")
    ]


@pytest.mark.parametrize("remove_couple_items", [False, True])
def test_what_a_partner_brought_goes_with_their_account(
    world: World, remove_couple_items: bool
) -> None:
    """A topic is written for the professional, like a record shared with the partner: it is its
    author's alone and goes with the account, whatever the person chose for co-owned items."""
    _bring(world, "A", "Alice brings: Sundays feel tense")
    _bring(world, "B", "Bob brings: the in-laws")
    account_delete(user=world.alice, remove_couple_items=remove_couple_items)
    assert list(SessionTopic.objects.values_list("text", flat=True)) == ["Bob brings: the in-laws"]
    assert SessionTopic.objects.get().author == world.bob


def test_a_professionals_export_holds_their_profile_and_the_notes_they_left(world: World) -> None:
    link = world.objects["link_ok"]
    olive = world.client_for("T_ok")
    note = {"text": "Try the repair steps once"}
    assert olive.post(reverse("professionals:note", args=[link.pk]), note).status_code == 302
    sections = {}
    for who in ("T_ok", "A"):
        with zipfile.ZipFile(
            io.BytesIO(world.client_for(who).get(reverse("accounts:export")).content)
        ) as archive:
            sections[who] = {
                name: json.loads(archive.read(f"{name}.json"))
                for name in ("professional_profile", "professional_notes")
            }
    assert [(n["link"], n["text"]) for n in sections["T_ok"]["professional_notes"]] == [
        (link.pk, "Try the repair steps once")
    ]
    assert [p["name"] for p in sections["T_ok"]["professional_profile"]] == ["Olive"]
    # the couple reads the note on their page; it is the professional's to export, not theirs
    assert sections["A"] == {"professional_profile": [], "professional_notes": []}


def test_the_numbers_a_professional_reads_are_counted_in_words(demo: DemoCouple) -> None:
    """ "Based on 1 pairs" never: counts go through Django's plural forms."""
    olive = make_user("olive@example.org", "Olive")
    services.profile_save(user=olive, name="Olive", practice="Olive Counselling", contact="o@x.org")
    link = services.link_invite(user=demo.alex, email_or_code="olive@example.org")
    for partner in (demo.alex, demo.sam):
        services.grant_save(user=partner, link=link, scopes=["coregulation"])
    client = Client()
    client.force_login(olive)
    page = client.get(reverse("professionals:couple_view", args=[link.pk])).content.decode()
    counts = [int(n) for n in re.findall(r"Based on (\d+) pairs of consecutive days\.", page)]
    assert counts and all(n > 1 for n in counts)
    assert not re.search(r"Based on 1 pairs|Based on \d+ pair of", page)


def test_the_professionals_tables_are_named_regions(demo: DemoCouple) -> None:
    """Each table on a couple's page for their professional (trends per partner, the practices'
    counts) is a region a screen reader names, "Table: <its caption>", that a keyboard can scroll."""
    olive = make_user("olive@example.org", "Olive")
    services.profile_save(user=olive, name="Olive", practice="Olive Counselling", contact="o@x.org")
    link = services.link_invite(user=demo.alex, email_or_code="olive@example.org")
    for partner in (demo.alex, demo.sam):
        services.grant_save(user=partner, link=link, scopes=list(Scope.values))
    client = Client()
    client.force_login(olive)
    page = client.get(reverse("professionals:couple_view", args=[link.pk])).content.decode()
    assert check_table_regions(page) == 3  # Alex's and Sam's weekly averages; the counts
    assert 'aria-label="Table: Weekly averages for Alex"' in page
    assert "Table: How often each practice was used since your last look" in page
    assert page.count('tabindex="0" role="region"') == 3
