"""Operability: /healthz, one log line per request, and transactions only around writes."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from counterpoint.accounts.services import account_signup
from counterpoint.operations import health
from counterpoint.operations.tasks import heartbeat_at_start, task_runner_heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_when_the_database_answers_and_the_task_runner_beats(
    client: Client,
) -> None:
    task_runner_heartbeat()  # what the runner does every minute (tests run tasks on the spot)
    response = client.get(reverse("pages:healthz"))
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0] == "ok"
    assert lines[1].startswith("task runner: last heartbeat ") and lines[1].endswith(", ok")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_with_the_reason_when_a_check_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "CHECKS", [*health.CHECKS, lambda: "database: OperationalError"])
    response = client.get(reverse("pages:healthz"))
    assert response.status_code == 503
    assert b"database: OperationalError" in response.content


def test_a_stale_or_missing_task_runner_degrades_healthz_and_fails_it_when_required(
    client: Client,
) -> None:
    url = reverse("pages:healthz")
    missing = client.get(url)
    assert missing.status_code == 200  # pages still work without the runner
    assert missing.content.decode().splitlines()[0] == "degraded"
    assert b"no heartbeat yet" in missing.content
    assert client.get(url, {"require": "tasks"}).status_code == 503

    stale_after = settings.TASKS_HEARTBEAT_STALE_SECONDS
    health.heartbeat_record(now=timezone.now() - dt.timedelta(seconds=stale_after + 60))
    stale = client.get(url)
    assert stale.status_code == 200
    body = stale.content.decode()
    assert body.splitlines()[0] == "degraded" and f"more than {stale_after} s" in body
    age = int(body.split("last heartbeat ")[1].split(" s ago")[0])
    assert stale_after + 60 <= age <= stale_after + 120
    required = client.get(url, {"require": "tasks"})
    assert required.status_code == 503 and b"stale" in required.content

    task_runner_heartbeat()
    assert client.get(url, {"require": "tasks"}).status_code == 200


def test_the_task_runner_beats_when_it_starts_and_every_minute() -> None:
    from huey.contrib.djhuey import HUEY

    assert health.task_runner_state().age_seconds is None
    heartbeat_at_start()
    assert health.task_runner_state().healthy
    for minute in (0, 17, 59):  # the scheduler enqueues it every minute
        due = HUEY.read_periodic(dt.datetime(2026, 11, 30, 12, minute))
        assert "task_runner_heartbeat" in {task.name.rsplit(".", 1)[-1] for task in due}


def test_every_request_logs_one_line_with_an_id_and_a_duration(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="counterpoint.request"):
        response = client.get("/healthz?secret=do-not-log")
    lines = [r.getMessage() for r in caplog.records if r.name == "counterpoint.request"]
    assert len(lines) == 1
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    assert f"id={request_id} method=GET path=/healthz status=200 ms=" in lines[0]
    assert "do-not-log" not in lines[0]


def test_a_proxy_request_id_is_kept_and_a_strange_one_replaced(client: Client) -> None:
    kept = client.get("/healthz", headers={"X-Request-ID": "edge-4f1c9a2b"})
    assert kept["X-Request-ID"] == "edge-4f1c9a2b"
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith=newline"})
    assert replaced["X-Request-ID"] != "bad id\nwith=newline"
    assert len(replaced["X-Request-ID"]) == 32


@pytest.mark.django_db(transaction=True)
def test_reads_run_outside_a_transaction_and_writes_inside_one() -> None:
    """On SQLite a transaction takes the write lock, so a page that only reads must not open one."""
    person = account_signup(email="ops@example.com", password="x" * 12, display_name="Ops")
    client = Client()
    client.force_login(person)
    seen: list[tuple[str, bool]] = []

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append((sql, connection.in_atomic_block))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        assert client.get(reverse("journal:list")).status_code == 200
        reads = list(seen)
        seen.clear()
        response = client.post(reverse("journal:new"), {"body": "A line.", "visibility": "private"})
        assert response.status_code == 302
        writes = [in_atomic for sql, in_atomic in seen if sql.lstrip().upper().startswith("INSERT")]
    assert reads and not any(in_atomic for _, in_atomic in reads)
    assert writes and all(writes)
