"""The tests build their database from the models (pytest ``--no-migrations``, see pyproject.toml):
fast, and the same schema as long as the migrations match the models. These tests keep it so:
the migrations must describe the models exactly and must apply, in order, to an empty database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'migrations.sqlite3'}",
        COUNTERPOINT_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="counterpoint.settings",
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_migrations_describe_the_models_exactly(tmp_path: Path) -> None:
    done = _manage(tmp_path, "makemigrations", "--check", "--dry-run")
    assert done.returncode == 0, f"a model change has no migration:\n{done.stdout}{done.stderr}"


def test_every_migration_applies_to_an_empty_database(tmp_path: Path) -> None:
    done = _manage(tmp_path, "migrate", "--noinput")
    assert done.returncode == 0, done.stderr
    plan = _manage(tmp_path, "showmigrations", "--plan")
    assert plan.returncode == 0, plan.stderr
    applied = [line for line in plan.stdout.splitlines() if line.startswith("[X]")]
    unapplied = [line for line in plan.stdout.splitlines() if line.startswith("[ ]")]
    assert applied and not unapplied, plan.stdout
