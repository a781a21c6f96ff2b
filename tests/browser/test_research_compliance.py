"""A researcher opens the compliance page of a running study from the study page: the couple
below the threshold is named, the tables are there, the chart draws. Phone and desktop, axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, click_through, sign_in
from tests.web.research.data_world import LOW_COUPLE, PASSWORD, build_study, run_study

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_compliance_page(new_page, shot, check_a11y, viewport) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    sim = run_study(build_study(couples=LOW_COUPLE, with_passwords=True), until_day=3)
    page = new_page(viewport)
    sign_in(page, "rhea@uni.example", PASSWORD)
    page.goto(f"/research/studies/{sim.study.pk}/")
    click_through(page.get_by_role("link", name="Compliance"))
    page.wait_for_url(f"**/research/studies/{sim.study.pk}/compliance/")
    heading = page.get_by_role("heading", level=1)
    assert "Compliance: Everyday moods in couples" in heading.inner_text()
    flagged = page.locator("#flagged")
    assert f"dyad {LOW_COUPLE}" in flagged.inner_text()
    table = page.get_by_role("table").first
    assert table.get_by_role("row").count() == 1 + LOW_COUPLE  # a header row and one per couple
    page.locator("#compliance-by-day .main-svg").first.wait_for(timeout=30_000)  # after load
    assert page.get_by_role("row", name="3").count() >= 1  # study day 3 in the rate-by-day table
    check_a11y(page, f"compliance {size}")
    shot(page, f"research-compliance-{size}")

    # the other data pages from the study page: the export with its codebook, and a fit
    page.goto(f"/research/studies/{sim.study.pk}/")
    click_through(page.get_by_role("link", name="Export the data"))
    page.wait_for_url(f"**/research/studies/{sim.study.pk}/data/")
    expect(page.get_by_role("link", name="Long format, CSV")).to_be_visible()
    expect(page.get_by_role("rowheader", name="occasion")).to_be_visible()
    check_a11y(page, f"export {size}")
    shot(page, f"research-export-{size}")
    page.goto(f"/research/studies/{sim.study.pk}/")
    click_through(page.get_by_role("link", name="Analyse in place"))
    page.get_by_label("Item to analyse").select_option("mood")
    page.get_by_label("Usable occasions a couple needs for its own VAR").fill("5")
    click_through(page.get_by_role("button", name="Fit"))
    page.wait_for_url("**/analysis/*/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Analysis of mood"
    expect(page.get_by_text("counterpoint fit var long.csv")).to_be_visible()
    check_a11y(page, f"analysis {size}")
    shot(page, f"research-analysis-{size}")
