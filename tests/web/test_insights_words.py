"""The insights read in everyday words: a sentence whose range spans zero always says "no clear
difference yet" (and only then), and the text, the chart and the table carry the same numbers,
written one way (one minus sign, two decimals, never "nan")."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.urls import reverse

from counterpoint.demo import DemoCouple
from counterpoint.insights.registry import all_sections
from counterpoint.insights.wording import MINUS, num, spans_zero
from tests.factories import make_couple, make_user
from tests.web.conftest import build_demo_checkins
from tests.web.snapshot import restored

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: None) -> DemoCouple:
    """Alex and Sam with the demo's check-ins, restored per test (tests/web/snapshot.py)."""
    return restored(build_demo_checkins)


def test_number_format_is_one_and_the_same() -> None:
    assert num(-0.2) == f"{MINUS}0.20" and num(0.4567) == "0.46" and num(None) == "—"
    assert num(-0.0001) == "0.00"  # never "−0.00"


def test_every_sentence_with_a_range_spanning_zero_says_so(demo: DemoCouple) -> None:
    seen_spanning = seen_clear = 0
    for person in (demo.alex, demo.sam):
        for name, section in all_sections(person).items():
            for it in section.get("items", []):
                row = it["number"]
                says = "no clear difference yet" in it["text"].lower()
                if row is None:
                    assert not says, (name, it["text"])
                    continue
                assert row["spans_zero"] == spans_zero(row)
                assert says == row["spans_zero"], (name, it["text"], row["text"])
                seen_spanning += row["spans_zero"]
                seen_clear += not row["spans_zero"]
    # the demo couple's 120 days have both kinds, so both branches were checked
    assert seen_spanning and seen_clear


def _chart_hovertexts(page: str, div_id: str) -> list[str]:
    start = page.index(f'"{div_id}"')
    block = page[start : page.index("</script>", start)]
    data, _end = json.JSONDecoder().raw_decode(block[block.index("[") :])
    return data[0]["hovertext"]


def test_text_chart_and_table_carry_the_same_numbers(client, demo: DemoCouple) -> None:
    client.force_login(demo.alex)
    page = client.get(reverse("insights:page")).content.decode()
    sections = all_sections(demo.alex)
    sentence_numbers = [
        html.unescape(t) for t in re.findall(r'<span class="num-text">([^<]*)</span>', page)
    ]
    table_numbers = [
        html.unescape(t) for t in re.findall(r'<td class="num-text">([^<]*)</td>', page)
    ]
    for name, div in (("emotions", "chart-mood-effects"), ("coregulation", "chart-stress-effects")):
        rows = [r["text"] for r in sections[name]["numbers"]]
        assert rows, name
        assert _chart_hovertexts(page, div) == rows  # the chart, word for word
        assert all(r in table_numbers for r in rows)  # the table
        spoken = [it["number"]["text"] for it in sections[name]["items"] if it["number"]]
        assert spoken and all(r in rows and r in sentence_numbers for r in spoken)  # the text
        assert sections[name]["number_scale"] == "standardised"
    for text in sentence_numbers + table_numbers:
        assert "-" not in text and "nan" not in text.lower()
    assert ">nan<" not in page and "7.0<" not in page
    assert "Standardised numbers (−1 to 1)" in page
    assert 'href="/insights/how/"' in page


def test_each_section_opens_with_a_sentence_and_ends_with_a_next_step(
    client, demo: DemoCouple
) -> None:
    for name, section in all_sections(demo.alex).items():
        if name not in (
            "emotions",
            "coregulation",
            "stress_recovery",
            "wellbeing",
            "balance",
            "consistency",
        ):
            continue
        assert section["lead"].endswith("."), name
        assert section["next_step"]["url"].startswith("/"), name


def test_too_early_says_what_it_waits_for(client) -> None:
    a, b = make_user("a@example.org", "Ari"), make_user("b@example.org", "Bo")
    make_couple(a, b)
    sections = all_sections(a)
    assert sections["emotions"]["lead"].startswith("Too early to say")
    assert "more days" in sections["emotions"]["lead"]
    assert any("too early to say" in w for w in sections["stress_recovery"]["words"])
    client.force_login(a)
    assert client.get(reverse("insights:how")).status_code == 200
