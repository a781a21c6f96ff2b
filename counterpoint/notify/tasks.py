"""Background work for notifications, run by the huey consumer that ``make run`` starts."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from counterpoint.notify import services


@db_task(retries=4, retry_delay=60)
def deliver_email(pk: int) -> bool:
    return services.email_deliver(pk=pk)


@db_task(retries=services.PUSH_MAX_ATTEMPTS - 1, retry_delay=120)
def send_push_message(pk: int) -> str:
    return services.push_deliver(pk=pk)


@db_task(retries=services.PUSH_MAX_ATTEMPTS - 1, retry_delay=120)
def deliver_push(subscription_pk: int, payload: str, ttl: int, ref: str = "") -> str:
    """A push queued by a version before pushes were stored (still in a queue at an upgrade):
    stored now, then delivered as any other."""
    return services.push_deliver_queued_before_upgrade(
        subscription_pk=subscription_pk, payload=payload, ttl=ttl, ref=ref
    )


@db_periodic_task(crontab(minute="*"))
def requeue_lost_pushes() -> int:
    return services.pushes_requeue()


@db_periodic_task(crontab(minute="*/5"))
def requeue_lost_emails() -> int:
    return services.emails_requeue()
