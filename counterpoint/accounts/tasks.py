"""Background work for accounts, run by the huey consumer that ``make run`` starts."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from counterpoint.accounts import deletion, services


@db_task(retries=2, retry_delay=60)
def signup_email(
    *, email: str, password_hash: str, display_name: str, time_zone: str, next_url: str
) -> None:
    services.signup_email_send(
        email=email,
        password_hash=password_hash,
        display_name=display_name,
        time_zone=time_zone,
        next_url=next_url,
    )


@db_task()
def finish_account_deletion(pk: int) -> bool:
    """The rest of an account too large to delete in its request (accounts/deletion.py)."""
    return deletion.account_deletion_finish(pk)


@db_periodic_task(crontab(minute="*"))
@lock_task("account-deletions")
def finish_account_deletions() -> int:
    """Every minute: any account deletion whose task was lost or failed is finished."""
    return deletion.account_deletions_finish()
