"""Static files after collectstatic: plotly.min.js once, under a content-hashed name, with gzip
and brotli copies, served by whitenoise as cache-forever; pages name that one URL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import RequestFactory

pytestmark = pytest.mark.django_db  # other apps may touch the database on settings changes


@pytest.fixture(scope="module")
def collected_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("static")


@pytest.fixture
def collected(collected_root: Path, settings):
    settings.STATIC_ROOT = collected_root
    if (collected_root / "staticfiles.json").exists():  # collected once for the module
        return collected_root
    # (changing STATIC_ROOT makes Django rebuild the storage for the new root)
    call_command("collectstatic", interactive=False, verbosity=0)
    return collected_root


def test_plotly_is_collected_once_hashed_and_compressed(collected: Path) -> None:
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    hashed = manifest["vendor/plotly.min.js"]
    assert hashed != "vendor/plotly.min.js" and hashed.startswith("vendor/plotly.min.")
    size = (collected / hashed).stat().st_size
    assert size > 1_000_000
    gz, br = (
        (collected / f"{hashed}.gz").stat().st_size,
        (collected / f"{hashed}.br").stat().st_size,
    )
    assert br < gz < size / 3  # compressed to well under a third
    assert [k for k in manifest if "plotly" in k] == ["vendor/plotly.min.js"]
    assert static("vendor/plotly.min.js") == f"/static/{hashed}"


def test_whitenoise_serves_the_hashed_file_forever_and_compressed(
    collected: Path, settings
) -> None:
    from whitenoise.middleware import WhiteNoiseMiddleware

    hashed = json.loads((collected / "staticfiles.json").read_text())["paths"][
        "vendor/plotly.min.js"
    ]
    middleware = WhiteNoiseMiddleware(lambda request: None)
    request = RequestFactory().get(f"/static/{hashed}", HTTP_ACCEPT_ENCODING="gzip, br")
    response = middleware(request)
    assert response is not None and response.status_code == 200
    assert (
        "immutable" in response["Cache-Control"]
        and "max-age=315360000" in response["Cache-Control"]
    )
    assert response["Content-Encoding"] == "br"
    response.close()
