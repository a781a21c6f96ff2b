"""Each scrolling table on a study's pages is a region named "Table: <its caption>", so no two
regions on a page share a name (axe: landmark-unique) — its section is already named by its
heading."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.couples.demo import DemoCouple
from counterpoint.research.models import Study
from counterpoint.research.runs.models import AnalysisRun
from tests.web.table_regions import check_table_regions

pytestmark = pytest.mark.django_db


def test_each_table_region_has_a_name_of_its_own(demo: DemoCouple) -> None:
    study = Study.objects.get(researcher__email="riley@example.com")
    client = Client()
    client.force_login(study.researcher)
    tables = 0
    for name in ("research:compliance", "research:export", "research:study_log"):
        response = client.get(reverse(name, args=[study.pk]))
        assert response.status_code == 200
        tables += check_table_regions(response.content.decode())
    assert tables == 4  # compliance: per couple, over time; the codebook; the log

    response = client.post(
        reverse("research:analysis", args=[study.pk]), {"var": "mood", "min_occasions": "3"}
    )
    run = AnalysisRun.objects.get(study=study)
    page = client.get(response["Location"]).content.decode()
    assert run.state == "done", run.error
    assert (
        check_table_regions(page) >= 1
    )  # one couple: the pooled model may refuse; the per-couple one fits
