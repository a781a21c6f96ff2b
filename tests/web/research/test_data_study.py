"""The "must show" of research mode's data side, on a simulated 14-day study of 10 couples.

- the export's rows equal the schedule (every planned prompt of every participant, once);
- the compliance page's figures equal a direct count over the delivery log (``PromptEvent``);
- the engine's numbers from the study page equal the command line's on the exported file.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.research import schedules
from counterpoint.research.models import Participant, PromptEvent
from counterpoint.research.runs.models import AnalysisRun
from tests.web.research.data_world import (
    DAYS,
    LOW_COUPLE,
    TIMES,
    WITHDRAWS,
    SimStudy,
    build_study,
    run_study,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CLI = str(Path(sys.executable).with_name("counterpoint"))


@pytest.fixture(scope="module")
def sim(django_db_setup: None, django_db_blocker: Any) -> Iterator[SimStudy]:
    """One run of the whole study for every test here (it takes a while), rolled back after."""
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        made = run_study(build_study())
        yield made
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def _researcher(sim: SimStudy) -> Client:
    client = Client()
    client.force_login(sim.researcher)
    return client


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def _download(sim: SimStudy, name: str) -> bytes:
    response = _researcher(sim).get(
        reverse("research:export_file", kwargs={"pk": sim.study.pk, "name": name})
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return response.content


def test_the_simulation_did_what_people_do(sim: SimStudy) -> None:
    assert sim.actions["submit"] > 500
    assert sim.actions["withdraw"] == 1
    reasons = set(
        PromptEvent.objects.filter(prompt__study=sim.study).values_list("reason", flat=True)
    )
    assert "submitted in the grace period" in reasons
    assert "opened in time, not submitted within the grace period" in reasons
    assert "window closed, not opened" in reasons
    assert "participant withdrew" in reasons


def test_the_exports_rows_equal_the_schedule(sim: SimStudy) -> None:
    rows = _csv_rows(_download(sim, "long.csv"))
    got = {(r["person"], int(r["day"]), int(r["beep"]), r["scheduled"]) for r in rows}
    assert len(got) == len(rows), "a prompt appears twice"
    expected = set()
    schedule = sim.study.parsed_schedule()
    for p in Participant.objects.filter(study=sim.study):
        assert p.first_day is not None
        for beep in schedules.plan(
            schedule, first_day=p.first_day, days=DAYS, tz=ZoneInfo(p.time_zone), seed=p.seed
        ):
            expected.add((p.person_code, beep.day, beep.beep, f"{beep.at:%Y-%m-%dT%H:%M:%SZ}"))
    assert got == expected
    assert len(rows) == 10 * 2 * DAYS * len(TIMES)
    # independently of the planner: each scheduled instant is one of the study's local times in
    # the participant's zone, on consecutive days, across Berlin's change to summer time
    zones = {
        p.person_code: ZoneInfo(p.time_zone) for p in Participant.objects.filter(study=sim.study)
    }
    from datetime import datetime

    for r in rows:
        local = datetime.fromisoformat(r["scheduled"]).astimezone(zones[r["person"]])
        assert f"{local:%H:%M}" == TIMES[int(r["beep"]) - 1] == r["local_time"]
        assert local.day == 21 + int(r["day"]) or local.month == 4
        assert int(r["occasion"]) == (int(r["day"]) - 1) * len(TIMES) + int(r["beep"])
    berlin = [
        r for r in rows if r["person"] == "2A" and r["beep"] == "1" and r["day"] in ("7", "8")
    ]
    assert [r["scheduled"][11:16] for r in sorted(berlin, key=lambda r: int(r["day"]))] == [
        "08:00",
        "07:00",
    ]


def test_answers_are_in_the_rows_of_submitted_prompts_only(sim: SimStudy) -> None:
    rows = _csv_rows(_download(sim, "long.csv"))
    for r in rows:
        if r["status"] == "submitted":
            assert r["mood"] != "" and 0 <= int(r["mood"]) <= 10
            assert r["place"] in ("1", "2", "3")
        else:
            assert r["mood"] == r["calm"] == r["place"] == r["note"] == ""
    dyad, role, day = WITHDRAWS
    leaver = [r for r in rows if r["person"] == f"{dyad}{role}"]
    assert {r["status"] for r in leaver if int(r["day"]) > day} == {"cancelled"}
    assert any(r["status"] == "submitted" for r in leaver)  # kept, as they chose


def _from_log(sim: SimStudy) -> dict[str, dict[str, int]]:
    """Per person: prompts sent, answered, expired, straight from the delivery log."""
    events = PromptEvent.objects.filter(prompt__study=sim.study).values_list(
        "prompt_id", "to_state", "prompt__participant__person_code"
    )
    states: dict[int, set[str]] = defaultdict(set)
    person_of = {}
    for prompt_id, to_state, person in events:
        states[prompt_id].add(to_state)
        person_of[prompt_id] = person
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for prompt_id, seen in states.items():
        counts = out[person_of[prompt_id]]
        counts["sent"] += "sent" in seen
        counts["answered"] += "submitted" in seen
        counts["expired"] += "expired" in seen
        counts["cancelled_after_sent"] += "sent" in seen and "cancelled" in seen
    return out


def test_compliance_figures_equal_a_count_over_the_log(sim: SimStudy) -> None:
    response = _researcher(sim).get(reverse("research:compliance", kwargs={"pk": sim.study.pk}))
    assert response.status_code == 200
    log = _from_log(sim)
    shown = {r["c"].dyad: r for r in response.context["rows"]}
    assert sorted(shown) == list(range(1, 11))
    for dyad, row in shown.items():
        for role, counts, _rate in row["partners"]:
            ref = log[f"{dyad}{role}"]
            assert (counts.sent, counts.answered, counts.expired, counts.open) == (
                ref["sent"],
                ref["answered"],
                ref["expired"],
                0,
            )
        couple = [log[f"{dyad}A"], log[f"{dyad}B"]]
        answered = sum(c["answered"] for c in couple)
        closed = sum(c["sent"] for c in couple)
        assert row["c"].counts.rate == answered / closed
        assert row["c"].below == (answered / closed < sim.study.compliance_threshold)
    assert [r["c"].dyad for r in response.context["flagged"]] == [LOW_COUPLE]
    assert "dyad 4" in response.content.decode()


def test_occasions_answered_by_both_one_or_neither_equal_the_log(sim: SimStudy) -> None:
    response = _researcher(sim).get(reverse("research:compliance", kwargs={"pk": sim.study.pk}))
    outcome: dict[tuple[int, int, int], list[bool]] = defaultdict(list)
    events = PromptEvent.objects.filter(prompt__study=sim.study, to_state="sent").values_list(
        "prompt__participant__enrolment__number", "prompt__day", "prompt__beep", "prompt_id"
    )
    submitted = set(
        PromptEvent.objects.filter(prompt__study=sim.study, to_state="submitted").values_list(
            "prompt_id", flat=True
        )
    )
    for dyad, day, beep, prompt_id in events:
        outcome[(dyad, day, beep)].append(prompt_id in submitted)
    for row in response.context["rows"]:
        mine = [v for (d, _day, _beep), v in outcome.items() if d == row["c"].dyad and len(v) == 2]
        assert row["c"].both == sum(all(v) for v in mine)
        assert row["c"].neither == sum(not any(v) for v in mine)
        assert row["c"].one == len(mine) - row["c"].both - row["c"].neither
    # the rate by day, too
    days = {d["day"]: d for d in response.context["days"]}
    sent_by_day: dict[int, int] = defaultdict(int)
    answered_by_day: dict[int, int] = defaultdict(int)
    for _dyad, day, _beep, prompt_id in events:
        sent_by_day[day] += 1
        answered_by_day[day] += prompt_id in submitted
    assert {d: (v["closed"], v["answered"]) for d, v in days.items()} == {
        d: (sent_by_day[d], answered_by_day[d]) for d in sent_by_day
    }


def _cli(*args: str) -> dict:
    done = subprocess.run([CLI, "fit", *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_study_pages_numbers_equal_the_command_lines_on_the_export(
    sim: SimStudy, tmp_path: Path
) -> None:
    client = _researcher(sim)
    response = client.post(
        reverse("research:analysis", kwargs={"pk": sim.study.pk}),
        {"var": "mood", "min_occasions": "10"},
    )
    assert response.status_code == 302
    run = AnalysisRun.objects.get(study=sim.study)
    assert run.state == "done", run.error
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "actor@A" in text and "counterpoint fit var long.csv" in text

    export = tmp_path / "long.csv"
    export.write_bytes(_download(sim, "long.csv"))
    common = ["--dyad", "dyad", "--person", "person", "--role", "role", "--time", "occasion"]
    common += ["--day", "day", "--var", "mood", "--json"]
    pooled = _cli("var", str(export), *common)
    assert run.result["var"] == pooled
    assert pooled["n_dyads"] == 10
    couples = _cli("couple-var", str(export), *common, "--min-occasions", "10")
    assert run.result["couple_var"] == couples
    fitted = [d for d in couples["dyads"] if d["reason"] is None]
    assert len(fitted) >= 5, [(d["n_occasions"], d["reason"]) for d in couples["dyads"]]
    # the command the page prints is the one run here
    assert page.context["cli_var"].split()[3:] == ["long.csv", *common]

    parquet = tmp_path / "long.parquet"
    parquet.write_bytes(_download(sim, "long.parquet"))
    assert _cli("var", str(parquet), *common) == pooled


def test_a_run_whose_worker_was_killed_is_started_again_then_given_up_with_a_reason(
    sim: SimStudy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large study's run goes to the task runner. Its task dies with a killed worker (here: the
    test's transaction never commits, so the enqueue never happens); the minute task starts it
    again, and after three stops the run fails and says why instead of "running" forever."""
    import datetime as dt

    from django.utils import timezone

    from counterpoint.research import analysis

    client = _researcher(sim)
    url = reverse("research:analysis", kwargs={"pk": sim.study.pk})
    inline = client.post(url, {"var": "mood", "min_occasions": "10"})
    expected = AnalysisRun.objects.get(pk=int(inline["Location"].rstrip("/").split("/")[-1]))
    assert expected.state == "done" and expected.attempts == 1

    monkeypatch.setattr(analysis, "INLINE_ROWS", 0)  # this study now counts as large
    response = client.post(url, {"var": "mood", "min_occasions": "10"})
    run = AnalysisRun.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert (run.state, run.attempts) == ("running", 0)
    assert "Running on the task runner" in client.get(response["Location"]).content.decode()
    assert analysis.analysis_runs_requeue() == 0  # asked for a moment ago: still waiting its turn

    # a worker took it up eleven minutes ago and was killed mid-fit
    AnalysisRun.objects.filter(pk=run.pk).update(
        attempts=1, started_at=timezone.now() - dt.timedelta(minutes=11)
    )
    assert analysis.analysis_runs_requeue() == 1  # the runner is immediate in tests: it ran
    run.refresh_from_db()
    assert (run.state, run.attempts) == ("done", 2)
    assert run.result == expected.result

    # a run killed three times is not tried a fourth: it fails, and the page says why
    again = client.post(url, {"var": "mood", "min_occasions": "10"})
    stuck = AnalysisRun.objects.get(pk=int(again["Location"].rstrip("/").split("/")[-1]))
    AnalysisRun.objects.filter(pk=stuck.pk).update(
        attempts=analysis.RUN_MAX_ATTEMPTS, started_at=timezone.now() - dt.timedelta(minutes=11)
    )
    assert analysis.analysis_runs_requeue() == 0
    stuck.refresh_from_db()
    assert stuck.state == "failed" and "stopped before it finished 3 times" in stuck.error
    assert "stopped before it finished" in client.get(again["Location"]).content.decode()


