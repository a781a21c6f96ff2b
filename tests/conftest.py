from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture(autouse=True, scope="session")
def _photo_lock_of_this_process(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test process takes the photo lock (SQLite's lock file) in a folder of its own: a test
    holding it, as a backup does, never holds up another process's removals."""
    from django.conf import settings

    settings.PHOTO_LOCK_FILE = tmp_path_factory.mktemp("locks") / "photos.lock"


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


@pytest.fixture(scope="session")
def _no_collected_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("static-root")


@pytest.fixture(autouse=True)
def _static_as_in_a_fresh_checkout(settings: Any, _no_collected_static: Path) -> None:
    """Pages name static files as in a fresh checkout: the manifest of hashed names that `make run`
    leaves in var/staticfiles must not decide whether a test passes (after `make run`, pages name
    ``vendor/plotly.min.<hash>.js``). Tests that collect static files set their own root."""
    settings.STATIC_ROOT = _no_collected_static


_MIDDLEWARE_LOADED: dict[tuple[Any, ...], Any] = {}


def _settings_fingerprint() -> str:
    """Every setting's value, except the photos folder (a fresh one per test, which no middleware
    reads): a middleware chain loaded under one fingerprint is the chain any Client would load."""
    from django.conf import settings

    values = []
    for name in sorted(n for n in dir(settings) if n.isupper()):
        value = getattr(settings, name)
        if name == "STORAGES":
            value = {k: v for k, v in value.items() if k != "photos"}
        values.append((name, value))
    return repr(values)


@pytest.fixture(autouse=True, scope="session")
def _middleware_loaded_once_per_settings() -> Iterator[None]:
    """Each test ``Client`` has a handler of its own, and a fresh handler loads the whole middleware
    chain on its first request (about 17 ms, most of it WhiteNoise listing every static file):
    thousands of times in a run. A server process loads it once. Here, too, a test process loads it
    once per handler class and settings (a test that changes any setting gets a chain loaded under
    its settings), and every later handler takes that chain; requests run through the same code."""
    from django.test.client import AsyncClientHandler, ClientHandler

    def patched(original: Any) -> Any:
        def load_middleware(self: Any, is_async: bool = False) -> None:
            key = (type(self), is_async, _settings_fingerprint())
            loaded = _MIDDLEWARE_LOADED.get(key)
            if loaded is None:
                original(self, is_async)
                _MIDDLEWARE_LOADED[key] = self
                return
            for name in (
                "_view_middleware",
                "_template_response_middleware",
                "_exception_middleware",
                "_middleware_chain",
            ):
                setattr(self, name, getattr(loaded, name))

        return load_middleware

    with pytest.MonkeyPatch.context() as mp:
        for handler in (ClientHandler, AsyncClientHandler):
            mp.setattr(handler, "load_middleware", patched(handler.load_middleware))
        yield
    _MIDDLEWARE_LOADED.clear()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--record-numbers",
        choices=["random", "descending"],
        default="random",
        help=(
            "random (as in production): new rows get random numbers. descending: each new row's "
            "number is below every earlier one (by a random step), so a test that reads rows made "
            "at the same moment in number order and expects the order they were made fails every "
            "time instead of half the time. CI runs PostgreSQL this way."
        ),
    )


@pytest.fixture(autouse=True, scope="session")
def _record_numbers(request: pytest.FixtureRequest) -> Iterator[None]:
    """With ``--record-numbers=descending``: a new row's number is below every earlier one's.

    Record numbers are random (``counterpoint.numbers``), so rows made at the same instant (a test
    under a frozen clock makes many) come back in a random order wherever the number breaks a tie.
    A test that expects the order they were made passes half the time and fails in someone
    else's run. Descending numbers make it fail every time. The steps are random and large, as
    random numbers' gaps are, so no test of what numbers tell sees a difference."""
    if request.config.getoption("--record-numbers") != "descending":
        yield
        return
    import random

    from counterpoint import numbers

    rng = random.Random()
    state = {"next": numbers.RECORD_NUMBER_LIMIT - 1 - rng.randrange(2**24)}

    def descending() -> int:
        state["next"] -= rng.randrange(2**20, 2**24)
        assert state["next"] > 0, "descending record numbers ran out"
        return state["next"]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(numbers, "new_record_number", descending)
        yield
