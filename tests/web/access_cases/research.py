"""Access cases for research mode: participants, the researcher of the study, a researcher of
another study, non-participants and visitors."""

from __future__ import annotations

from tests.web.access import PUBLIC, SIGNED_IN_ONLY, Case, expect
from tests.web.conftest import WORLD_SEEDERS
from tests.web.research_world import seed_research

WORLD_SEEDERS.append(seed_research)

NOBODY = {"A": 404, "B": 404, "C": 404, "T": 404, "anon": 302}
ALICE_ONLY = expect(NOBODY, A=200)
ALICE_POST = expect(NOBODY, A=302)
ONLY_ITS_RESEARCHER = expect(NOBODY, R=200, R_other=404)
RESEARCHER_POST = expect(NOBODY, R=302, R_other=404)
STUDY_FORM = {
    "title": "Moods through the day",
    "description": "How two people's moods move together.",
    "consent_text": "Short questions when a prompt comes. Leave at any time; keep or delete.",
    "items": "mood | checkin\ncalm | scale | How calm are you? | not at all / very",
    "schedule_kind": "fixed",
    "times": "09:00, 20:00",
    "duration_days": "7",
    "window_minutes": "30",
    "grace_minutes": "5",
    "compliance_threshold": "80",
}


def _pk(name: str):
    return lambda w: {"pk": w.objects[name].pk}


def _code(name: str):
    return lambda w: {"code": w.objects[name].code}


CASES = [
    # participants
    Case("research:mine", SIGNED_IN_ONLY),
    Case("research:join", SIGNED_IN_ONLY, kwargs=_code("study")),
    Case(
        "research:join",
        expect(SIGNED_IN_ONLY, C=302, T=400, R=400),
        kwargs=_code("study"),
        method="post",
        data=lambda w: {"version": "1", "agree": "on"},
        label="consent",
    ),
    # A draft's link: only its researcher, to preview what participants will see.
    Case("research:join", expect(NOBODY, R_other=200), kwargs=_code("study_other"), label="draft"),
    Case("research:answer", ALICE_ONLY, kwargs=_pk("prompt_alice")),
    Case(
        "research:answer",
        ALICE_POST,
        kwargs=_pk("prompt_alice"),
        method="post",
        data=lambda w: {"mood": "6", "calm": "7", "note": "fine"},
        label="submit",
    ),
    Case("research:withdraw", ALICE_ONLY, kwargs=_pk("participant_alice")),
    Case(
        "research:withdraw",
        ALICE_POST,
        kwargs=_pk("participant_alice"),
        method="post",
        data=lambda w: {"choice": "keep"},
        label="post",
    ),
    # researchers
    Case("research:home", PUBLIC),
    Case("research:profile", SIGNED_IN_ONLY),
    Case(
        "research:profile",
        expect(SIGNED_IN_ONLY, A=302, B=302, C=302, T=302),
        method="post",
        data=lambda w: {"name": "Pat", "institution": "A Lab", "contact": "pat@lab.example"},
        label="post",
    ),
    # Without a researcher profile, "new study" leads to setting one up first.
    Case("research:study_new", expect(NOBODY, A=302, B=302, C=302, T=302, R=200, R_other=200)),
    Case(
        "research:study_new",
        expect(NOBODY, A=302, B=302, C=302, T=302, R=302, R_other=302),
        method="post",
        data=lambda w: STUDY_FORM,
        label="post",
    ),
    Case("research:study", ONLY_ITS_RESEARCHER, kwargs=_pk("study")),
    Case(
        "research:study",
        expect(NOBODY, R=404, R_other=200),
        kwargs=_pk("study_other"),
        label="other study",
    ),
    Case("research:study_edit", ONLY_ITS_RESEARCHER, kwargs=_pk("study")),
    Case(
        "research:study_edit",
        RESEARCHER_POST,
        kwargs=_pk("study"),
        method="post",
        data=lambda w: {
            **STUDY_FORM,
            "title": "Moods through the whole day",
            "items": f"{STUDY_FORM['items']}\nnote | text | Anything to add?",
            "times": f"{w.objects['prompt_alice'].local_time:%H:%M}",
        },
        label="post",
    ),
    Case(
        "research:study_status",
        RESEARCHER_POST,
        kwargs=_pk("study"),
        method="post",
        data=lambda w: {"status": "closed"},
    ),
    Case("research:study_log", ONLY_ITS_RESEARCHER, kwargs=_pk("study")),
]
