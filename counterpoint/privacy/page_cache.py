"""Signed-in pages rendered once per new data: a person's page is reused until what they may read
changes.

``@per_viewer_page`` on a view keeps its rendered ``GET`` response, keyed by:

- the browser session (never shared between people, nor between one person's devices);
- the path and query string, the language, and whether htmx asked for a part of the page;
- the viewer's *stamp* (``viewer_stamp``): the data versions of everything the viewer may read
  (``counterpoint.operations.versions``: all of the viewer's own records, what the partner shares,
  the couple's), the viewer's local day and time zone.

Any write the viewer could see moves a version, so the next view renders afresh. A page that shows
only the viewer's own records (``@per_own_page(reads=...)``: the activity feed, the map) is keyed
by the parts of the version of their own records for the apps it reads, so what the partner writes
for them to read elsewhere, and what they write in other apps, leaves it kept. Parts of a page can
be kept the same way (``{% keep %}``, ``privacy.fragments``).
A partner's private writes move none of them: the viewer's next view is no faster or slower for
them, so its timing does not tell that the partner wrote something private (the insights cache
relies on the same stamp, docs/capacity.md).

What a version cannot see is time. Code whose output changes at a known moment (a study prompt's
window opening or closing, the check-in's evening slot) calls ``changes_at(moment)`` while the page
renders, and the kept page expires then. Every entry also expires after ``PAGE_CACHE_SECONDS`` as a
bound on anything neither can see; ``PAGE_CACHE_SECONDS=0`` turns the cache off.

Per-request values are never kept: the CSRF tokens and the CSP nonce in a kept page are
placeholders, filled with this request's own when it is served. Responses that carry a one-time
message, set a cookie, or are not a plain 200 are served but not kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import (  # type: ignore[attr-defined]
    _unmask_cipher_token,  # the secret a masked token stands for (private, stable since 4.1)
    get_token,
)
from django.utils import timezone

from counterpoint.couples.models import Couple, Membership
from counterpoint.operations.memo import memo_of_request, memoized
from counterpoint.operations.models import DataVersion
from counterpoint.operations.versions import (
    ANY_PART,
    COUPLE_PREFIX,
    GENERATION_SCOPE,
    SHARED_PREFIX,
    part_scope,
    person_scope,
)

_TOKEN = re.compile(rb"\b[A-Za-z0-9]{64}\b")
_CSRF_PLACEHOLDER = b"\x00csrf\x00"
_NONCE_PLACEHOLDER = b"\x00nonce\x00"
# A create form's once-only key (counterpoint/submissions.py): each serving needs its own, or two
# page loads would send the same form twice and the second would be taken for a repeat.
_SUBMISSION_KEY = re.compile(rb'(name="(?:[\w-]+-)?submission_key"[^>]*? value=")[0-9a-f]{32}"')
_KEY_PLACEHOLDER = b"\x00key\x00"
_EXPIRY = "page_cache_changes_at"


# Read by nearly every page and block (the viewer's name, who the partner is): always in a key
# made of parts (``per_own_page(reads=...)``, ``privacy.fragments``).
ALWAYS_READ = ("accounts", "couples")


def viewer_stamp(user: Any, *, own_only: bool = False, reads: tuple[str, ...] = ()) -> str:
    """Which data a person's pages stand for: the versions of what they may read, their local day
    and time zone. Read once per read-only request, before any data, so a kept page never holds
    data older than its key says. ``own_only``: the version of the person's own records alone,
    for a page that shows nothing of anyone else's (``per_own_page``); with ``reads``, only of
    their own records in those apps (the parts of their scope, ``operations.versions``)."""
    own = own_parts(user, reads) if reads else ()
    versions = readable_versions(user, own)
    mine = person_scope(user.pk)
    if reads:
        wanted = {*own, GENERATION_SCOPE}
    elif own_only:
        wanted = {mine, GENERATION_SCOPE}
    moved = ".".join(f"{s}={v}" for s, v in versions if not (own_only or reads) or s in wanted)
    return f"{moved}:{user.local_today().isoformat()}:{user.time_zone}"


def own_parts(user: Any, reads: tuple[str, ...]) -> tuple[str, ...]:
    """The parts of the person's own scope for these apps, those always read, and ``@*``."""
    mine = person_scope(user.pk)
    return tuple(sorted(part_scope(mine, a) for a in {*reads, *ALWAYS_READ, ANY_PART}))


