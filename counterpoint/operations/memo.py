"""A memo that lives for one read-only request: the same read asked twice is answered once.

Pages ask "who is my partner?" from many places; inside a GET nothing changes who that is, so the
answer is kept until the response is done. Outside a read-only request (writes, tests calling
selectors directly, commands) nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")
_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("read_memo", default=None)


@contextmanager
def read_only_request() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def in_read_only_request() -> bool:
    """Whether reads are being memoized (inside a read-only request)."""
    return _memo.get() is not None


def memo_of_request() -> dict[Hashable, Any] | None:
    """This read-only request's memo (None outside one), for callers that keep more than values."""
    return _memo.get()


def memoized(key: Hashable, compute: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
