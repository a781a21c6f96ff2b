"""Request log (one line per request, with an id and a duration) and transactions for writes only."""

from __future__ import annotations

import functools
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponseBase

from counterpoint.operations.memo import read_only_request
from counterpoint.operations.versions import ANY_PART, person_scope, versions_bump

logger = logging.getLogger("counterpoint.request")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLogMiddleware:
    """Logs method, path (never the query string), status and milliseconds under a request id.

    Read-only requests also get a per-request memo (``operations.memo``) for repeated reads.

    The id comes from the proxy's ``X-Request-ID`` when it looks like one, else a fresh one; it is
    sent back in the response so a person reporting a problem can quote it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _GOOD_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        start = time.perf_counter()
        if request.method in SAFE_METHODS:
            with read_only_request():
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        elapsed = (time.perf_counter() - start) * 1000
        response["X-Request-ID"] = request_id
        logger.info(
            "request id=%s method=%s path=%s status=%s ms=%.1f%s",
            request_id,
            request.method,
            request.path,
            response.status_code,
            elapsed,
            # a signed-in page of the daily loop: served as kept, or rendered (privacy/page_cache)
            f" page={request.page_cache}" if hasattr(request, "page_cache") else "",
        )
        return response


# Writes a read-only request may make that change nothing a page shows: the session is saved after
# the view, and the data versions are the bookkeeping itself.
_WRITE = re.compile(
    r'^\s*(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE | re.ASCII
)
_BOOKKEEPING = frozenset({"django_session", "operations_dataversion"})


@functools.cache
def _app_of_table() -> dict[str, str]:
    """Each model's table (many-to-many tables included) -> its app's label."""
    return {
        model._meta.db_table: model._meta.app_label
        for model in apps.get_models(include_auto_created=True)
    }


class _WriteWatch:
    """Notes the apps whose rows the statements run through it changed (an update that matched
    nothing changed nothing: opening a plan whose notices were read already). A table no model
    names counts as every app (``ANY_PART``)."""

    def __init__(self) -> None:
        self.apps: set[str] = set()

    @property
    def wrote(self) -> bool:
        return bool(self.apps)

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        result = execute(sql, params, many, context)
        found = _WRITE.match(sql)
        if (
            found
            and found[1] not in _BOOKKEEPING
            and getattr(context.get("cursor"), "rowcount", -1) != 0
        ):
            self.apps.add(_app_of_table().get(found[1], ANY_PART))
        return result


class AtomicWritesMiddleware:
    """Runs each view that may write (POST, PUT, PATCH, DELETE) in one transaction.

    Replaces ``ATOMIC_REQUESTS``, which also wraps reads: on SQLite every transaction is IMMEDIATE
    (it takes the write lock), so pages that only read would queue behind every writer. Reads run
    in autocommit instead. Must be the last middleware so CSRF and sign-in checks run first; a view
    marked ``transaction.non_atomic_requests`` is left alone, as with ``ATOMIC_REQUESTS``.

    After a write request, and after a read request that wrote all the same (opening a plan marks
    its notices read), the person's data version moves on, with its parts for the apps whose
    tables the request wrote to: writes that skip model signals (``update()``, ``bulk_create()``)
    would otherwise leave their kept pages, fragments and insights stale.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.method in SAFE_METHODS:
            watch = _WriteWatch()
            with connection.execute_wrapper(watch):
                response = view_func(request, *view_args, **view_kwargs)
            user = getattr(request, "user", None)
            if watch.wrote and user is not None and user.is_authenticated:
                versions_bump(scopes=[person_scope(user.pk)], parts=watch.apps)
            return response
        if "default" in getattr(view_func, "_non_atomic_requests", set()):
            return None
        watch = _WriteWatch()
        with transaction.atomic(), connection.execute_wrapper(watch):
            response = view_func(request, *view_args, **view_kwargs)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and response.status_code < 400:
                # covers writes that skip model signals (update(), bulk_create()): the parts of
                # the apps this request wrote to
                versions_bump(scopes=[person_scope(user.pk)], parts=watch.apps)
            return response
