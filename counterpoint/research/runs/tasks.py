"""Analyses too large to fit during the request run here, on the task runner."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def analysis_run_task(run_id: int) -> None:
    from counterpoint.research.analysis import analysis_run_execute

    analysis_run_execute(run_id=run_id)
