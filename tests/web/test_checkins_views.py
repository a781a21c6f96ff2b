"""Check-in pages over HTTP: saving, bad input (clear message, nothing saved), what the partner sees."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from counterpoint.checkins import services
from counterpoint.checkins.forms import offline_queue_owner
from counterpoint.checkins.models import CheckIn, CheckInSettings, QuestionAnswer, WeeklyReflection
from tests.web.access_cases import checkins as _seeds  # noqa: F401  (adds check-ins to the world)
from tests.web.access_cases.checkins import CHECKIN
from tests.web.conftest import ALICE_PRIVATE_MARKER, World

pytestmark = pytest.mark.django_db


def _post(world: World, who: str, **changes: object):
    data = {"day": world.alice.local_today().isoformat(), **CHECKIN, **changes}
    data.pop("gave_support")
    return world.client_for(who).post(reverse("checkins:today"), data)


def test_it_saves_and_edits(world: World) -> None:
    CheckIn.objects.filter(author=world.alice).delete()
    assert _post(world, "A", mood=8).status_code == 302
    assert _post(world, "A", mood=3, note="changed").status_code == 302
    rows = CheckIn.objects.filter(author=world.alice)
    assert [(r.mood, r.note) for r in rows] == [(3, "changed")]


def test_the_same_form_sent_again_changes_nothing(world: World) -> None:
    """An offline queue replaying (or a double tap) sends the same submission key again: the
    check-in is saved once, and a replay after a newer edit does not undo that edit."""
    CheckIn.objects.filter(author=world.alice).delete()
    page = world.client_for("A").get(reverse("checkins:today") + "?edit=1").content.decode()
    key = re.search(r'name="submission_key" value="([0-9a-f]+)"', page)
    assert key is not None
    assert _post(world, "A", mood=8, submission_key=key.group(1)).status_code == 302
    assert _post(world, "A", mood=3, submission_key="a-newer-form").status_code == 302
    assert _post(world, "A", mood=8, submission_key=key.group(1)).status_code == 302  # replay
    assert [r.mood for r in CheckIn.objects.filter(author=world.alice)] == [3]


def test_an_older_offline_edit_never_overwrites_a_newer_one(world: World) -> None:
    """A phone saves a check-in offline at 09:00; at 12:00 the person edits it on a computer; at
    13:00 the phone is back online and its queue sends the 09:00 copy (with how long ago it was
    written). The server keeps the 12:00 edit and answers 409; a copy written after the last save
    is applied as usual."""
    CheckIn.objects.filter(author=world.alice).delete()
    zone = world.alice.tzinfo
    day = world.alice.local_today()
    nine, noon, one = (dt.datetime.combine(day, dt.time(h), tzinfo=zone) for h in (9, 12, 13))
    with time_machine.travel(noon, tick=False):
        assert _post(world, "A", mood=7, note="from the computer").status_code == 302
    hours_ago = int((one - nine).total_seconds() * 1000)
    queued = {"queued_for": offline_queue_owner(world.alice)}  # the queue marks whose it is
    with time_machine.travel(one, tick=False):
        refused = _post(
            world, "A", mood=2, note="from the phone", edited_ms_ago=hours_ago, **queued
        )
    assert refused.status_code == 409
    assert "saved since" in refused.content.decode()
    assert [(c.mood, c.note) for c in CheckIn.objects.filter(author=world.alice)] == [
        (7, "from the computer")
    ]
    # written on the phone at 12:30, after the computer's save: applied
    with time_machine.travel(one, tick=False):
        later = _post(
            world, "A", mood=4, note="later on the phone", edited_ms_ago=30 * 60 * 1000, **queued
        )
    assert later.status_code == 302
    assert [(c.mood, c.note) for c in CheckIn.objects.filter(author=world.alice)] == [
        (4, "later on the phone")
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mood": 11}, "from 0 to 10"),
        ({"stress": -2}, "from 0 to 10"),
        ({"closeness": 8}, "one of the seven"),
        ({"me_minutes": -15}, "can&#x27;t be negative"),
        ({"we_minutes": 5000}, "at most 1440"),
        ({"mood": "lots"}, "from 0 to 10"),
        ({"day": "2099-01-01"}, "hasn&#x27;t happened yet"),
        ({"day": "2020-01-01"}, "today or yesterday"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(
    world: World,
    changes: dict,
    message: str,
) -> None:
    CheckIn.objects.filter(author=world.alice).delete()
    response = _post(world, "A", **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CheckIn.objects.filter(author=world.alice).exists()


def _today_question(world: World, who: str):
    person = {"A": world.alice, "B": world.bob}[who]
    return services.daily_question_get(user=person)


def test_an_untouched_check_in_saves_nothing_and_says_so(world: World) -> None:
    CheckIn.objects.filter(author=world.alice).delete()
    client = world.client_for("A")
    response = client.post(
        reverse("checkins:today"), {"day": world.alice.local_today().isoformat()}
    )
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not CheckIn.objects.filter(author=world.alice).exists()


def test_a_page_that_was_never_touched_shows_no_chosen_value(world: World) -> None:
    CheckIn.objects.filter(author=world.alice).delete()
    page = world.client_for("A").get(reverse("checkins:today")).content.decode()
    for name in ("mood", "stress", "energy", "closeness"):
        assert f'id="{name}-skip" value="" checked' in page
    assert 'name="sought_support" id="sought_support-skip" value="" checked' in page
    assert (
        len(re.findall(r"<input[^>]* checked", page)) == 5
    )  # the five "not answered" choices, nothing else


def test_one_answered_scale_saves_only_that_scale(world: World) -> None:
    CheckIn.objects.filter(author=world.alice).delete()
    day = world.alice.local_today().isoformat()
    response = world.client_for("A").post(
        reverse("checkins:today"), {"day": day, "stress": "3", "mood": ""}
    )
    assert response.status_code == 302
    row = CheckIn.objects.get(author=world.alice)
    assert (row.stress, row.mood, row.energy, row.closeness) == (3, None, None, None)
    assert (row.sought_support, row.me_minutes, row.we_minutes) == ("", None, None)


def test_answer_and_check_in_save_together(world: World) -> None:
    CheckIn.objects.filter(author=world.bob).delete()
    daily = _today_question(world, "B")
    QuestionAnswer.objects.filter(question=daily).delete()
    response = world.client_for("B").post(
        reverse("checkins:today"),
        {"day": world.bob.local_today().isoformat(), "mood": "7", "answer": "Bob's words"},
    )
    assert response.status_code == 302
    assert CheckIn.objects.get(author=world.bob, day=world.bob.local_today()).mood == 7
    assert QuestionAnswer.objects.get(question=daily, author=world.bob).text == "Bob's words"


def test_an_answer_alone_saves_no_check_in(world: World) -> None:
    CheckIn.objects.filter(author=world.bob).delete()
    daily = _today_question(world, "B")
    QuestionAnswer.objects.filter(question=daily).delete()
    response = world.client_for("B").post(
        reverse("checkins:today"),
        {"day": world.bob.local_today().isoformat(), "answer": "only words"},
    )
    assert response.status_code == 302
    assert not CheckIn.objects.filter(author=world.bob).exists()
    assert QuestionAnswer.objects.get(question=daily, author=world.bob).text == "only words"


def test_a_refused_check_in_keeps_the_typed_answer_and_saves_neither(world: World) -> None:
    CheckIn.objects.filter(author=world.bob).delete()
    daily = _today_question(world, "B")
    QuestionAnswer.objects.filter(question=daily).delete()
    response = world.client_for("B").post(
        reverse("checkins:today"),
        {"day": world.bob.local_today().isoformat(), "me_minutes": "5000", "answer": "KEEP-ME"},
    )
    assert response.status_code == 400
    assert "KEEP-ME" in response.content.decode()
    assert not QuestionAnswer.objects.filter(question=daily, author=world.bob).exists()
    assert not CheckIn.objects.filter(author=world.bob).exists()


def test_skipping_the_question_still_saves_the_check_in(world: World) -> None:
    CheckIn.objects.filter(author=world.bob).delete()
    daily = _today_question(world, "B")
    QuestionAnswer.objects.filter(question=daily).delete()
    response = world.client_for("B").post(
        reverse("checkins:today"),
        {"day": world.bob.local_today().isoformat(), "stress": "6", "skip_question": "1"},
    )
    assert response.status_code == 302
    assert CheckIn.objects.get(author=world.bob).stress == 6
    assert QuestionAnswer.objects.get(question=daily, author=world.bob).skipped


def test_save_is_the_first_submit_button_so_enter_saves_rather_than_skips(world: World) -> None:
    """Enter in a field submits with the form's first submit button: that must be Save."""
    CheckIn.objects.filter(author=world.bob).delete()
    daily = _today_question(world, "B")
    QuestionAnswer.objects.filter(question=daily).delete()
    page = world.client_for("B").get(reverse("checkins:today")).content.decode()
    start = page.rindex("<form", 0, page.index("data-offline-queue"))  # the check-in form
    form = page[start : page.index("</form>", start)]
    buttons = re.findall(r"<button[^>]*>[^<]*</button>", form)
    submits = [b for b in buttons if 'type="button"' not in b]
    assert "Save check-in and answer" in submits[0]
    assert any('name="skip_question"' in b for b in submits[1:])


