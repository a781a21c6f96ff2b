"""``{% load nonce %}{{ chart|nonced:request }}``: give the inline scripts of server-rendered chart
HTML (Plotly) this response's CSP nonce, so the strict policy lets them run and nothing else."""

from __future__ import annotations

import re

from django import template
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_SCRIPT = re.compile(r"<script(?![^>]*\bnonce=)")


@register.filter
def nonced(html: str, request: HttpRequest) -> SafeString:
    nonce = getattr(request, "csp_nonce", None)
    if not html or nonce is None:
        return mark_safe(html or "")
    return mark_safe(_SCRIPT.sub(f'<script nonce="{nonce}"', str(html)))
