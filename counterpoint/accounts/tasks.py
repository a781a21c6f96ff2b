"""Background work for accounts, run by the huey consumer that ``make run`` starts."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from counterpoint.accounts import services


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
