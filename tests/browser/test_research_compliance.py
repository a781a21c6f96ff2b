"""A researcher opens the compliance page of a running study from the study page: the couple
below the threshold is named, the tables are there, the chart draws. Phone and desktop, axe."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.web.research.data_world import LOW_COUPLE, PASSWORD, build_study, run_study

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_compliance_page(new_page, shot, check_a11y, viewport) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    sim = run_study(build_study(couples=LOW_COUPLE, with_passwords=True), until_day=3)
    page = new_page(viewport)
    sign_in(page, "rhea@uni.example", PASSWORD)
    page.goto(f"/research/studies/{sim.study.pk}/")
    page.get_by_role("link", name="Compliance").click()
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
