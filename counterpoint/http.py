"""Request types for views, so the type checker knows what middleware adds."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.http.request import RawPostDataException, UnreadablePostError
from django.utils.http import url_has_allowed_host_and_scheme

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from counterpoint.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: ``user`` is a signed-in person."""

    user: User
    htmx: HtmxDetails


class AnyRequest(HttpRequest):
    htmx: HtmxDetails


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person making the request.

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each of which appends the address it received
    the request from to ``X-Forwarded-For``, the client is the entry that many places from the
    right; anything further left was written by the client and is not trusted. With no trusted
    proxy the header is ignored (anyone can send it) and ``REMOTE_ADDR`` is the client.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part
    ]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote  # the proxies did not say: fall back to the nearest peer
    candidate = forwarded[-count]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate


def local_path(value: str | None, default: str) -> str:
    """``value`` when it is a path on this site, otherwise ``default`` (never an open redirect).

    A path starts with one slash; ``//host``, ``/\\host`` and anything with a scheme or host are
    refused (browsers read a backslash as a slash).
    """
    if (
        value
        and value.startswith("/")
        and not value.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(value, allowed_hosts=None, require_https=False)
    ):
        return value
    return default


MAX_JSON_DEPTH = 32


class BadJSON(ValueError):
    """A request's JSON that is not a plain object of ordinary text; the message says why."""


def json_parse(raw: bytes | str) -> dict[str, Any]:
    """The JSON object in ``raw`` (a request body or a form field), or :class:`BadJSON`.

    Refused, with a reason: text that is not UTF-8 or not JSON, anything but an object at the top,
    ``NaN``/``Infinity``, nesting deeper than ``MAX_JSON_DEPTH`` (the parser would otherwise run
    out of stack: a ``RecursionError``, not a ``ValueError``), and strings holding NUL characters
    or lone surrogates, which no database column stores (PostgreSQL refuses NUL in text; UTF-8
    has no surrogates).
    """
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadJSON("the body is not UTF-8 text") from exc
    if _nesting_depth(raw) > MAX_JSON_DEPTH:
        raise BadJSON(f"the JSON is nested too deep (more than {MAX_JSON_DEPTH} levels)")
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise BadJSON("the body is not valid JSON") from exc
    if not isinstance(data, dict):
        raise BadJSON("the JSON must be an object ({…})")
    _check_strings(data)
    return data


def json_body(request: HttpRequest) -> dict[str, Any]:
    """The JSON object sent as ``request``'s body, or :class:`BadJSON` (see :func:`json_parse`).

    A multipart body is read as a form before any view (``RequestBodyMiddleware``, and the CSRF
    check) and is then gone: ``request.body`` raised ``RawPostDataException``, a 500.
    """
    try:
        raw = request.body
    except RawPostDataException as exc:
        raise BadJSON("the body is a form, not JSON") from exc
    return json_parse(raw)


def _nesting_depth(text: str) -> int:
    """The deepest ``[``/``{`` nesting outside strings (counted without recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _check_strings(data: Any) -> None:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                raise BadJSON("the JSON holds a NUL character (\\u0000)")
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise BadJSON("the JSON holds a lone surrogate (\\ud800–\\udfff)") from exc


NUL_MESSAGE = (
    "This request holds a NUL character (%00) in its {where}, which nothing here takes. "
    "Check the link you followed or typed, and try again without it.\n"
)
NOT_UTF8_MESSAGE = (
    "This request holds bytes that are not UTF-8 text in its {where}, which nothing here takes "
    "(Django would read them as \ufffd and store that). Nothing was changed; send the text as "
    "UTF-8 and try again.\n"
)


class NulCharactersMiddleware:
    """NUL characters from the visitor never reach a view or the database.

    In the path, the query string or a header: a 400 with a clear message. No address here holds
    one, and PostgreSQL refuses NUL in text, so a view that looked one up (an invitation token, a
    study code, a file name) or stored one (the user agent of a failed sign-in) would fail with a
    500 there. In a cookie (a quoted cookie may spell it ``\\000`` in plain ASCII): the cookie is
    dropped, as if the browser had not sent it, so the session is simply new; a 400 would lock
    that browser out until the cookie is cleared. Form fields are the forms' business: Django's
    text fields refuse NUL with a message.

    The same for a query string or a form body (``application/x-www-form-urlencoded``) whose
    percent-escapes are not UTF-8 (a lone surrogate, ``%FF``): Django would decode them to
    U+FFFD and a form would store that in place of what was sent. Multipart bodies (photos) are
    left to their parser.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        where = _nul_in(request)
        if where:
            return HttpResponseBadRequest(
                NUL_MESSAGE.format(where=where), content_type="text/plain; charset=utf-8"
            )
        where = _not_utf8_in(request)
        if where:
            return HttpResponseBadRequest(
                NOT_UTF8_MESSAGE.format(where=where), content_type="text/plain; charset=utf-8"
            )
        if any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items()):
            request.COOKIES = {
                key: value
                for key, value in request.COOKIES.items()
                if "\x00" not in key and "\x00" not in value
            }
        return self.get_response(request)