def readable_versions(user: Any, parts: tuple[str, ...] = ()) -> list[tuple[str, int]]:
    """(scope, version) of every scope the person may read (``_readable_versions``), and of
    ``parts`` of their own scope, read once per read-only request."""
    key = ("readable_versions", user.pk, parts)
    return memoized(key, lambda: _readable_versions(user.pk, parts))


def local_stamp(user: Any) -> str:
    """The database's generation, the person's local day and time zone: what every kept page and
    block is keyed by besides versions."""
    generation = dict(readable_versions(user)).get(GENERATION_SCOPE, 0)
    return f"{GENERATION_SCOPE}={generation}:{user.local_today().isoformat()}:{user.time_zone}"


@functools.cache
def _readable_versions_sql(parts: int = 0) -> str:
    """The versions of the person's own scope, their current partner's shared scope and their
    current couple's scope, in one statement (every signed-in page asks, kept or not)."""
    version, membership = DataVersion._meta.db_table, Membership._meta.db_table
    couple = Couple._meta.db_table
    # the person's current membership, in a couple that has not ended
    current = f"FROM {membership} m JOIN {couple} c ON c.id = m.couple_id AND c.ended_at IS NULL"
    mine = "m.user_id = %s AND m.left_at IS NULL"
    partner = (
        f"SELECT '{SHARED_PREFIX}' || CAST(o.user_id AS VARCHAR(20)) {current} "
        f"JOIN {membership} o ON o.couple_id = m.couple_id AND o.left_at IS NULL "
        f"AND o.user_id <> m.user_id WHERE {mine}"
    )
    ours = f"SELECT '{COUPLE_PREFIX}' || CAST(m.couple_id AS VARCHAR(20)) {current} WHERE {mine}"
    return (
        f"SELECT scope, version FROM {version} "
        f"WHERE scope = %s OR scope = '{GENERATION_SCOPE}' OR scope IN ({partner}) "
        f"OR scope IN ({ours}) "
        + (f"OR scope IN ({', '.join(['%s'] * parts)}) " if parts else "")
        + "ORDER BY scope"
    )


def _readable_versions(user_id: int, parts: tuple[str, ...] = ()) -> list[tuple[str, int]]:
    """(scope, version) of every scope the person may read that has been written, by scope. The
    same scopes as ``person_scope``, ``shared_scope(partner)`` and ``couple_scope(couple)``, and
    the database's generation (moved by a restore); a scope never written has no row and so no
    entry (its first write adds one). ``parts``: scopes' parts to read in the same statement."""
    with connection.cursor() as cursor:
        params: list[str | int] = [person_scope(user_id), user_id, user_id, *parts]
        cursor.execute(_readable_versions_sql(len(parts)), params)
        return [(str(scope), int(version)) for scope, version in cursor.fetchall()]


def changes_at(moment: dt.datetime) -> None:
    """Say, while a page renders, that what it shows changes at ``moment`` (an aware datetime):
    the page is not reused after it."""
    memo = memo_of_request()
    if memo is None:
        return
    earliest = memo.get(_EXPIRY)
    if earliest is None or moment < earliest:
        memo[_EXPIRY] = moment


@dataclass(frozen=True)
class _Kept:
    body: bytes
    headers: tuple[tuple[str, str], ...]


def _key(request: HttpRequest, *, own_only: bool, reads: tuple[str, ...] = ()) -> str | None:
    session_key = request.session.session_key
    if not session_key:
        return None
    parts = "\n".join(
        [
            "own:" + ",".join(reads) if own_only else "all",
            session_key,
            request.get_full_path(),
            getattr(request, "LANGUAGE_CODE", ""),
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Target", ""),
            viewer_stamp(request.user, own_only=own_only, reads=reads),
        ]
    )
    return "page:" + hashlib.sha256(parts.encode()).hexdigest()


def _keepable(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        isinstance(response, HttpResponse)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and len(messages.get_messages(request)) == 0
    )


def without_per_request_values(request: HttpRequest, body: bytes) -> bytes:
    """``body`` with this request's CSRF tokens, CSP nonce and once-only form keys replaced by
    placeholders (``filled`` puts a later request's own in their place)."""
    secret = request.META.get("CSRF_COOKIE")

    def token(match: re.Match[bytes]) -> bytes:
        candidate = match.group(0).decode()
        if secret and _unmask_cipher_token(candidate) == secret:
            return _CSRF_PLACEHOLDER
        return match.group(0)

    body = _TOKEN.sub(token, body)
    body = _SUBMISSION_KEY.sub(rb"\1" + _KEY_PLACEHOLDER + b'"', body)
    nonce = getattr(request, "_csp_nonce", None)  # set by django-csp once the render used it
    if isinstance(nonce, str) and nonce:
        body = body.replace(nonce.encode(), _NONCE_PLACEHOLDER)
    return body


