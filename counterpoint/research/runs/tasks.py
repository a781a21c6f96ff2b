"""Analyses too large to fit during the request run here, on the task runner."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def analysis_run_task(run_id: int) -> None:
    from counterpoint.research.analysis import analysis_run_execute

    analysis_run_execute(run_id=run_id)


@db_periodic_task(crontab(minute="*"))
def requeue_stalled_runs() -> int:
    from counterpoint.research.analysis import analysis_runs_requeue

    return analysis_runs_requeue()
