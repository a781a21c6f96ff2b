from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from counterpoint.accounts.reauth import confirm_before_widening, widens
from counterpoint.http import AuthedRequest
from counterpoint.journal import services
from counterpoint.journal.forms import JournalEntryForm
from counterpoint.journal.models import JournalEntry
from counterpoint.journal.services import journal_entry_create
from counterpoint.privacy import access


@login_required
def entry_list(request: AuthedRequest) -> HttpResponse:
    entries = access.readable(request.user, JournalEntry).select_related("author")
    return render(request, "journal/list.html", {"entries": entries})


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request: AuthedRequest) -> HttpResponse:
    form = JournalEntryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        entry, created = journal_entry_create(
            user=request.user,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            visibility=form.cleaned_data["visibility"],
            submission_key=form.cleaned_data["submission_key"],
        )
        messages.success(request, _("Saved.") if created else _("Already saved — here it is."))
        return redirect("journal:detail", pk=entry.pk)
    return render(request, "journal/form.html", {"form": form, "is_new": True})


@login_required
def entry_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = access.get_readable_or_404(request.user, JournalEntry, pk=pk)
    return render(
        request,
        "journal/detail.html",
        {"entry": entry, "can_edit": access.can_edit(request.user, entry)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = access.get_own_or_404(request.user, JournalEntry, pk=pk)
    was = access.shown_visibility(entry)  # in effect: one shared in an ended couple is private
    form = JournalEntryForm(
        request.POST if request.method == "POST" else None, instance=entry, shown_visibility=was
    )
    if request.method == "POST" and form.is_valid():
        gate = confirm_before_widening(
            request, widening=widens(was, form.cleaned_data["visibility"])
        )
        if gate is not None:
            return gate
        entry = services.journal_entry_edit(
            user=request.user,
            entry=access.get_own_or_404(request.user, JournalEntry, pk=pk),
            **form.cleaned_data,
        )
        messages.success(request, _("Saved."))
        return redirect("journal:detail", pk=entry.pk)
    return render(request, "journal/form.html", {"form": form, "entry": entry, "is_new": False})


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = access.get_own_or_404(request.user, JournalEntry, pk=pk)
    if request.method == "POST":
        entry.delete()
        messages.success(request, _("Entry deleted."))
        return redirect("journal:list")
    return render(request, "journal/confirm_delete.html", {"entry": entry})
