"""Analysis in place: the engine's multilevel and per-couple VAR on a study's long table.

The fits read exactly what ``counterpoint fit`` reads from the exported file: the long table's
``dyad``, ``person``, ``role``, ``occasion`` (the engine's time) and, when the schedule has several
prompts a day, ``day`` (so lags stop at each night). :func:`cli_command` writes the command that
reproduces a fit from the downloaded CSV; the tests run it and compare the numbers.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from counterpoint.science import DyadDataError, DyadicData
from counterpoint.science.couple_var import MIN_OCCASIONS, CoupleVAR
from counterpoint.science.mlvar import DyadicVAR

__all__ = ["MIN_OCCASIONS", "Analysis", "analyse", "cli_command", "uses_days"]
logger = logging.getLogger(__name__)


def uses_days(long: pd.DataFrame) -> bool:
    """True when some person has several prompts on one day (then lags must not cross nights)."""
    return bool(long.groupby(["person", "day"]).size().gt(1).any())


def _data(long: pd.DataFrame, var: str) -> DyadicData:
    day = "day" if uses_days(long) else None
    columns = ["dyad", "person", "role", "occasion", *([day] if day else []), var]
    frame = long.loc[:, columns].copy()
    frame[var] = frame[var].astype("float64")  # as read back from the CSV: missing = NaN
    frame["person"] = frame["person"].astype(object)
    frame["role"] = frame["role"].astype(object)
    return DyadicData(
        frame, dyad="dyad", person="person", role="role", time="occasion", day=day, variables=[var]
    )


@dataclass
class Analysis:
    """Both fits of one item: each result's JSON-ready dict, or the reason it could not be fitted."""

    var: str
    min_occasions: int
    uses_days: bool
    pooled: dict[str, Any] | None
    pooled_error: str
    couples: dict[str, Any] | None
    couples_error: str
    seconds: float

    def cli(self, model: str, filename: str = "study.csv") -> str:
        return cli_command(
            model,
            var=self.var,
            filename=filename,
            days=self.uses_days,
            min_occasions=self.min_occasions,
        )


def analyse(long: pd.DataFrame, var: str, *, min_occasions: int = MIN_OCCASIONS) -> Analysis:
    """Fit the multilevel VAR (``var``) and the per-couple VAR (``couple-var``) of ``var``."""
    t0 = time.perf_counter()
    pooled = couples = None
    pooled_error = couples_error = ""
    try:
        data = _data(long, var)
    except DyadDataError as exc:
        message = str(exc)
        return Analysis(var, min_occasions, False, None, message, None, message, 0.0)
    pooled, pooled_error = _fitted(lambda: DyadicVAR(data, var).fit().to_dict())
    couples, couples_error = _fitted(
        lambda: CoupleVAR(data, var, min_occasions=min_occasions).fit().to_dict()
    )
    return Analysis(
        var=var,
        min_occasions=min_occasions,
        uses_days=data.day_col is not None,
        pooled=pooled,
        pooled_error=pooled_error,
        couples=couples,
        couples_error=couples_error,
        seconds=time.perf_counter() - t0,
    )


# Said when the engine stops on something other than its own account of the data.
UNEXPECTED = (
    "the engine stopped on an error it has no explanation for yet ({name}); it has been logged. "
    "The exported data and the command shown give the same fit to try outside the app."
)


def _fitted(fit: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any] | None, str]:
    """(the fit's numbers, "") or (None, why not). Participants' answers can take any shape, so
    an error the engine does not explain ends this fit with a message and a log entry; it never
    takes the study's page down (a server error) or leaves the run waiting for ever."""
    try:
        return fit(), ""
    except DyadDataError as exc:
        return None, str(exc)
    except Exception as exc:  # the fit reads only the frame given: no database, no network
        logger.exception("the engine stopped on a study's data")
        return None, UNEXPECTED.format(name=type(exc).__name__)


def cli_command(
    model: str, *, var: str, filename: str, days: bool, min_occasions: int = MIN_OCCASIONS
) -> str:
    """The ``counterpoint fit`` command that gives the same numbers from the exported CSV."""
    parts = [
        "counterpoint fit",
        model,
        filename,
        "--dyad dyad --person person --role role --time occasion",
    ]
    if days:
        parts.append("--day day")
    elif model == "var":
        parts.append("--no-day")
    parts.append(f"--var {var}")
    if model == "couple-var" and min_occasions != MIN_OCCASIONS:
        parts.append(f"--min-occasions {min_occasions}")
    parts.append("--json")
    return " ".join(parts)


# -- runs from the study page ---------------------------------------------------------------------
# A study with at most this many prompts is fitted during the request; a larger one on the task
# runner, with a "running" page. Measured in CPU seconds (docs/research-data.md): reading the long
# table from the database costs about 45 µs a row, both fits 0.2-0.7 s (1,120 to 50,400 rows), so
# 10,000 rows take under a second and a 300-couple study (50,400 rows) about three.
INLINE_ROWS = 10_000


