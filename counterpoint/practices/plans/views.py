from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counterpoint.activity.services import notices_seen
from counterpoint.couples.selectors import active_couple
from counterpoint.http import AuthedRequest
from counterpoint.practices.plans import photos, selectors, services
from counterpoint.practices.plans.forms import (
    DoneForm,
    InterestForm,
    MemoryForm,
    PhotoForm,
    PlanEditForm,
    PlanForm,
    WordsForm,
)
from counterpoint.practices.plans.models import Plan
from counterpoint.privacy import access


@login_required
def plan_list(request: AuthedRequest) -> HttpResponse:
    rows = selectors.open_plans_for(request.user)
    return render(
        request,
        "plans/list.html",
        {
            "shared_rows": [r for r in rows if selectors.is_shared(r.plan)],
            "own_rows": [r for r in rows if not selectors.is_shared(r.plan)],
            "waiting": selectors.plans_waiting_for(request.user),
            "paired": active_couple(request.user) is not None,
            "memory_count": selectors.memories_for(request.user).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: AuthedRequest) -> HttpResponse:
    paired = active_couple(request.user) is not None
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        initial={} if paired else {"shared": "no"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan, created = services.plan_add(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            if not created:
                messages.info(request, _("That plan was already added — here it is."))
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "paired": paired})


def _plan_page(
    request: AuthedRequest,
    plan: Plan,
    *,
    interest_form: InterestForm | None = None,
    done_form: DoneForm | None = None,
    status: int = 200,
) -> HttpResponse:
    state = selectors.interest_for(request.user, plan)
    can_act = access.can_edit(request.user, plan)
    is_open = plan.status == Plan.Status.OPEN
    context: dict[str, Any] = {
        "plan": plan,
        "shared": selectors.is_shared(plan),
        "state": state,
        "can_act": can_act,
        "interest_form": (
            interest_form
            or InterestForm(initial={"answer": state.mine.answer if state.mine else None})
        )
        if can_act and is_open and selectors.is_shared(plan)
        else None,
        "done_form": (
            done_form
            or DoneForm(
                initial={"happened_on": request.user.local_today()},
                shared=selectors.is_shared(plan),
            )
        )
        if can_act and is_open
        else None,
        "memory": getattr(plan, "memory", None),
    }
    return render(request, "plans/detail.html", context, status=status)


@login_required
def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    notices_seen(user=request.user, link=request.path)
    return _plan_page(request, selectors.plan_for(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_writable_or_404(request.user, pk)
    initial = {
        "title": plan.title,
        "kind": plan.kind,
        "details": plan.details,
        "when_date": plan.when_date,
        "when_text": plan.when_text,
    }
    form = PlanEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.plan_update(user=request.user, plan=plan, **form.cleaned_data)
        messages.success(request, _("Plan updated."))
        return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan, "paired": True})


@login_required
@require_POST
def plan_interest(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_writable_or_404(request.user, pk)
    form = InterestForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, plan, interest_form=form, status=400)
    try:
        services.plan_interest_answer(user=request.user, plan=plan, **form.cleaned_data)
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
    else:
        messages.success(request, _("Your answer is saved."))
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_done(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_writable_or_404(request.user, pk)
    form = DoneForm(request.POST, shared=selectors.is_shared(plan))
    if not form.is_valid():
        return _plan_page(request, plan, done_form=form, status=400)
    try:
        memory = services.plan_done(user=request.user, plan=plan, **form.cleaned_data)
    except ValidationError as exc:
        plan.refresh_from_db()
        if plan.status == Plan.Status.DONE:  # e.g. marked done from another tab meanwhile
            messages.info(request, exc.messages[0])
            return redirect("plans:detail", pk=plan.pk)
        form.add_error(None, exc.messages[0])
        return _plan_page(request, plan, done_form=form, status=400)
    messages.success(request, _("It happened — it's a memory now. Add a few words or a photo."))
    return redirect("plans:memory", pk=memory.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_writable_or_404(request.user, pk)
    if request.method == "POST":
        services.plan_delete(user=request.user, plan=plan)
        messages.success(request, _("The plan is removed."))
        return redirect("plans:list")
    return render(request, "plans/confirm_delete.html", {"thing": plan, "kind": "plan"})


@login_required
def plans_json(request: AuthedRequest) -> JsonResponse:
    return JsonResponse(
        {
            "plans": [
                selectors.plan_row(request.user, p)
                for p in selectors.plans_with_answers(request.user)
            ]
        }
    )


@login_required
def plan_json(request: AuthedRequest, pk: int) -> JsonResponse:
    return JsonResponse(selectors.plan_row(request.user, selectors.plan_for(request.user, pk)))


@login_required
def memory_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "plans/memories.html",
        {
            "memories": selectors.memories_for(request.user),
            "paired": active_couple(request.user) is not None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def memory_new(request: AuthedRequest) -> HttpResponse:
    paired = active_couple(request.user) is not None
    initial: dict[str, Any] = {"happened_on": request.user.local_today()}
    if not paired:
        initial["shared"] = "no"
    form = MemoryForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            memory, created = services.memory_add(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            if not created:
                messages.info(request, _("That memory was already kept — here it is."))
            return redirect("plans:memory", pk=memory.pk)
    return render(request, "plans/memory_form.html", {"form": form, "paired": paired})


def _memory_page(
    request: AuthedRequest,
    pk: int,
    *,
    words_form: WordsForm | None = None,
    photo_form: PhotoForm | None = None,
    status: int = 200,
) -> HttpResponse:
    memory = selectors.memory_for(request.user, pk)
    state = selectors.words_for(request.user, memory)
    can_act = access.can_edit(request.user, memory)
    context = {
        "memory": memory,
        "shared": selectors.is_shared(memory),
        "state": state,
        "can_act": can_act,
        "words_form": (
            words_form or WordsForm(initial={"text": state.mine.text if state.mine else ""})
        )
        if can_act
        else None,
        "photo_form": (photo_form or PhotoForm()) if can_act else None,
    }
    return render(request, "plans/memory.html", context, status=status)


@login_required
def memory_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    notices_seen(user=request.user, link=request.path)
    return _memory_page(request, pk)


@login_required
@require_POST
def memory_words(request: AuthedRequest, pk: int) -> HttpResponse:
    memory = selectors.memory_writable_or_404(request.user, pk)
    form = WordsForm(request.POST)
    if not form.is_valid():
        return _memory_page(request, pk, words_form=form, status=400)
    services.memory_words_write(user=request.user, memory=memory, **form.cleaned_data)
    messages.success(request, _("Your words are saved."))
    return redirect("plans:memory", pk=memory.pk)


@login_required
@require_POST
def memory_photo_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    memory = selectors.memory_writable_or_404(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.memory_photo_set(
                user=request.user, memory=memory, upload=form.cleaned_data["photo"]
            )
        except ValidationError as exc:
            form.add_error("photo", exc.messages[0])
    if form.errors:
        return _memory_page(request, pk, photo_form=form, status=400)
    messages.success(request, _("Photo saved. Its location and camera details were removed."))
    return redirect("plans:memory", pk=memory.pk)


@login_required
def memory_photo(request: AuthedRequest, pk: int) -> HttpResponse:
    """The photo, only for those who may read the memory; never cached by shared caches."""
    memory = selectors.memory_for(request.user, pk)
    if not memory.photo:
        raise Http404
    try:
        data = photos.photo_read(memory.photo)
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="memory.jpg"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def memory_photo_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    memory = selectors.memory_writable_or_404(request.user, pk)
    if request.method == "POST":
        services.memory_photo_remove(user=request.user, memory=memory)
        messages.success(request, _("The photo is removed."))
        return redirect("plans:memory", pk=memory.pk)
    if not memory.photo:  # removed meanwhile (by the partner, or in another tab)
        return redirect("plans:memory", pk=memory.pk)
    return render(request, "plans/confirm_delete.html", {"thing": memory, "kind": "photo"})


@login_required
@require_http_methods(["GET", "POST"])
def memory_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    memory = selectors.memory_writable_or_404(request.user, pk)
    if request.method == "POST":
        services.memory_delete(user=request.user, memory=memory)
        messages.success(request, _("The memory is removed."))
        return redirect("plans:memories")
    return render(request, "plans/confirm_delete.html", {"thing": memory, "kind": "memory"})


@login_required
def memories_json(request: AuthedRequest) -> JsonResponse:
    return JsonResponse(
        {
            "memories": [
                selectors.memory_row(request.user, m)
                for m in selectors.memories_with_words(request.user)
            ]
        }
    )


@login_required
def memory_json(request: AuthedRequest, pk: int) -> JsonResponse:
    return JsonResponse(selectors.memory_row(request.user, selectors.memory_for(request.user, pk)))
