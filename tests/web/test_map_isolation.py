"""Issue 10, the map: no person's result, range or page depends on other people's answers except
through the published, versioned reference parameters; installation-wide statistics are only for
the operator's command, and only over enough distinct people."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from counterpoint.interdependence import instruments, services
from tests.factories import make_user
from tests.web.conftest import World
from tests.web.map_helpers import answers_for, instrument

THROWAWAYS = 35  # more than any threshold the old code used (30 takings)


def _crafted_takings(count: int) -> None:
    """What the hostile review did: many throwaway accounts, each with crafted answers."""
    inst = instrument()
    for i in range(count):
        person = make_user(f"throwaway{i}@example.org", f"T{i}")
        # Extreme, patterned answers: everything at one end but one item.
        answers = dict.fromkeys(inst.item_ids, 7 if i % 2 else 1)
        answers[inst.item_ids[i % len(inst.item_ids)]] = 4
        services.taking_submit(user=person, instrument=inst, answers=answers)


def test_map_result_and_ranges_do_not_depend_on_other_peoples_takings(world: World) -> None:
    inst = instrument()
    answers = answers_for(inst, (5.0, 3.5), seed=5)
    before = services.taking_submit(user=world.carol, instrument=inst, answers=answers)
    _crafted_takings(THROWAWAYS)
    after = services.taking_submit(user=world.carol, instrument=inst, answers=answers)
    for field in ("connection", "autonomy", "se_connection", "se_autonomy", "region", "between"):
        assert getattr(after, field) == getattr(before, field), field
    assert after.plausible_regions == before.plausible_regions
    assert after.taking.subscale_scores == before.taking.subscale_scores


def test_map_uses_published_versioned_reference_parameters(world: World) -> None:
    inst = instrument()
    params = instruments.reference_parameters(inst)
    assert params.version  # a published version, recorded with every position
    position = services.taking_submit(
        user=world.carol, instrument=inst, answers=answers_for(inst, (4.0, 4.0), seed=6)
    )
    assert position.parameters_version == params.version
    path = instruments.BUILTIN_DIR / f"{inst.key}-v{inst.version}.parameters.json"
    shipped = json.loads(path.read_text())
    assert shipped["parameters_version"] == params.version
    assert set(shipped["scales"]) == set(inst.scale_names)


def test_map_json_and_page_reveal_nothing_derived_from_others(world: World) -> None:
    client = world.client_for("C")
    inst = instrument()
    services.taking_submit(
        user=world.carol, instrument=inst, answers=answers_for(inst, (4.5, 4.5), seed=7)
    )
    first_json = client.get(reverse("interdependence:json")).content.decode()
    first_page = client.get(reverse("interdependence:home")).content.decode()
    assert "reliability_source" not in first_json and "installation" not in first_json
    _crafted_takings(THROWAWAYS)
    assert client.get(reverse("interdependence:json")).content.decode() == first_json
    page = client.get(reverse("interdependence:home")).content.decode()
    assert page.count("Until enough people") == first_page.count("Until enough people") == 0


def test_map_reliability_command_counts_people_not_takings(db: None) -> None:
    inst = instrument()
    one = make_user("one@example.org", "One")
    # One person submitting forty times is one person.
    for seed in range(40):
        services.taking_submit(
            user=one, instrument=inst, answers=answers_for(inst, (4, 4), seed=seed)
        )
    out = StringIO()
    call_command("map_reliability", "--min-people", "5", stdout=out)
    text = out.getvalue()
    assert "1 distinct people" in text
    assert "alpha" not in text  # too few people: no statistic at all
    for k in range(4):
        person = make_user(f"p{k}@example.org", f"P{k}")
        services.taking_submit(
            user=person, instrument=inst, answers=answers_for(inst, (2 + k, 6 - k), seed=60 + k)
        )
    out = StringIO()
    call_command("map_reliability", "--min-people", "5", stdout=out)
    assert "5 distinct people" in out.getvalue()
    assert "closeness            alpha" in out.getvalue()
