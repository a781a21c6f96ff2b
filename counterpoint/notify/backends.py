"""An email backend that only stores: the task runner delivers, so no request waits on SMTP."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

QUEUED_AS = "counterpoint_outbound_pk"  # set on a message once stored: its OutboundEmail's pk


class QueuedEmailBackend(BaseEmailBackend):
    """``send_mail`` and friends write an :class:`OutboundEmail`; a task sends it after commit."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from counterpoint.notify.services import email_queue

        count = 0
        for message in email_messages:
            try:
                setattr(message, QUEUED_AS, email_queue(message=message).pk)
            except Exception:
                if not self.fail_silently:
                    raise
            else:
                count += 1
        return count

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