def test_the_pairwise_file_and_the_codebook_describe_the_same_rows(sim: SimStudy) -> None:
    long = _csv_rows(_download(sim, "long.csv"))
    pairwise = _csv_rows(_download(sim, "pairwise.csv"))
    assert len(pairwise) == len(long)
    by_key = {(r["dyad"], r["occasion"], r["role"]): r for r in long}
    for r in pairwise[:200]:
        other = by_key[(r["dyad"], r["occasion"], "B" if r["role"] == "A" else "A")]
        assert r["mood_P"] == other["mood"] and r["status_P"] == other["status"]
        assert r["mood_A"] == by_key[(r["dyad"], r["occasion"], r["role"])]["mood"]
    book = json.loads(_download(sim, "codebook.json"))
    assert [c["name"] for c in book["columns"]] == list(long[0].keys())
    assert book["columns"][-2]["values"] == {"1": "home", "2": "work", "3": "elsewhere"}
    assert "| mood | integer |" in _download(sim, "codebook.md").decode()


def test_a_participant_downloads_their_own_rows_only(sim: SimStudy) -> None:
    me = Participant.objects.select_related("user").get(study=sim.study, person_code="3A")
    partner = Participant.objects.get(study=sim.study, person_code="3B")
    client = Client()
    client.force_login(me.user)
    response = client.get(reverse("research:my_data", kwargs={"pk": me.pk}))
    assert response.status_code == 200
    rows = _csv_rows(response.content)
    assert {r["person"] for r in rows} == {"3A"}
    assert len(rows) == DAYS * len(TIMES)
    researcher_rows = [r for r in _csv_rows(_download(sim, "long.csv")) if r["person"] == "3A"]
    assert rows == researcher_rows
    # the partner's participation is not theirs to download
    assert client.get(reverse("research:my_data", kwargs={"pk": partner.pk})).status_code == 404
