"""A simulated 14-day study of 10 couples, run through the services as people would.

A researcher sets up the study and opens it; each partner consents on their own; then the clock
(time-machine) moves through the fortnight: at each moment the task runner's minute job runs
(``prompts_tick``: send, remind, expire) and participants open and answer their prompts, or
don't. Non-response is realistic: each person has their own answering rate (one couple much
lower), some open the form and never submit, some answer in the grace period after the window,
and one participant withdraws in the middle (keeping what they answered). Half the couples live in
Berlin, whose clocks go forward on 29 March 2026 (study day 8), half in New York.

Moods come from the engine's own dyadic VAR simulator (``simulate_var``), rounded to the 0–10
scale, so the fits have real dynamics to find.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import numpy as np
import time_machine

from counterpoint.accounts.models import User
from counterpoint.research import services
from counterpoint.research.measures import ItemSpec
from counterpoint.research.models import Participant, Prompt, PromptState, Study
from counterpoint.science.mlvar import simulate_var
from tests.factories import make_couple, make_user

UTC = dt.UTC
ENROL_AT = dt.datetime(2026, 3, 21, 12, 0, tzinfo=UTC)  # day 1 is 22 March in both zones
DAYS = 14
TIMES = ["09:00", "13:00", "17:00", "21:00"]
WINDOW, GRACE, REMINDER = 30, 5, 15
ZONES = ["Europe/Berlin", "America/New_York"]
LOW_COUPLE = 4  # the couple that answers far less often (flagged by the threshold)
WITHDRAWS = (7, "B", 9)  # dyad 7's partner B withdraws on study day 9, keeping their answers
PASSWORD = "research-sim-pw-1"


@dataclass
class SimStudy:
    researcher: User
    study: Study
    people: list[User] = field(default_factory=list)
    actions: dict[str, int] = field(default_factory=dict)  # what the simulated people did


def _mood_series(seed: int) -> dict[tuple[int, str, int, int], int]:
    """(dyad, role, day, beep) → a 0–10 mood from the engine's dyadic VAR simulator."""
    sim = simulate_var(
        10, n_days=DAYS, beeps_per_day=len(TIMES), seed=seed, actor=(0.45, 0.3), partner=(0.2, 0.1)
    )
    y = sim["y"].to_numpy()
    values = np.clip(np.round((y - y.mean()) / y.std() * 1.8 + 5.5), 0, 10).astype(int)
    roles = np.where(sim["role"].to_numpy() == sim["role"].min(), "A", "B")
    return {
        (int(d), str(r), int(day), int(b)): int(v)
        for d, r, day, b, v in zip(sim["dyad"], roles, sim["day"], sim["beep"], values, strict=True)
    }


def build_study(*, couples: int = 10, seed: int = 16, with_passwords: bool = False) -> SimStudy:
    password = PASSWORD if with_passwords else None
    with time_machine.travel(ENROL_AT - dt.timedelta(days=2), tick=False):
        researcher = make_user("rhea@uni.example", "Rhea", password=password)
        services.researcher_profile_save(
            user=researcher,
            name="Dr Rhea",
            institution="Example University",
            contact="rhea@uni.example",
        )
        study = services.study_create(
            researcher=researcher,
            title="Everyday moods in couples",
            description="Four short questions a day for two weeks.",
            consent_text="We keep your answers for ten years under a number, never your name.",
            items=[
                ItemSpec("mood", "checkin"),
                ItemSpec("calm", "scale", "How calm do you feel?", "not at all", "very"),
                ItemSpec(
                    "place", "choice", "Where are you?", choices=("home", "work", "elsewhere")
                ),
                ItemSpec("note", "text", "Anything you'd like to add?"),
            ],
            schedule={"kind": "fixed", "times": TIMES},
            duration_days=DAYS,
            compliance_threshold=0.6,
            window_minutes=WINDOW,
            grace_minutes=GRACE,
            reminder_minutes=REMINDER,
        )
        services.study_set_status(study=study, status=Study.Status.RECRUITING)
    sim = SimStudy(researcher, study)
    for n in range(1, couples + 1):
        tz = ZONES[n % 2]
        a = make_user(f"p{n}a@example.org", f"Partner {n}A", password=password, tz=tz)
        b = make_user(f"p{n}b@example.org", f"Partner {n}B", password=password, tz=tz)
        with time_machine.travel(ENROL_AT - dt.timedelta(hours=3), tick=False):
            make_couple(a, b)
        with time_machine.travel(ENROL_AT + dt.timedelta(minutes=n), tick=False):
            services.study_consent(user=a, study=study, consent_version=1)
        with time_machine.travel(ENROL_AT + dt.timedelta(minutes=30 + n), tick=False):
            services.study_consent(user=b, study=study, consent_version=1)
        sim.people += [a, b]
    return sim


