"""The check-in form's 0–10 scales, written in Python: three rows of eleven choices were a
third of the form's render time as template loops (benchmarks/bench_pages.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
_CHECKED = mark_safe(" checked")


@register.simple_tag
def scale_choices(field: Any, required: Any = False) -> SafeString:
    """One radio button and label per choice of a bound form field, the field's value checked."""
    name = field.html_name
    current = str(field.value())
    required_attr = " required" if required else ""
    return format_html_join(
        "",
        '<input type="radio" class="chip-input" name="{0}" id="{0}-{1}" value="{1}"{2}{3}>'
        '<label class="chip" for="{0}-{1}">{4}</label>',
        (
            (name, value, _CHECKED if current == str(value) else "", required_attr, label)
            for value, label in field.field.choices
        ),
    )
