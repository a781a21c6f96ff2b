"""Fields that one choice in a form makes unused: cleared before validation, never stored.

A form where one answer decides which other fields matter (a study's kind of schedule, "yes" or
"not quite", me-time or we-time) names, for each field that depends on a choice, the values of
the choice that use it. Whatever the browser sent in a field the chosen value does not use is
dropped before the form validates: it cannot fail the form, it is not saved, and a page
re-rendered from the form shows it empty. See docs/conventions.md ("Fields a choice makes
unused").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, NamedTuple

from django import forms
from django.utils.datastructures import MultiValueDict


class UsedWhen(NamedTuple):
    """The field is used when ``choice`` has one of ``values``; with no values, whenever the
    choice is given at all (a time, a ticked box: left empty, it makes the field unused)."""

    choice: str
    values: frozenset[str]


def used_when(choice: str, *values: str) -> UsedWhen:
    return UsedWhen(choice, frozenset(values))


class ClearsUnusedFields(forms.BaseForm):
    """Mix into a form (``class F(ClearsUnusedFields, forms.Form)``, or ``forms.ModelForm``) with
    ``fields_used_when = {"field": used_when("choice", "value"), ...}``.

    A choice that has not been made (nothing sent) leaves every field as it was: the form fails on
    the missing choice and shows back what the person wrote.
    """

    fields_used_when: ClassVar[Mapping[str, UsedWhen]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            return
        unused = [
            name
            for name, rule in self.fields_used_when.items()
            if name in self.fields and not self._is_used(rule)
        ]
        if not unused:
            return
        # a copy: a request's QueryDict cannot change (its copy can)
        data = self.data.copy() if isinstance(self.data, MultiValueDict) else dict(self.data)
        for name in unused:
            data.pop(self.add_prefix(name), None)
            self.fields[name].required = False
        self.data = data

    def _raw(self, name: str) -> str:
        if name not in self.fields:
            return ""
        widget = self.fields[name].widget
        value = widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        if value is None or value is False:  # nothing sent; an unticked box
            return ""
        return "on" if value is True else str(value).strip()

    def _is_used(self, rule: UsedWhen) -> bool:
        chosen = self._raw(rule.choice)
        if not rule.values:
            return chosen != ""
        return chosen == "" or chosen in rule.values
