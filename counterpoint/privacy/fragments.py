"""Parts of a signed-in page kept until the apps they read change: ``{% keep %}``.

A kept page (``privacy.page_cache``) is rendered again after any write the viewer may read. Most
of a page does not show what most writes change: a check-in leaves the home page's support,
study and memory cards as they were. A block of a template wrapped in

    {% load fragments %}{% keep "home:support" "practices_support" %}...{% endkeep %}

is kept per session, keyed by the *parts* of the viewer's data versions for the apps it names
(``operations.versions``: ``u:<viewer>@practices_support``, the partner's ``p:`` and the couple's
``c:`` parts of the same app, each scope's ``@*`` part, and always ``accounts`` and ``couples``),
the viewer's local day and time zone, the language, and the database's generation. A write to
another app leaves it kept; the page around it renders afresh.

**Privacy.** A part moves only together with its scope, for the same write, so a fragment's key
tells its viewer nothing a kept page's key does not: a partner's private writes move none of the
viewer's scopes, and so none of their parts (docs/capacity.md, the timing side channel).

**What a block may read.** The block renders in a context of its own: the request, the user and
the CSRF token, nothing from the view. So what it shows comes from the queries it makes itself,
and ``tests/web/test_fragments.py`` renders every kept block with an empty request memo and checks
that each of its queries reads only the tables of the apps it names (and the user, the couple and
the versions). Code that shows something that changes at a moment calls ``changes_at`` as it does
on a page; a kept block passes its moment on to the page it is served in.

Per-request values (CSRF tokens, the CSP nonce, once-only form keys) are never kept: the page
cache's placeholders stand in for them and are filled with this request's own when served.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from counterpoint.operations.memo import memo_of_request, memoized, read_only_request
from counterpoint.operations.models import DataVersion
from counterpoint.operations.versions import ANY_PART, GENERATION_SCOPE, is_part, part_scope
from counterpoint.privacy import page_cache
from counterpoint.privacy.page_cache import ALWAYS_READ


@dataclass(frozen=True)
class _KeptBlock:
    body: str
    changes_at: dt.datetime | None


@dataclass
class BlockAudit:
    """What one kept block read when rendered with an empty memo (``audited``)."""

    name: str
    apps: tuple[str, ...]
    statements: list[str] = field(default_factory=list)


_audit: ContextVar[list[BlockAudit] | None] = ContextVar("fragments_audit", default=None)


@contextmanager
def audited() -> Iterator[list[BlockAudit]]:
    """Inside, every kept block is rendered afresh (never served as kept), with an empty memo,
    and its statements are listed: what ``tests/web/test_fragments.py`` checks."""
    found: list[BlockAudit] = []
    token = _audit.set(found)
    try:
        yield found
    finally:
        _audit.reset(token)


@functools.cache
def app_labels() -> frozenset[str]:
    """The labels of the apps that have models: what a block may name."""
    return frozenset(model._meta.app_label for model in apps.get_models(include_auto_created=True))


def part_versions(user: Any, names: tuple[str, ...]) -> str:
    """The versions of the parts ``names`` (app labels) of every scope the viewer may read, with
    ``ALWAYS_READ`` and ``@*``, as one string (one query per request, whatever the blocks ask)."""
    every = memoized(("part_versions", user.pk), lambda: _all_part_versions(user))
    wanted = {*names, *ALWAYS_READ, ANY_PART}
    return ".".join(f"{s}={v}" for s, v in every if s.rsplit("@", 1)[1] in wanted)


def _all_part_versions(user: Any) -> list[tuple[str, int]]:
    scopes = [s for s, _ in page_cache.readable_versions(user) if not is_part(s)]
    names = [
        part_scope(s, label)
        for s in scopes
        if s != GENERATION_SCOPE
        for label in (*app_labels(), ANY_PART)
    ]
    found = _stored_versions(names)
    # a part never written has no row: 0, as for a scope (it moves with its scope's first write)
    return [(name, found.get(name, 0)) for name in sorted(names)]


def _stored_versions(names: list[str]) -> dict[str, int]:
    """The stored versions of ``names``, in one statement written here rather than by the ORM:
    building an 84-name ``IN`` query cost about 1.4 ms of CPU on every page with a kept block,
    the statement itself a third of that (docs/capacity.md, "The twenty-fourth stop")."""
    table = DataVersion._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one array parameter, one prepared statement
            cursor.execute(f"SELECT scope, version FROM {table} WHERE scope = ANY(%s)", [names])
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.execute(f"SELECT scope, version FROM {table} WHERE scope IN ({marks})", names)
        return dict(cursor.fetchall())


def _key(request: HttpRequest, name: str, names: tuple[str, ...]) -> str | None:
    session_key = request.session.session_key
    if not session_key:
        return None
    user = request.user
    parts = "\n".join(
        [
            session_key,
            name,
            getattr(request, "LANGUAGE_CODE", ""),
            request.headers.get("HX-Request", ""),
            part_versions(user, names),
            page_cache.local_stamp(user),  # the generation, the local day and the time zone
        ]
    )
    return "fragment:" + hashlib.sha256(parts.encode()).hexdigest()


def kept_block(
    request: HttpRequest, name: str, names: tuple[str, ...], render: Callable[[], str]
) -> str:
    """The block ``name`` for this request: kept, or rendered by ``render`` (and kept)."""
    unknown = set(names) - app_labels()
    if unknown:
        raise ValueError(f"{{% keep %}} block {name!r} names no app: {sorted(unknown)}")
    audit = _audit.get()
    if audit is not None:
        return _audited(audit, name, names, render)
    user = getattr(request, "user", None)
    memo = memo_of_request()
    if (
        request.method != "GET"
        or settings.PAGE_CACHE_SECONDS <= 0
        or user is None
        or not user.is_authenticated
        or memo is None
    ):
        return render()
    key = _key(request, name, names)
    if key is None:
        return render()
    kept = cache.get(key)
    if isinstance(kept, _KeptBlock):
        if kept.changes_at is not None:
            page_cache.changes_at(kept.changes_at)
        return page_cache.filled(request, kept.body.encode()).decode()
    now = timezone.now()
    html, moment = page_cache.rendered_with_moment(render)
    seconds = settings.PAGE_CACHE_SECONDS
    if moment is not None:
        seconds = min(seconds, int((moment - now).total_seconds()))
    if seconds > 0:
        body = page_cache.without_per_request_values(request, html.encode()).decode()
        cache.set(key, _KeptBlock(body, moment), seconds)
    return html


def _audited(
    audit: list[BlockAudit], name: str, names: tuple[str, ...], render: Callable[[], str]
) -> str:
    entry = BlockAudit(name=name, apps=names)
    audit.append(entry)

    def note(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        entry.statements.append(sql)
        return execute(sql, *args)

    with read_only_request(), connection.execute_wrapper(note):
        return render()
