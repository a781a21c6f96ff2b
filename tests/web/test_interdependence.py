"""The interdependence map: taking it, drafts, bad input, privacy of answers and positions,
the couple map, /map.json, deployer definitions and demo data."""

from __future__ import annotations

import html
import json
import logging
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

import tests.web.access_cases.interdependence  # noqa: F401  (adds the map records to the world)
from counterpoint.activity.models import Notice
from counterpoint.couples.demo import DemoCouple
from counterpoint.interdependence import guides, instruments, selectors, services
from counterpoint.interdependence.models import Position, Taking
from counterpoint.privacy.models import Visibility
from counterpoint.science.instrument import EXAMPLE_DEFINITION
from tests.factories import make_user
from tests.web.conftest import World
from tests.web.map_helpers import answers_for, instrument

TAKE = reverse("interdependence:take", kwargs={"key": "counterpoint-map"})


def _post(client: Client, person, answers, **extra):
    data = {"respondent": person.pk, **{k: str(v) for k, v in answers.items()}, **extra}
    return client.post(TAKE, data)


def test_it_scores_a_complete_questionnaire_privately(world: World) -> None:
    client = world.client_for("C")
    answers = answers_for(instrument(), (5.5, 5.5), seed=9)
    response = _post(client, world.carol, answers, action="submit")
    assert response.status_code == 302
    position = Position.objects.get(author=world.carol)
    assert position.visibility == Visibility.PRIVATE
    assert position.taking.visibility == Visibility.PRIVATE
    assert position.taking.status == Taking.Status.COMPLETE
    assert position.parameters_version == instruments.reference_parameters(instrument()).version
    assert position.region in {"interdependent", "dependent", "distant", "disengaged"}
    page = client.get(reverse("interdependence:home")).content.decode()
    assert "Where you are" in page and "What to practise next" in page
    assert 'role="img"' in page and "<table" in page  # chart with a text alternative


def test_partial_answers_are_kept_as_a_draft_and_not_scored(world: World) -> None:
    client = world.client_for("C")
    answers = dict(list(answers_for(instrument(), (4, 4)).items())[:12])
    response = _post(client, world.carol, answers, action="submit")
    # "See my map" with statements left: the answers are kept, and it points at the first gap.
    first_gap = next(item.id for item in instrument().items if item.id not in answers)
    assert response.status_code == 302
    assert response["Location"] == f"{TAKE}#statement-{first_gap}"
    draft = Taking.objects.get(author=world.carol)
    assert draft.status == Taking.Status.DRAFT and len(draft.answers) == 12
    assert not Position.objects.filter(author=world.carol).exists()
    page = client.get(TAKE).content.decode()
    assert "27 of 39 statements still need an answer" in page
    assert f'id="statement-{first_gap}"' in page
    # Coming back shows the draft's answers already chosen.
    assert "Your draft has 12 answers so far." in page
    assert page.count("checked") >= 12
    home = client.get(reverse("interdependence:home")).content.decode()
    assert "You have answered 12 of 39 so far." in home


@pytest.mark.parametrize("action", ["submit", "draft"])
def test_nothing_answered_saves_no_empty_draft(world: World, action: str) -> None:
    client = world.client_for("C")
    response = _post(client, world.carol, {}, action=action)
    assert response["Location"] == f"{TAKE}#statement-{instrument().items[0].id}"
    assert not Taking.objects.filter(author=world.carol).exists()
    assert "Nothing saved yet" in client.get(TAKE).content.decode()


def test_between_regions_shows_both_descriptions_in_plain_words(world: World) -> None:
    client = world.client_for("C")
    inst = instrument()
    cut = inst.cutoffs
    for seed in range(40):  # answers simulated on the line until the result straddles it
        _post(client, world.carol, answers_for(inst, cut, seed=seed), action="submit")
        position = Position.objects.filter(author=world.carol).order_by("-created_at").first()
        if position is not None and position.between and len(position.plausible_regions) > 1:
            break
    else:
        pytest.fail("no result between regions from answers on the line")
    page = client.get(reverse("interdependence:home")).content.decode()
    for region in position.plausible_regions:
        assert str(guides.REGION_TEXT[region]) in page.replace("&#x27;", "'")
    # What a reader sees, not the markup: a random form token may spell "v1".
    words = _visible_text(page)
    assert "Between" in words or "between" in words
    for researcher_words in ("version", "reference values", " 1 days"):
        assert researcher_words not in words
    assert not re.search(r"\bv1\b", words)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def test_out_of_range_answers_are_refused_and_nothing_is_saved(world: World) -> None:
    client = world.client_for("C")
    answers: dict[str, object] = dict(answers_for(instrument(), (4, 4)))
    answers["cl1"] = 9
    answers["su1"] = "lots"
    response = _post(client, world.carol, answers, action="submit")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Some answers are not on the scale" in text
    assert "Choose one of the answers from 1 to 7." in text
    assert not Taking.objects.filter(author=world.carol).exists()
    assert not Position.objects.filter(author=world.carol).exists()