def run_study(sim: SimStudy, *, seed: int = 16, until_day: int = DAYS) -> SimStudy:
    """Move the clock through the study: ticks of the task runner and what each person does."""
    rng = random.Random(seed)
    moods = _mood_series(seed)
    rates = {}
    # Every draw from ``rng`` happens in an order fixed by the study's own numbering, never by
    # record numbers, which are random: the same seed must give the same fortnight on every run.
    participants = Participant.objects.filter(study=sim.study).select_related("enrolment")
    for p in participants.order_by("enrolment__number", "role"):
        base = (
            rng.uniform(0.3, 0.45) if p.enrolment.number == LOW_COUPLE else rng.uniform(0.7, 0.95)
        )
        rates[p.pk] = base
    plan: list[tuple[dt.datetime, int, str, object]] = []  # (when, order, what, arg)
    prompts = list(
        Prompt.objects.filter(study=sim.study, day__lte=until_day)
        .select_related("participant__enrolment", "study")
        .order_by("scheduled_at", "participant__enrolment__number", "participant__role", "beep")
    )
    ticks: set[dt.datetime] = set()
    for prompt in prompts:
        at = prompt.scheduled_at
        ticks |= {
            at,
            at + dt.timedelta(minutes=REMINDER),
            prompt.closes_at,
            prompt.closes_at + dt.timedelta(minutes=GRACE),
        }
        r = rng.random()
        rate = rates[prompt.participant_id]
        if prompt.day in (6, 7, 13, 14):  # weekends: answered a little less often
            rate -= 0.1
        if r < rate:
            if rng.random() < 0.06:  # opened near the end, submitted in the grace period
                opened = prompt.closes_at - dt.timedelta(minutes=1)
                submitted = prompt.closes_at + dt.timedelta(minutes=rng.randint(1, GRACE - 1))
            else:
                opened = at + dt.timedelta(minutes=rng.randint(0, WINDOW - 3), seconds=20)
                submitted = opened + dt.timedelta(minutes=rng.randint(1, 2))
            plan.append((opened, 1, "open", prompt))
            plan.append((submitted, 2, "submit", prompt))
        elif r < rate + 0.05:  # opened, never submitted
            plan.append((at + dt.timedelta(minutes=rng.randint(1, 20)), 1, "open", prompt))
    withdraw_dyad, withdraw_role, withdraw_day = WITHDRAWS
    leaver = Participant.objects.filter(
        study=sim.study, enrolment__number=withdraw_dyad, role=withdraw_role
    ).first()
    if leaver is not None and withdraw_day <= until_day:
        noon = leaver.prompts.get(day=withdraw_day, beep=2).scheduled_at + dt.timedelta(minutes=5)
        plan.append((noon, 0, "withdraw", leaver))
    for t in ticks:
        plan.append((t, 0, "tick", None))
    plan.sort(key=lambda e: (e[0], e[1]))
    counts = {"tick": 0, "open": 0, "submit": 0, "withdraw": 0, "closed": 0}
    withdrawn = False
    for when, _order, what, arg in plan:
        with time_machine.travel(when, tick=False):
            if what == "tick":
                services.prompts_tick()
            elif what == "withdraw":
                services.participant_withdraw(participant=arg, choice="keep")  # type: ignore[arg-type]
                withdrawn = True
            else:
                prompt = Prompt.objects.select_related("study", "participant__enrolment").get(
                    pk=arg.pk  # type: ignore[attr-defined]
                )
                if withdrawn and leaver is not None and prompt.participant_id == leaver.pk:
                    continue
                try:
                    if what == "open":
                        services.prompt_open(prompt=prompt)
                    else:
                        p = prompt.participant
                        key = (p.enrolment.number, p.role, prompt.day, prompt.beep)
                        services.prompt_submit(
                            prompt=prompt,
                            answers={
                                "mood": moods[key],
                                "calm": rng.randint(0, 10),
                                "place": rng.randint(1, 3),
                                "note": rng.choice(["", "", "long day", "a walk together"]),
                            },
                        )
                except services.PromptClosed:
                    counts["closed"] += 1
                    continue
            counts[what] += 1
    end = max(p.closes_at for p in prompts) + dt.timedelta(minutes=GRACE + 1)
    with time_machine.travel(end, tick=False):
        services.prompts_tick()
    sim.actions = counts
    return sim


def open_prompt_states() -> tuple[str, ...]:
    return (PromptState.SCHEDULED, PromptState.SENT, PromptState.OPENED)