def test_after_saving_a_summary_and_the_next_thing(world: World) -> None:
    CheckIn.objects.filter(author=world.bob).delete()
    daily = _today_question(world, "B")
    QuestionAnswer.objects.filter(question=daily).delete()
    client = world.client_for("B")
    client.post(
        reverse("checkins:today"), {"day": world.bob.local_today().isoformat(), "mood": "8"}
    )
    page = client.get(reverse("checkins:today")).content.decode()
    assert "checked in today</h1>" in page and "8/10" in page
    assert "Answer today" in page
    assert 'name="mood"' not in page  # the summary, not the long form again
    assert 'name="mood"' in client.get(reverse("checkins:today") + "?edit=1").content.decode()


def test_no_missed_yesterday_on_an_accounts_first_day(world: World) -> None:
    from tests.factories import make_user

    newcomer = make_user("new@example.org", "Newt", password="a-long-test-passphrase")
    client = world.client_for("A").__class__()
    client.force_login(newcomer)
    assert "Missed yesterday" not in client.get(reverse("checkins:today")).content.decode()
    # an account from last week that skipped yesterday is offered it
    from django.utils import timezone

    type(world.alice).objects.filter(pk=world.alice.pk).update(
        date_joined=timezone.now() - dt.timedelta(days=7)
    )
    yesterday = world.alice.local_today() - dt.timedelta(days=1)
    CheckIn.objects.filter(author=world.alice, day__gte=yesterday).delete()
    assert (
        "Missed yesterday" in world.client_for("A").get(reverse("checkins:today")).content.decode()
    )


