"""Production settings pass Django's deployment checks, and every setting is documented."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

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
