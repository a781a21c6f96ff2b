"""Access cases for a study's data pages: export, compliance, analysis in place (its researcher
only) and a participant's own data (that participant only)."""

from __future__ import annotations

from counterpoint.research.analysis import analysis_run_start
from tests.web.access import Case, expect
from tests.web.conftest import WORLD_SEEDERS, World

NOBODY = {"A": 404, "B": 404, "C": 404, "T": 404, "anon": 302, "R": 404, "R_other": 404}
ONLY_ITS_RESEARCHER = expect(NOBODY, R=200)
ONLY_THE_OTHER_STUDYS = expect(NOBODY, R_other=200)


def seed_research_data(w: World) -> None:
    """An analysis Rhea ran on her study (runs after tests/web/access_cases/research.py's seeder)."""
    w.objects["analysis_run"] = analysis_run_start(
        user=w.objects["person:R"], study=w.objects["study"], var="mood", min_occasions=3
    )


WORLD_SEEDERS.append(seed_research_data)


def _study(name: str = "study"):
    return lambda w: {"pk": w.objects[name].pk}


def _file(name: str, study: str = "study"):
    return lambda w: {"pk": w.objects[study].pk, "name": name}


CASES = [
    Case("research:export", ONLY_ITS_RESEARCHER, kwargs=_study()),
    Case("research:export", ONLY_THE_OTHER_STUDYS, kwargs=_study("study_other"), label="other"),
    Case("research:export_file", ONLY_ITS_RESEARCHER, kwargs=_file("long.csv")),
    Case("research:export_file", ONLY_ITS_RESEARCHER, kwargs=_file("pairwise.parquet"), label="pq"),
    Case("research:export_file", ONLY_ITS_RESEARCHER, kwargs=_file("codebook.md"), label="md"),
    Case(
        "research:export_file",
        ONLY_THE_OTHER_STUDYS,
        kwargs=_file("long.csv", "study_other"),
        label="other",
    ),
    Case("research:export_file", NOBODY, kwargs=_file("secrets.txt"), label="unknown file"),
    Case("research:compliance", ONLY_ITS_RESEARCHER, kwargs=_study()),
    Case("research:compliance", ONLY_THE_OTHER_STUDYS, kwargs=_study("study_other"), label="other"),
    Case("research:analysis", ONLY_ITS_RESEARCHER, kwargs=_study()),
    Case(
        "research:analysis",
        expect(NOBODY, R=302),
        kwargs=_study(),
        method="post",
        data=lambda w: {"var": "mood", "min_occasions": "3"},
        label="post",
    ),
    Case(
        "research:analysis",
        expect(NOBODY, R=400),
        kwargs=_study(),
        method="post",
        data=lambda w: {"var": "note", "min_occasions": "3"},
        label="not a number",
    ),
    Case(
        "research:analysis_run",
        ONLY_ITS_RESEARCHER,
        kwargs=lambda w: {"pk": w.objects["study"].pk, "run": w.objects["analysis_run"].pk},
    ),
    Case(
        "research:analysis_run",
        NOBODY,
        kwargs=lambda w: {"pk": w.objects["study_other"].pk, "run": w.objects["analysis_run"].pk},
        label="through another study",
    ),
    Case("research:my_data", expect(NOBODY, A=200), kwargs=_study("participant_alice")),
    Case("research:my_data", expect(NOBODY, B=200), kwargs=_study("participant_bob"), label="bob"),
]