def test_answering_another_couples_question_over_http(world: World) -> None:
    other = world.objects["other_question"]
    response = world.client_for("A").post(
        reverse("checkins:question_answer", kwargs={"pk": other.pk}), {"text": "hi"}
    )
    assert response.status_code == 404
    assert "isn&#x27;t one of yours" in response.content.decode()
    assert not QuestionAnswer.objects.filter(question=other).exists()


def test_empty_answer_is_refused(world: World) -> None:
    q = world.objects["question"]
    response = world.client_for("B").post(
        reverse("checkins:question_answer", kwargs={"pk": q.pk}), {"text": "  "}
    )
    assert response.status_code == 400
    assert not QuestionAnswer.objects.filter(question=q, author=world.bob).exists()


def test_question_page_reveals_only_after_both_answered(world: World) -> None:
    q = world.objects["question"]
    bob = world.client_for("B")
    page = bob.get(reverse("checkins:question")).content.decode()
    assert ALICE_PRIVATE_MARKER not in page
    assert "Your partner has answered" in page
    bob.post(reverse("checkins:question_answer", kwargs={"pk": q.pk}), {"text": "Bob's view"})
    page = bob.get(reverse("checkins:question")).content.decode()
    assert ALICE_PRIVATE_MARKER in page and "Bob&#x27;s view" in page


def test_partner_sees_shared_fields_but_never_the_journal_line(world: World) -> None:
    CheckInSettings.objects.create(user=world.alice, share_note=False)
    page = world.client_for("B").get(reverse("checkins:history")).content.decode()
    assert "mood <strong>6</strong>" in page and "<strong>30/90</strong> min" in page
    assert "note from Alice" not in page and ALICE_PRIVATE_MARKER not in page
    assert "note from Bob" in page
    # today: Alice checks in, Bob sees her shared fields on his check-in page
    services.checkin_submit(
        user=world.alice,
        day=world.alice.local_today(),
        values={**CHECKIN, "mood": 9, "note": "hidden note", "journal_line": ALICE_PRIVATE_MARKER},
    )
    page = world.client_for("B").get(reverse("checkins:today")).content.decode()
    assert "9/10" in page and "hidden note" not in page and ALICE_PRIVATE_MARKER not in page
    own = world.client_for("A").get(reverse("checkins:history")).content.decode()
    assert ALICE_PRIVATE_MARKER in own and "note from Alice" in own
    carol = world.client_for("C").get(reverse("checkins:history")).content.decode()
    assert "note from Alice" not in carol and "note from Bob" not in carol


