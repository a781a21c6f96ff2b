"""Analysis in place when the data leave the engine nothing to estimate, or it stops unexplained.

A study whose partners answered in lockstep (the same value at every prompt) made the multilevel
VAR stop on numpy's "Singular matrix": the researcher's "Analyse" was a server error. Now the
engine says why, the run page shows it, and the per-couple fits say why for each couple. An error
the engine does not explain ends that fit with a message and a log entry, never a server error.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from counterpoint.research.models import Prompt, Study
from counterpoint.research.runs.models import AnalysisRun
from counterpoint.science.mlvar import DyadicVAR
from tests.web.research.study_world import (
    couples_take_part,
    days_go_by,
    make_researcher,
    make_study,
)

pytestmark = pytest.mark.django_db


def _lockstep(prompt: Prompt, i: int) -> dict[str, Any]:
    """Both partners of every couple give the same mood at each prompt time."""
    return {"mood": (i * 3) % 11, "calm": 5, "where": 1}


def _own_way(prompt: Prompt, i: int) -> dict[str, Any]:
    own = sum(map(ord, prompt.participant.person_code))
    return {"mood": (i * 3 + own * 5) % 11, "calm": (i + own) % 11, "where": 1}


def _study_with(answer: Any) -> tuple[Study, Client]:
    researcher = make_researcher("rhea@uni.example", "Rhea")
    study = make_study(researcher)
    start = timezone.now() - dt.timedelta(days=12)
    couples_take_part(study, range(4), start)
    days_go_by(study, start, answer, days=11)
    client = Client()
    client.force_login(researcher)
    return study, client


def _analyse(study: Study, client: Client) -> tuple[AnalysisRun, str]:
    response = client.post(
        reverse("research:analysis", args=[study.pk]), {"var": "mood", "min_occasions": 3}
    )
    assert response.status_code == 302
    run = AnalysisRun.objects.get(study=study)
    page = client.get(reverse("research:analysis_run", args=[study.pk, run.pk]))
    assert page.status_code == 200
    return run, page.content.decode()


def test_partners_in_lockstep_get_the_reason_not_a_server_error() -> None:
    study, client = _study_with(_lockstep)
    run, page = _analyse(study, client)
    assert run.state == AnalysisRun.State.DONE
    assert run.result["var"] is None
    assert "cannot tell actor from partner effects" in run.result["var_error"]
    assert "cannot tell actor from partner effects" in page
    reasons = {dyad["reason"] for dyad in run.result["couple_var"]["dyads"]}
    assert reasons == {"the two partners' series are identical; their effects cannot be told apart"}
    assert "their effects cannot be told apart" in page


def test_an_error_the_engine_does_not_explain_ends_that_fit_with_a_message(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The multilevel fit fails (as numpy may on data nobody foresaw); the per-couple fit is still
    made and shown, the run is done, and the error is logged for the people who run the server."""
    study, client = _study_with(_own_way)

    def stops(self: DyadicVAR) -> Any:
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(DyadicVAR, "fit", stops)
    with caplog.at_level(logging.ERROR, logger="counterpoint.research.analysis"):
        run, page = _analyse(study, client)
    assert run.state == AnalysisRun.State.DONE
    assert run.result["var"] is None
    assert "no explanation for yet (LinAlgError)" in run.result["var_error"]
    assert "no explanation for yet (LinAlgError)" in page
    assert any("the engine stopped" in r.getMessage() for r in caplog.records)
    # the per-couple fit is unaffected, and its numbers are on the page
    dyads = run.result["couple_var"]["dyads"]
    assert len(dyads) == 4 and all(d["reason"] is None for d in dyads), dyads
    actor = dyads[0]["params"]["actor@A"]
    assert f"{actor:.2f}" in page or f"{actor:.3f}" in page