def test_answering_as_someone_else_is_refused(world: World) -> None:
    client = world.client_for("B")
    answers = answers_for(instrument(), (4, 4))
    response = _post(client, world.alice, answers, action="submit")
    assert response.status_code == 403
    assert "You can only answer for yourself" in response.content.decode()
    assert not Taking.objects.filter(author=world.bob, status=Taking.Status.COMPLETE).exists()
    assert Position.objects.filter(author=world.alice).count() == 2  # only the seeded ones
    assert Taking.objects.get(author=world.bob).answers == world.objects["bob_map_draft"].answers


def test_partner_sees_shared_positions_only_and_never_answers(world: World) -> None:
    bob = world.client_for("B")
    data = json.loads(bob.get(reverse("interdependence:json")).content)
    shared = world.objects["alice_map_shared_position"]
    private = world.objects["alice_map_private_position"]
    assert [p["taken_on"] for p in data["partner"]["positions"]] == [shared.taken_on.isoformat()]
    partner_position = data["partner"]["positions"][0]
    assert partner_position["connection"]["score"] == pytest.approx(shared.connection)
    assert "subscales" not in partner_position
    assert "answers" not in json.dumps(data)
    # Bob's own draft is not a position.
    assert data["me"]["positions"] == []
    # Alice's subscale scores and her private result never appear on Bob's pages.
    labels = [sub.label for sub in instrument().subscales.values()]
    for url in ("interdependence:home", "interdependence:couple", "interdependence:json"):
        text = bob.get(reverse(url)).content.decode()
        assert not any(label in text for label in labels), url
        assert str(private.connection) not in text, url
    # No couple map until Bob shares too.
    assert data["couple"] is None
    assert "Our map appears once" in bob.get(reverse("interdependence:couple")).content.decode()


def test_alice_sees_her_own_answers_summary_and_both_positions_in_json(world: World) -> None:
    data = json.loads(world.client_for("A").get(reverse("interdependence:json")).content)
    assert len(data["me"]["positions"]) == 2
    assert {p["shared_with_partner"] for p in data["me"]["positions"]} == {True, False}
    first = data["me"]["positions"][0]
    assert set(first) >= {
        "taken_on",
        "instrument_version",
        "connection",
        "autonomy",
        "region",
        "between_regions",
        "subscales",
    }
    assert first["connection"]["se"] > 0
    assert data["partner"] == {"name": "Bob", "positions": []}  # Bob shared nothing


def test_outsiders_see_nothing_of_the_couple(world: World) -> None:
    for person in ("C", "T"):
        data = json.loads(world.client_for(person).get(reverse("interdependence:json")).content)
        assert data["me"]["positions"] == []
        assert data["partner"] in (None, {"name": "Dave", "positions": []})
        assert data["couple"] is None


def test_sharing_reveals_the_couple_map_and_notifies(world: World) -> None:
    inst = instrument()
    services.taking_submit(
        user=world.bob, instrument=inst, answers=answers_for(inst, (3.0, 5.8), seed=5), share=True
    )
    assert Notice.objects.filter(recipient=world.alice, kind="map_shared").exists()
    view = selectors.couple_map(world.alice)
    assert view.pattern is not None
    assert view.pattern.pattern == "pursue_withdraw"  # Alice leaning in, Bob leaning apart
    page = world.client_for("A").get(reverse("interdependence:couple")).content.decode()
    assert "One reaches in, one steps back" in page
    data = json.loads(world.client_for("B").get(reverse("interdependence:json")).content)
    assert data["couple"]["pattern"] == "pursue_withdraw"
    # Alice takes her shared result back: the couple map disappears for Bob.
    position = world.objects["alice_map_shared_position"]
    response = world.client_for("A").post(
        reverse("interdependence:share", kwargs={"pk": position.pk}), {"share": "0"}
    )
    assert response.status_code == 302
    data = json.loads(world.client_for("B").get(reverse("interdependence:json")).content)
    assert data["partner"]["positions"] == [] and data["couple"] is None


@pytest.mark.parametrize("choice", [None, "", "2", "zz", "a\x00b"])
def test_sharing_neither_on_nor_off_changes_nothing(world: World, choice: str | None) -> None:
    """Found by tests/web/test_garbage_later_states.py: anything but "1" made a shared result
    private."""
    position = world.objects["alice_map_shared_position"]
    data = {} if choice is None else {"share": choice}
    url = reverse("interdependence:share", kwargs={"pk": position.pk})
    page = world.client_for("A").post(url, data, follow=True).content.decode()
    assert "whether to share it or not" in html.unescape(page)
    position.refresh_from_db()
    assert position.is_shared


def test_unpairing_hides_the_former_partners_position(world: World) -> None:
    from counterpoint.pairing.services import couple_unpair

    couple_unpair(user=world.bob)
    data = json.loads(world.client_for("B").get(reverse("interdependence:json")).content)
    assert data["partner"] is None
    assert not selectors.partner_positions(world.bob).exists()