def test_reflection_bad_input_and_week_rule(world: World) -> None:
    client = world.client_for("A")
    this_week = world.alice.local_today() - dt.timedelta(days=world.alice.local_today().weekday())
    before = WeeklyReflection.objects.count()
    for data in (
        {"week_start": this_week, "life_satisfaction": 11, "relationship_satisfaction": 5},
        {"week_start": this_week, "relationship_satisfaction": 5},
        {
            "week_start": this_week - dt.timedelta(days=70),
            "life_satisfaction": 5,
            "relationship_satisfaction": 5,
        },
    ):
        response = client.post(reverse("checkins:reflection"), data)
        assert response.status_code == 400
    assert WeeklyReflection.objects.count() == before


def test_settings_change_what_the_partner_sees_at_once(world: World) -> None:
    client = world.client_for("A")
    client.post(reverse("checkins:settings"), {"share_stress": "on", "reminder_time": ""})
    s = CheckInSettings.objects.get(user=world.alice)
    assert not s.share_mood and s.share_stress and s.reminder_time is None
    page = world.client_for("B").get(reverse("checkins:history")).content.decode()
    assert "Some answers are kept private" in page


def test_export_includes_own_checkins_and_journal_line_only(world: World) -> None:
    import io
    import zipfile

    response = world.client_for("B").get(reverse("accounts:export"))
    raw = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        text = "\n".join(
            archive.read(n).decode() for n in archive.namelist() if not n.startswith("photos/")
        )
    assert "BOB-PRIVATE-c0ffee journal" in text
    assert ALICE_PRIVATE_MARKER not in text and "note from Alice" not in text


def test_twice_daily_morning_and_evening(world: World) -> None:
    CheckInSettings.objects.create(user=world.carol, twice_daily=True)
    client = world.client_for("C")
    day = world.carol.local_today().isoformat()
    for slot, mood in (("0", 4), ("1", 8)):
        data = {"day": day, "slot": slot, **CHECKIN, "mood": mood}
        data.pop("gave_support")
        assert client.post(reverse("checkins:today"), data).status_code == 302
    rows = CheckIn.objects.filter(author=world.carol, day=day).order_by("slot")
    assert [(r.slot, r.mood) for r in rows] == [(0, 4), (1, 8)]
    assert "Switch to the" in client.get(reverse("checkins:today") + "?edit=1").content.decode()


@pytest.mark.parametrize("slot", ["2", "-1", "zz", "9" * 40, ""])
def test_a_check_in_for_a_time_that_does_not_exist_is_refused(world: World, slot: str) -> None:
    """Found by tests/web/test_garbage_later_states.py: an odd slot was saved as the day's."""
    CheckInSettings.objects.create(user=world.carol, twice_daily=True)
    day = world.carol.local_today().isoformat()
    data = {"day": day, "slot": slot, **CHECKIN}
    data.pop("gave_support")
    response = world.client_for("C").post(reverse("checkins:today"), data)
    assert response.status_code == 400
    assert "a check-in time that doesn" in response.content.decode()
    assert not CheckIn.objects.filter(author=world.carol, day=day).exists()


def test_after_unpairing_nothing_of_the_former_partner_shows(world: World) -> None:
    from counterpoint.pairing.services import couple_unpair

    couple_unpair(user=world.bob)
    bob = world.client_for("B")
    for url in ("checkins:history", "checkins:question", "checkins:reflection", "checkins:today"):
        page = bob.get(reverse(url)).content.decode()
        assert "note from Alice" not in page and "helped Alice" not in page
        assert ALICE_PRIVATE_MARKER not in page
    data = bob.get(reverse("insights:json")).json()["sections"]
    assert data["emotions"]["status"] == "not_paired"
    assert [p["name"] for p in data["consistency"]["people"]] == ["Bob"]
    # Bob's own history is still his
    assert "note from Bob" in bob.get(reverse("checkins:history")).content.decode()


def test_history_is_a_chart_and_a_table_by_day(world: World) -> None:
    page = world.client_for("B").get(reverse("checkins:history")).content.decode()
    assert 'id="history-mood"' in page and "&lt;div" not in page  # the chart, not its source
    assert '<script nonce="' in page or "nonce=" in page
    assert 'class="data history-table"' in page
    assert "note from Alice" in page and "note from Bob" in page
