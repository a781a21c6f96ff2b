"""The simulated study is the same study on every run.

Record numbers are drawn at random, so anything that hands out the simulation's random draws in
the database's order of records (a tie broken by number) gives a different fortnight on each run,
and the study tests' expected figures (how many dyads reach ten occasions, say) hold only
sometimes. Two runs of a short study from the same seed must answer every prompt alike.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from counterpoint.research.models import Prompt, Study
from tests.web.research.data_world import build_study, run_study

pytestmark = pytest.mark.django_db


def _fortnight(study: Study) -> list[tuple[int, str, int, int, str, object]]:
    rows = []
    for prompt in Prompt.objects.filter(study=study, day__lte=3).select_related(
        "participant__enrolment", "response"
    ):
        response = getattr(prompt, "response", None)
        rows.append(
            (
                prompt.participant.enrolment.number,
                prompt.participant.role,
                prompt.day,
                prompt.beep,
                prompt.state,
                response.answers if response is not None else None,
            )
        )
    return sorted(rows, key=lambda r: r[:4])


def _one_run() -> list[tuple[int, str, int, int, str, object]]:
    with transaction.atomic():
        sim = run_study(build_study(couples=4), until_day=3)
        seen = _fortnight(sim.study)
        transaction.set_rollback(True)
    return seen


def test_two_runs_from_one_seed_answer_every_prompt_alike() -> None:
    first, second = _one_run(), _one_run()
    assert len(first) == 4 * 2 * 3 * 4
    assert sum(1 for row in first if row[4] == "submitted") > 10
    assert first == second