def analysis_run_start(*, user: Any, study: Any, var: str, min_occasions: int) -> Any:
    """Record a run and fit it now (small study) or on the task runner (large); returns the run."""
    from django.db import transaction

    from counterpoint.research.runs.models import AnalysisRun
    from counterpoint.research.runs.tasks import analysis_run_task

    with transaction.atomic():
        run = AnalysisRun.objects.create(
            study=study, requested_by=user, var=var, min_occasions=min_occasions
        )
    if study.prompts.count() <= INLINE_ROWS:
        analysis_run_execute(run_id=run.pk)
        run.refresh_from_db()
    else:
        transaction.on_commit(lambda: analysis_run_task(run.pk))
    return run


def analysis_run_execute(*, run_id: int) -> None:
    """Read the study's long table as the researcher who asked, fit, store the numbers."""
    from django.db import transaction
    from django.db.models import F, Q
    from django.utils import timezone

    from counterpoint.research.exports import study_long_frame
    from counterpoint.research.runs.models import AnalysisRun

    now = timezone.now()
    claimed = (
        AnalysisRun.objects.filter(pk=run_id, state=AnalysisRun.State.RUNNING)
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=now - RUN_CLAIM))
        .update(attempts=F("attempts") + 1, started_at=now)
    )
    if not claimed:  # done, failed, or another worker is fitting it right now
        return
    run = AnalysisRun.objects.select_related("study", "requested_by").get(pk=run_id)
    t0 = time.perf_counter()
    try:
        long = study_long_frame(run.requested_by, run.study)
        if long.empty:
            raise DyadDataError("the study has no prompts yet")
        result = analyse(long, run.var, min_occasions=run.min_occasions)
    except DyadDataError as exc:
        fields: dict[str, Any] = {"state": AnalysisRun.State.FAILED, "error": str(exc)}
    else:
        fields = {
            "state": AnalysisRun.State.DONE,
            "rows": len(long),
            "result": {
                "var": result.pooled,
                "var_error": result.pooled_error,
                "couple_var": result.couples,
                "couple_var_error": result.couples_error,
                "uses_days": result.uses_days,
            },
        }
    fields |= {"seconds": time.perf_counter() - t0, "finished_at": timezone.now()}
    with transaction.atomic():
        AnalysisRun.objects.filter(pk=run.pk, state=AnalysisRun.State.RUNNING).update(**fields)


# A worker holds a run this long while it fits (a 300-couple study takes about three seconds).
RUN_CLAIM = dt.timedelta(minutes=10)
# analysis_runs_requeue (every minute) starts again a run never taken up this long after it was
# asked for, or taken up longer ago than RUN_CLAIM and still running: its worker (or the web
# process fitting a small one) was killed. After RUN_MAX_ATTEMPTS it fails, saying why.
RUN_REQUEUE_UNTAKEN = dt.timedelta(minutes=2)
RUN_MAX_ATTEMPTS = 3


def analysis_runs_requeue(*, now: dt.datetime | None = None) -> int:
    """Start again the runs whose worker was killed mid-fit; returns how many were queued."""
    from django.db.models import Q
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from counterpoint.research.runs.models import AnalysisRun
    from counterpoint.research.runs.tasks import analysis_run_task

    now = now or timezone.now()
    stalled = AnalysisRun.objects.filter(state=AnalysisRun.State.RUNNING).filter(
        Q(started_at__isnull=True, created_at__lt=now - RUN_REQUEUE_UNTAKEN)
        | Q(started_at__lt=now - RUN_CLAIM)
    )
    stalled.filter(attempts__gte=RUN_MAX_ATTEMPTS).update(
        state=AnalysisRun.State.FAILED,
        finished_at=now,
        error=_(
            "The analysis stopped before it finished %(n)d times (the server was restarted while "
            "it ran). Start it again; if it stops again, tell whoever runs this server."
        )
        % {"n": RUN_MAX_ATTEMPTS},
    )
    pks = list(stalled.filter(attempts__lt=RUN_MAX_ATTEMPTS).values_list("pk", flat=True)[:100])
    for pk in pks:
        analysis_run_task(pk)
    return len(pks)


def analysis_runs(*, user: Any, study: Any) -> Any:
    """The runs this researcher made of this study, newest first, without any that used answers
    since deleted: a run finished before a participant left and chose "delete" holds numbers made
    from their answers, so it is deleted too, as that participant was promised."""
    from django.db.models import Max

    from counterpoint.research.models import Participant
    from counterpoint.research.runs.models import AnalysisRun

    last_deletion = Participant.objects.filter(
        study=study, withdrawal_choice=Participant.Withdrawal.DELETE
    ).aggregate(at=Max("withdrawn_at"))["at"]
    if last_deletion is not None:
        AnalysisRun.objects.filter(study=study, created_at__lte=last_deletion).delete()
    return AnalysisRun.objects.filter(study=study, requested_by=user)