def _seconds_to_keep(now: dt.datetime) -> int:
    seconds = settings.PAGE_CACHE_SECONDS
    memo = memo_of_request()
    earliest = memo.get(_EXPIRY) if memo is not None else None
    if earliest is not None:
        seconds = min(seconds, int((earliest - now).total_seconds()))
    return seconds


def _served(request: HttpRequest, kept: _Kept) -> HttpResponse:
    response = HttpResponse(filled(request, kept.body))
    for name, value in kept.headers:
        response[name] = value
    return response


def filled(request: HttpRequest, body: bytes) -> bytes:
    """A kept body with this request's own CSRF token, CSP nonce and fresh once-only keys."""
    if _CSRF_PLACEHOLDER in body:
        body = body.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
    if _NONCE_PLACEHOLDER in body:
        body = body.replace(_NONCE_PLACEHOLDER, str(request.csp_nonce).encode())  # type: ignore[attr-defined]
    while _KEY_PLACEHOLDER in body:
        body = body.replace(_KEY_PLACEHOLDER, uuid.uuid4().hex.encode(), 1)
    return body


def rendered_with_moment(render: Callable[[], str]) -> tuple[str, dt.datetime | None]:
    """``render()``, and the earliest moment it said its output changes at (``changes_at``),
    which also stays noted for the page around it."""
    memo = memo_of_request()
    if memo is None:
        return render(), None
    outer = memo.pop(_EXPIRY, None)
    try:
        html = render()
    finally:
        moment = memo.get(_EXPIRY)
        if outer is not None and (moment is None or outer < moment):
            memo[_EXPIRY] = outer
    return html, moment


def per_viewer_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Serve a signed-in person's ``GET`` of this view from the page kept for their current data
    (see the module's docstring); render and keep it when there is none."""
    return _keeping(view, own_only=False)


# view -> the apps an own page reads (per_own_page), for tests/web/test_fragments.py's audit
OWN_PAGE_READS: dict[Callable[..., HttpResponseBase], tuple[str, ...]] = {}


def per_own_page(
    *, reads: tuple[str, ...]
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """As ``per_viewer_page``, for a page that shows only the person's own records (the activity
    feed: the notices addressed to them, whose words are fixed when sent), from the apps
    ``reads`` names (with ``ALWAYS_READ``). Only a write to their own records in those apps
    renders it again (the parts of their scope, ``operations.versions``); what the partner or the
    couple writes, and what they write elsewhere (a check-in), leaves it kept. A partner who tells
    the person something does so with a notice, one of the person's own records."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        kept = _keeping(view, own_only=True, reads=tuple(sorted(reads)))
        OWN_PAGE_READS[kept] = tuple(sorted(reads))
        return kept

    return decorate


def _keeping(
    view: Callable[..., HttpResponseBase], *, own_only: bool, reads: tuple[str, ...] = ()
) -> Callable[..., HttpResponseBase]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if (
            request.method != "GET"
            or settings.PAGE_CACHE_SECONDS <= 0
            or user is None
            or not user.is_authenticated
            or memo_of_request() is None
        ):
            return view(request, *args, **kwargs)
        now = timezone.now()
        key = _key(request, own_only=own_only, reads=reads)
        if key is None:
            return view(request, *args, **kwargs)
        kept = cache.get(key)
        if isinstance(kept, _Kept) and len(messages.get_messages(request)) == 0:
            request.page_cache = "kept"  # type: ignore[attr-defined]  # for the request log
            return _served(request, kept)
        request.page_cache = "rendered"  # type: ignore[attr-defined]
        response = view(request, *args, **kwargs)
        seconds = _seconds_to_keep(now)
        if seconds > 0 and _keepable(request, response):
            assert isinstance(response, HttpResponse)
            headers = tuple((k, v) for k, v in response.items() if k.lower() != "content-length")
            body = without_per_request_values(request, response.content)
            cache.set(key, _Kept(body, headers), seconds)
        return response

    return wrapper
