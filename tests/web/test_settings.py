"""Production settings pass Django's deployment checks, and every setting is documented."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_under_production_settings(tmp_path: Path) -> None:
    # The browser tests' fixtures set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a server never has it.
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "counterpoint.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "couples.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        "COUNTERPOINT_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "counterpoint.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_every_environment_setting_is_documented() -> None:
    names: set[str] = set()
    for path in (ROOT / "counterpoint" / "settings").glob("*.py"):
        text = path.read_text()
        names |= set(re.findall(r"os\.environ(?:\.get)?\(\s*\"([A-Z_]+)\"", text))
        names |= set(re.findall(r"os\.environ\[\"([A-Z_]+)\"\]", text))
        names |= set(re.findall(r"env_(?:bool|list)\(\s*\"([A-Z_]+)\"", text))
    docs = (ROOT / "docs" / "deploy.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in docs)
    assert names, "found no settings to check"
    assert not missing, f"settings not documented in docs/deploy.md: {missing}"


@pytest.mark.django_db
def test_postgresql_prepares_a_statement_run_five_times() -> None:
    """On PostgreSQL (CI's second pass) the server binds parameters and a statement a connection
    runs again and again is prepared once: PostgreSQL then parses and plans it once, not on every
    request (docs/capacity.md)."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (DATABASE_URL=postgres://…)")
    from counterpoint.accounts.models import User

    query = User.objects.filter(email="nobody@example.org")
    for _ in range(6):
        assert not query.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("accounts_user" in statement and "$1" in statement for statement in prepared), (
        prepared
    )


def test_prepared_statements_can_be_turned_off(tmp_path: Path) -> None:
    """``POSTGRES_PREPARED_STATEMENTS=off`` (behind a pooler in transaction mode) leaves Django's
    client-side binding, which prepares nothing."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default'].get('OPTIONS', {}))"
    )
    url = "postgres://postgres@127.0.0.1:5432/unused"
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    runs = {
        value: subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**base, "DATABASE_URL": url, "POSTGRES_PREPARED_STATEMENTS": value},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for value in ("on", "off")
    }
    assert "'server_side_binding': True" in runs["on"] and "'prepare_threshold': 5" in runs["on"]
    assert "server_side_binding" not in runs["off"] and "prepare_threshold" not in runs["off"]
