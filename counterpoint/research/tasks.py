"""Research work the task runner does on its own: every minute, send, remind and expire prompts."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from counterpoint.research.services import prompts_tick


@db_periodic_task(crontab(minute="*"))
@lock_task("research-prompts")
def run_study_prompts() -> dict[str, int]:
    return prompts_tick()
