"""`make run` creates the demo couple through the services; their past must not be mailed out."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from counterpoint.activity.models import NoticePreference
from counterpoint.activity.services import notice_preferences
from counterpoint.couples.demo import DemoCouple
from counterpoint.demo import demo_create
from counterpoint.notify.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_the_demo_history_sends_no_email(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        demo = demo_create()
    assert demo is not None
    assert callbacks, "the seeders queued work through the services"
    assert OutboundEmail.objects.count() == 0
    assert [(m.to, m.subject) for m in mail.outbox] == []


def test_the_demo_people_keep_the_default_email_preferences(demo: DemoCouple) -> None:
    default = NoticePreference._meta.get_field("email_when_asked").default
    for person in (demo.alex, demo.sam):
        assert notice_preferences(user=person).email_when_asked is default
