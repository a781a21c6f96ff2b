from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from counterpoint.science.instrument import Instrument


class TakingForm(forms.Form):
    """One radio group per statement. Every answer is optional here: a partial form is kept as a
    draft; the service refuses to score it."""

    respondent = forms.IntegerField(widget=forms.HiddenInput)
    share = forms.BooleanField(
        label=_("Share my place on the map (not my answers) with my partner"), required=False
    )

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        lo, hi = instrument.scale_min, instrument.scale_max
        labels = list(instrument.scale_labels) or [str(v) for v in range(lo, hi + 1)]
        choices = [(v, f"{v} – {labels[v - lo]}") for v in range(lo, hi + 1)]
        message = _("Choose one of the answers from %(lo)s to %(hi)s.") % {"lo": lo, "hi": hi}
        for item in instrument.items:
            self.fields[item.id] = forms.TypedChoiceField(
                label=item.text,
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": message},
            )

    def item_fields(self) -> list[forms.BoundField]:
        return [self[item.id] for item in self.instrument.items]

    def answers(self) -> dict[str, int]:
        return {
            item.id: self.cleaned_data[item.id]
            for item in self.instrument.items
            if self.cleaned_data.get(item.id) is not None
        }
