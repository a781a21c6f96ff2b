"""Garbage JSON from a visitor gets a clear 400 and changes nothing: the shared parser, push
subscriptions, passkey answers. The sweep over every URL is tests/web/test_garbage_sweep.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.models import Passkey
from counterpoint.http import BadJSON, json_parse
from counterpoint.notify.models import PushSubscription
from tests.web.conftest import World
from tests.web.push_endpoint import FakeBrowserKeys

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"a": "x\\u0000y"}', "NUL"),
        ('{"a": "x\x00y"}', "JSON"),
        (b'{"a": "\\ud800"}', "surrogate"),
        ('{"a": ' * 100_000 + "1" + "}" * 100_000, "deep"),
        (DEEP, "deep"),
        ('{"a": ' * 40 + "1" + "}" * 40, "deep"),
        (b"[1, 2]", "object"),
        (b'"just a string"', "object"),
        (b"\xff\xfe{}", "UTF-8"),
        (b'{"a": NaN}', "JSON"),
        (b"{", "JSON"),
        (b"", "JSON"),
    ],
)
def test_json_parse_refuses_garbage_with_a_reason(raw: bytes | str, reason: str) -> None:
    with pytest.raises(BadJSON) as caught:
        json_parse(raw)
    assert reason.lower() in str(caught.value).lower()


def test_json_parse_reads_an_ordinary_object() -> None:
    assert json_parse(b'{"a": [1, {"b": "\\u00e9"}]}') == {"a": [1, {"b": "é"}]}
    assert json_parse('{"keys": {"auth": "x"}}') == {"keys": {"auth": "x"}}


def _subscription(keys: FakeBrowserKeys, endpoint: str, **extra: Any) -> dict[str, Any]:
    return {"endpoint": endpoint, "keys": {"p256dh": keys.p256dh, "auth": keys.auth}, **extra}


@pytest.mark.parametrize(
    "body",
    [
        '{"endpoint": "https://push.example.invalid/a\\u0000b"}',
        '{"endpoint": ' * 50_000 + "1" + "}" * 50_000,
        "[" * 50_000 + "]" * 50_000,
        '["https://push.example.invalid/x"]',
        '{"endpoint": "https://push.example.invalid/\\udc80"}',
    ],
)
def test_a_garbage_subscription_body_is_a_clear_400(world: World, body: str) -> None:
    before = PushSubscription.objects.count()
    response = world.client_for("B").post(
        reverse("notify:subscribe"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]
    assert PushSubscription.objects.count() == before


def test_an_endpoint_longer_than_the_column_is_refused_not_cut(world: World) -> None:
    client = world.client_for("B")
    keys = FakeBrowserKeys()
    prefix = "https://push.example.invalid/" + "a" * 1000
    before = PushSubscription.objects.count()
    for tail in ("first", "second"):
        body = _subscription(keys, prefix + tail)
        response = client.post(
            reverse("notify:subscribe"), json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 400
        assert "too long" in response.json()["error"]
    assert PushSubscription.objects.count() == before


@pytest.mark.parametrize("field", ["p256dh", "auth"])
def test_keys_with_junk_around_them_are_refused_not_cut(world: World, field: str) -> None:
    keys = FakeBrowserKeys()
    body = _subscription(keys, "https://push.example.invalid/junk")
    body["keys"][field] = "!" * 300 + body["keys"][field]
    response = world.client_for("B").post(
        reverse("notify:subscribe"), json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    assert not PushSubscription.objects.filter(endpoint__endswith="/junk").exists()


def test_a_long_device_label_is_refused_not_cut(world: World) -> None:
    keys = FakeBrowserKeys()
    body = _subscription(keys, "https://push.example.invalid/label", label="L" * 121)
    response = world.client_for("B").post(
        reverse("notify:subscribe"), json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    assert not PushSubscription.objects.filter(endpoint__endswith="/label").exists()


@pytest.mark.parametrize(
    "credential",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"id": "a\\u0000b"}',
        '["AAAA"]',
        '{"id": "\\ud800"}',
    ],
)
def test_a_garbage_passkey_answer_is_a_clear_400(world: World, credential: str) -> None:
    anon = Client(raise_request_exception=False)
    anon.post(reverse("accounts:passkey_sign_in_options"))
    response = anon.post(reverse("accounts:passkey_sign_in"), {"credential": credential})
    assert response.status_code == 400
    assert response.json()["error"]

    signed_in = world.client_for("A")
    signed_in.raise_request_exception = False
    before = Passkey.objects.count()
    signed_in.post(reverse("accounts:passkey_register_options"))
    response = signed_in.post(
        reverse("accounts:passkey_register"), {"credential": credential, "name": "Phone"}
    )
    assert response.status_code == 400
    assert response.json()["error"]
    assert Passkey.objects.count() == before


@pytest.mark.parametrize(
    ("route", "kwargs"),
    [
        ("decisions:new", None),
        ("plans:new", None),
        ("research:withdraw", "participant_alice"),
        ("research:profile", None),
    ],
)
def test_a_post_with_no_fields_at_all_shows_what_is_missing(
    world: World, route: str, kwargs: str | None
) -> None:
    """Found by tests/web/test_garbage_later_states.py: ``Form(request.POST or None)`` took an
    empty POST for a GET and showed the blank form again, without a word."""
    import re

    from django.apps import apps
    from django.db import connection

    client = world.client_for("A")
    tables = connection.introspection.django_table_names(only_existing=True)
    models = [m for m in apps.get_models() if m._meta.db_table in tables]
    before = {m._meta.label: m._default_manager.count() for m in models}
    args = [world.objects[kwargs].pk] if kwargs else []
    response = client.post(reverse(route, args=args), {})
    assert response.status_code in (200, 400)
    assert re.search(r'role="alert"|class="errorlist', response.content.decode())
    assert {m._meta.label: m._default_manager.count() for m in models} == before