def _nul_in(request: HttpRequest) -> str:
    if "\x00" in request.path:
        return "address"
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return "query string"
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
            return "headers"
    return ""


def _not_utf8_in(request: HttpRequest) -> str:
    if not _utf8(request.META.get("QUERY_STRING", "").encode("latin-1", "replace")):
        return "query string"
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method == "POST" and content_type.startswith("application/x-www-form-urlencoded"):
        try:
            body = request.body
        except (RequestDataTooBig, RawPostDataException):  # Django's own 400 answers it later
            return ""
        if not _utf8(body):
            return "form"
    return ""


def _utf8(urlencoded: bytes) -> bool:
    """Whether ``urlencoded`` (``a=b&c=d``, percent-escaped) is UTF-8 once unescaped."""
    try:
        unquote_to_bytes(urlencoded.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
INCOMPLETE = "the request body is not whole"


class RequestBodyMiddleware:
    """A request body that did not arrive whole is refused here, before anything reads it.

    Django answers a malformed multipart body, more fields or files than
    ``DATA_UPLOAD_MAX_NUMBER_FIELDS``/``_FILES`` and more than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` of
    form text with a 400 (``handler400``: ``pages/errors.py``'s page says which), wherever the
    body is first read. Two things it lets through are refused here as well (``BadRequest``,
    the same page):

    - a body shorter than its ``Content-Length``: the connection dropped mid-send. Django reads
      what came (a WSGI server returns a short read) and a form would save its text cut where the
      connection dropped; a server that raises instead gave ``UnreadablePostError``, a 500;
    - a multipart body without its closing boundary (``--boundary--``): cut short, or sent with
      another boundary than its ``Content-Type`` names. Django's parser keeps the parts it found,
      the last one cut, and finds none under a wrong boundary (an empty form, as if sent blank).

    Read once here: multipart bodies through the upload handlers (``request.POST``), any other
    body whole (``request.body``), so the CSRF check, the other middleware and the views get what
    was parsed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in BODY_METHODS:
            expected = _declared_length(request)
            if expected > settings.REQUEST_MAX_BYTES:
                return _too_large()  # refused before a byte of it is read or spooled to disk
            _read_whole(request, expected)
        return self.get_response(request)


def _declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # Django reads no body then


def too_large_message() -> str:
    from django.utils.translation import gettext as _

    return _(
        "What was sent is larger than any form here takes. A photo can be up to 10 MB; "
        "anything written, up to 2.5 MB."
    )


def _too_large() -> HttpResponseBase:
    from django.template import loader

    page = loader.get_template("400.html").render({"message": too_large_message()})
    return HttpResponse(page, status=413)


def _read_whole(request: HttpRequest, expected: int) -> None:
    stream = getattr(request, "_stream", None)
    if expected == 0 or stream is None:
        return
    counted = _CountedStream(stream)
    request._stream = counted  # type: ignore[assignment]  # what HttpRequest.read() reads
    try:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            request.POST  # noqa: B018  (parsed for what it raises)
            params = request.content_params or {}
            boundary = params.get("boundary", "").encode("ascii", "replace")
            if b"--" + boundary + b"--" not in counted.tail:  # an epilogue may follow it
                raise BadRequest(INCOMPLETE)
        else:
            request.body  # noqa: B018
    except UnreadablePostError as exc:
        raise BadRequest(INCOMPLETE) from exc
    if counted.count < expected:
        raise BadRequest(INCOMPLETE)


class _CountedStream:
    """The request's input as it is read: how many bytes came, and the last few of them."""

    KEEP = 512

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.count = 0
        self.tail = b""

    def _seen(self, data: bytes) -> bytes:
        self.count += len(data)
        self.tail = (self.tail + data)[-self.KEEP :]
        return data

    def read(self, size: int = -1) -> bytes:
        return self._seen(self.stream.read(size))

    def readline(self, size: int = -1) -> bytes:
        return self._seen(self.stream.readline(size))

    def close(self) -> None:
        self.stream.close()


class ShortNameTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's handler for uploads kept on disk (over ``FILE_UPLOAD_MAX_MEMORY_SIZE``), but the
    temporary file's name takes nothing from the file name the browser sent. Django appends that
    name's extension, and one longer than the file system allows (255 bytes) failed with
    ``OSError: File name too long``, a 500. The upload keeps the name sent (cut to 255
    characters) as its ``name``, which nothing here stores."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        FileUploadHandler.new_file(self, *args, **kwargs)
        self.file = TemporaryUploadedFile(
            "upload", self.content_type, 0, self.charset, self.content_type_extra
        )
        self.file.name = self.file_name