def test_sharing_while_single_stays_private(db: None) -> None:
    solo = make_user("solo@example.org", "Solo")
    inst = instrument()
    position = services.taking_submit(
        user=solo, instrument=inst, answers=answers_for(inst, (5, 5)), share=True
    )
    assert position.visibility == Visibility.PRIVATE


def test_me_we_balance_from_checkins_sits_beside_the_answers(world: World) -> None:
    from counterpoint.checkins.models import CheckIn

    today = world.alice.local_today()
    CheckIn.objects.filter(author=world.alice).delete()  # other apps' world records
    CheckIn.objects.create(
        author=world.alice,
        couple=world.couple,
        day=today,
        mood=4,
        energy=4,
        stress=3,
        closeness=5,
        me_minutes=48,
        we_minutes=132,
    )
    page = world.client_for("A").get(reverse("interdependence:home")).content.decode()
    assert "0.8 hours of me-time and 2.2 hours of we-time" in page
    assert "27% of it your own" in page
    bob_page = world.client_for("B").get(reverse("interdependence:home")).content.decode()
    assert "0.8 hours of me-time" not in bob_page  # only ever the person's own


def test_a_deployer_can_add_an_instrument(world: World, settings, tmp_path, caplog) -> None:
    (tmp_path / "example.json").write_text(json.dumps(EXAMPLE_DEFINITION))
    (tmp_path / "broken.json").write_text('{"key": "broken"}')
    settings.INSTRUMENT_DIR = str(tmp_path)
    instruments.reload()
    try:
        with caplog.at_level(logging.ERROR):
            keys = [inst.key for inst in instruments.available()]
        assert keys == ["counterpoint-map", "example"]
        assert "broken.json" in caplog.text
        client = world.client_for("C")
        url = reverse("interdependence:take", kwargs={"key": "example"})
        answers = {"c1": 6, "c2": 2, "c3": 7, "a1": 5, "a2": 6, "a3": 2}
        response = client.post(url, {"respondent": world.carol.pk, "action": "submit", **answers})
        assert response.status_code == 302
        position = Position.objects.get(author=world.carol)
        assert position.instrument_key == "example"
        assert position.connection == pytest.approx(19 / 3)
        assert position.autonomy == pytest.approx(17 / 3)
    finally:
        settings.INSTRUMENT_DIR = ""
        instruments.reload()


def test_demo_couple_took_it_twice_a_month_apart_and_shared(demo: DemoCouple) -> None:
    for person in (demo.alex, demo.sam):
        positions = list(Position.objects.filter(author=person).order_by("taken_on"))
        assert len(positions) == 2
        assert all(p.visibility == Visibility.PARTNER for p in positions)
        assert 28 <= (positions[1].taken_on - positions[0].taken_on).days <= 35
    view = selectors.couple_map(demo.alex)
    assert view.pattern is not None and view.pattern.trend is not None


def test_a_result_near_a_line_is_shown_as_between_regions(world: World) -> None:
    inst = instrument()
    wanted = {"connection": 4, "autonomy": 6}  # keyed answers: connection exactly on its cut-off
    answers = {}
    for axis, value in wanted.items():
        for item, sign in zip(inst.items_of(axis), inst.key_signs(axis), strict=True):
            answers[item.id] = value if sign > 0 else 8 - value
    response = _post(world.client_for("C"), world.carol, answers, action="submit")
    assert response.status_code == 302
    position = Position.objects.get(author=world.carol)
    assert position.connection == pytest.approx(4.0) and position.autonomy == pytest.approx(6.0)
    assert position.between and position.plausible_regions == ["interdependent", "distant"]
    page = world.client_for("C").get(reverse("interdependence:home")).content.decode()
    assert "Between regions: Close and whole / Leaning apart" in page
    assert "the margin of uncertainty crosses it" in page


def test_reliability_command_prints_aggregates(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    inst = instrument()
    for k, person in enumerate((world.bob, world.carol, world.dave, world.terry)):
        services.taking_submit(
            user=person, instrument=inst, answers=answers_for(inst, (2 + k, 6 - k), seed=40 + k)
        )
    out = StringIO()
    call_command("map_reliability", "--min-people", "5", stdout=out)
    text = out.getvalue()
    assert "counterpoint-map version 1: 5 distinct people" in text
    assert "closeness            alpha" in text
    assert "connection" in text


def test_deleting_an_account_removes_its_answers_and_positions(world: World) -> None:
    from counterpoint.accounts.services import account_delete

    assert Taking.objects.filter(author=world.alice).exists()
    account_delete(user=world.alice, remove_couple_items=True)
    assert not Taking.objects.filter(author__isnull=True).exists()
    assert not Position.objects.filter(author__isnull=True).exists()
    assert Taking.objects.filter(author=world.bob).exists()  # the partner's own draft stays
