"""The tests build their database from the models (pytest ``--no-migrations``, see pyproject.toml):
fast, and the same schema as long as the migrations match the models. These tests keep it so:
the migrations must describe the models exactly and must apply, in order, to an empty database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# ``migrate`` then ``showmigrations --plan`` in one interpreter: Django starts once, and the system
# checks run once (with migrate, as ``manage.py migrate`` runs them), not once per command.
MIGRATE_THEN_SHOW_PLAN = """
import django
from django.core.management import call_command

django.setup()
call_command("migrate", interactive=False, skip_checks=False)
call_command("showmigrations", "--plan")
"""


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'migrations.sqlite3'}",
        COUNTERPOINT_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="counterpoint.settings",
    )
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_migrations_describe_the_models_exactly(tmp_path: Path) -> None:
    done = _run(tmp_path, "manage.py", "makemigrations", "--check", "--dry-run")
    assert done.returncode == 0, f"a model change has no migration:\n{done.stdout}{done.stderr}"


@pytest.mark.slow  # ~10 s: make test and CI run it, make check leaves it out
def test_every_migration_applies_to_an_empty_database(tmp_path: Path) -> None:
    done = _run(tmp_path, "-c", MIGRATE_THEN_SHOW_PLAN)
    assert done.returncode == 0, done.stderr
    plan = done.stdout.splitlines()
    applied = [line for line in plan if line.startswith("[X]")]
    unapplied = [line for line in plan if line.startswith("[ ]")]
    assert applied and not unapplied, done.stdout
