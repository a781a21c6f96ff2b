"""Operability: /healthz, one log line per request, and transactions only around writes."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.services import account_signup
from counterpoint.operations import health

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_when_the_database_answers(client: Client) -> None:
    response = client.get(reverse("pages:healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_with_the_reason_when_a_check_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "CHECKS", [*health.CHECKS, lambda: "task runner: no heartbeat"])
    response = client.get(reverse("pages:healthz"))
    assert response.status_code == 503
    assert b"task runner: no heartbeat" in response.content


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
