from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request Django could not read (``RequestBodyMiddleware`` in counterpoint/http.py): a
    plain page saying what was wrong with it, rendered without the database or the person (the
    request may have stopped before either was looked at)."""
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
    from django.template import loader
    from django.utils.translation import gettext as _

    from counterpoint.http import too_large_message

    if isinstance(exception, RequestDataTooBig):
        message = too_large_message()
    elif isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        message = _("What was sent has far more fields or files than any form here has.")
    else:
        message = _(
            "The form arrived incomplete or garbled (perhaps the connection dropped while it was "
            "being sent). Please send it again."
        )
    return HttpResponse(loader.get_template("400.html").render({"message": message}), status=400)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


# Seconds a client is asked to wait when the database could not answer (503).
RETRY_AFTER_SECONDS = 5


def server_error(request: HttpRequest) -> HttpResponse:
    """Django calls this inside the ``except`` of the request's uncaught exception. When the
    database could not answer (locked past its wait, disk full, the server gone, a lock or
    statement timeout: ``OperationalError``) nothing was half-saved (each write is one
    transaction) and sending again is safe (create forms carry a submission key), so trying again
    in a moment is the right advice: 503 with Retry-After, so a proxy or a client with an offline
    queue retries instead of reporting a bug."""
    # No context processors or database here: the error may be the database itself.
    from django.db import OperationalError
    from django.template import loader

    if isinstance(sys.exc_info()[1], OperationalError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
