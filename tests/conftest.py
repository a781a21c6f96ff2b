from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """Web tests hash test passwords with MD5 for speed; argon2 is what settings configure
    (checked in tests/web/test_settings.py)."""
    if "django_db_setup" in request.fixturenames or "db" in request.fixturenames:
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_inline() -> None:
    """Tests run background tasks on the spot (huey's immediate mode, in memory): what the worker
    would do happens before the test looks."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


@pytest.fixture(autouse=True)
def _photos_in_a_temporary_folder(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Memory photos written by a test go to a fresh folder, never to the developer's var/."""
    if "django_db_setup" in request.fixturenames or "db" in request.fixturenames:
        settings = request.getfixturevalue("settings")
        folder = tmp_path_factory.mktemp("photos")
        settings.STORAGES = {
            **settings.STORAGES,
            "photos": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(folder), "base_url": None},
            },
        }


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: row ids (and so cache keys) repeat across tests."""
    from django.core.cache import cache

    cache.clear()
