"""The data side of a study: export files and codebook, compliance, analysis in place (for the
study's researcher), and a participant's own study data (for that participant)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from counterpoint.form_words import choice_words
from counterpoint.http import AuthedRequest
from counterpoint.research import analysis, compliance, exports, selectors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# file name → (what it is, its content type)
FILES: dict[str, tuple[StrOrPromise, str]] = {
    "long.csv": (gettext_lazy("Long format, CSV"), "text/csv; charset=utf-8"),
    "long.parquet": (gettext_lazy("Long format, Parquet"), "application/vnd.apache.parquet"),
    "pairwise.csv": (
        gettext_lazy("Actor–partner (pairwise) layout, CSV"),
        "text/csv; charset=utf-8",
    ),
    "pairwise.parquet": (
        gettext_lazy("Actor–partner (pairwise) layout, Parquet"),
        "application/vnd.apache.parquet",
    ),
    "codebook.json": (gettext_lazy("Codebook, JSON"), "application/json"),
    "codebook.md": (gettext_lazy("Codebook, Markdown"), "text/markdown; charset=utf-8"),
}


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _file_stem(study: Any) -> str:
    return f"study-{study.pk}-{timezone.now():%Y%m%d}"


def _codebook_rows(book: dict[str, Any]) -> list[dict[str, Any]]:
    """The codebook's columns for the page (a template would read a dict's ``values`` method)."""
    rows = []
    for col in book["columns"]:
        values = ""
        if "range" in col:
            low, high = col["range"]
            anchors = col["anchors"]
            values = f"{low} ({anchors[str(low)]}) to {high} ({anchors[str(high)]})"
            values = values.replace(" ()", "")
        elif col.get("measure") and "values" in col:
            values = "; ".join(f"{code} = {label}" for code, label in col["values"].items())
        rows.append(
            {
                "name": col["name"],
                "type": col["type"],
                "meaning": col["description"],
                "values": values,
            }
        )
    return rows


@login_required
def export(request: AuthedRequest, pk: int) -> HttpResponse:
    study = selectors.study_for_researcher_or_404(request.user, pk)
    long = exports.study_long_frame(request.user, study)
    book = exports.study_codebook(study)
    files = [(name, label) for name, (label, _type) in FILES.items()]
    return render(
        request,
        "research/data/export.html",
        {
            "study": study,
            "files": files,
            "rows": len(long),
            "people": long["person"].nunique(),
            "columns": _codebook_rows(book),
        },
    )


@login_required
def export_file(request: AuthedRequest, pk: int, name: str) -> HttpResponse:
    study = selectors.study_for_researcher_or_404(request.user, pk)
    if name not in FILES:
        raise Http404
    content_type = FILES[name][1]
    filename = f"{_file_stem(study)}-{name}"
    if name.startswith("codebook"):
        book = exports.study_codebook(study)
        if name.endswith(".json"):
            return _download(exports.codebook_json(book), content_type, filename)
        return _download(exports.codebook_markdown(book).encode(), content_type, filename)
    long = exports.study_long_frame(request.user, study)
    frame = long
    if name.startswith("pairwise"):
        frame = exports.pairwise_frame(long, exports.study_items(study))
    if name.endswith(".csv"):
        return _download(exports.to_csv_bytes(frame), content_type, filename)
    return _download(exports.to_parquet_bytes(frame), content_type, filename)


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{100 * rate:.0f}%"


@login_required
def compliance_page(request: AuthedRequest, pk: int) -> HttpResponse:
    study = selectors.study_for_researcher_or_404(request.user, pk)
    long = exports.study_long_frame(request.user, study)
    threshold = study.compliance_threshold
    couples = compliance.per_couple(long, threshold)
    by_day = compliance.rate_by_day(long)
    total = compliance.totals(long)
    rows = [
        {
            "c": couple,
            "rate": _pct(couple.counts.rate),
            "partners": [
                (role, counts, _pct(counts.rate)) for role, counts in couple.partners.items()
            ],
        }
        for couple in couples
    ]
    days = [
        {
            "day": int(r.day),
            "closed": int(r.closed),
            "answered": int(r.answered),
            "rate": _pct(r.rate),
        }
        for r in by_day.itertuples()
    ]
    return render(
        request,
        "research/data/compliance.html",
        {
            "study": study,
            "threshold": _pct(threshold),
            "total": total,
            "total_rate": _pct(total.rate),
            "rows": rows,
            "flagged": [r for r, c in zip(rows, couples, strict=True) if c.below],
            "days": days,
            "chart": compliance.rate_chart(by_day, threshold, "compliance-by-day"),
        },
    )


class AnalysisForm(forms.Form):
    var = forms.ChoiceField(
        label=gettext_lazy("Item to analyse"),
        error_messages=choice_words(gettext_lazy("Choose an item to analyse.")),
    )
    min_occasions = forms.IntegerField(
        label=gettext_lazy("Usable occasions a couple needs for its own VAR"),
        min_value=3,
        max_value=10_000,
        initial=analysis.MIN_OCCASIONS,
        help_text=gettext_lazy(
            "A usable occasion has both partners' answers and both of the occasion before (the "
            "engine's default is 30)."
        ),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["var"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


def _numeric_items(study: Any) -> list[tuple[str, str]]:
    return [(i.key, f"{i.key}: {i.label}") for i in exports.study_items(study) if i.kind == "scale"]


@login_required
@require_http_methods(["GET", "POST"])
def analysis_page(request: AuthedRequest, pk: int) -> HttpResponse:
    study = selectors.study_for_researcher_or_404(request.user, pk)
    form = AnalysisForm(
        request.POST if request.method == "POST" else None, choices=_numeric_items(study)
    )
    runs = analysis.analysis_runs(user=request.user, study=study)[:10]
    if request.method == "POST":
        if form.is_valid():
            run = analysis.analysis_run_start(
                user=request.user,
                study=study,
                var=form.cleaned_data["var"],
                min_occasions=form.cleaned_data["min_occasions"],
            )
            return redirect("research:analysis_run", pk=study.pk, run=run.pk)
        status = 400
    else:
        status = 200
    return render(
        request,
        "research/data/analysis.html",
        {"study": study, "form": form, "runs": runs},
        status=status,
    )


def _pooled_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"name": name, **values} for name, values in result["params"].items()]


@login_required
def analysis_run(request: AuthedRequest, pk: int, run: int) -> HttpResponse:
    study = selectors.study_for_researcher_or_404(request.user, pk)
    found = analysis.analysis_runs(user=request.user, study=study).filter(pk=run).first()
    if found is None:
        raise Http404
    result = found.result or {}
    pooled = result.get("var")
    couples = result.get("couple_var")
    # the roles as either fit names them (the per-couple fit may stand when the pooled one failed)
    names = set((pooled or {}).get("params", {}))
    for dyad in (couples or {}).get("dyads", []):
        names |= set(dyad["params"])
    roles = sorted({k.split("@", 1)[1] for k in names if "@" in k})
    couple_rows = []
    if couples:
        for dyad in couples["dyads"]:
            params = dyad["params"]
            couple_rows.append(
                {
                    "dyad": dyad["dyad"],
                    "values": [params.get(f"{k}@{r}") for r in roles for k in ("actor", "partner")],
                    "resid_corr": params.get("resid_corr"),
                    "n": dyad.get("n_occasions"),
                    "reason": dyad.get("reason"),
                }
            )
    days = bool(result.get("uses_days"))
    return render(
        request,
        "research/data/analysis_run.html",
        {
            "study": study,
            "run": found,
            "pooled_rows": _pooled_rows(pooled) if pooled else [],
            "pooled": pooled,
            "couple_rows": couple_rows,
            "couple_heads": [f"{k}@{r}" for r in roles for k in ("actor", "partner")],
            "cli_var": analysis.cli_command("var", var=found.var, filename="long.csv", days=days),
            "cli_couples": analysis.cli_command(
                "couple-var",
                var=found.var,
                filename="long.csv",
                days=days,
                min_occasions=found.min_occasions,
            ),
        },
    )


@login_required
def my_data(request: AuthedRequest, pk: int) -> HttpResponse:
    """A participant's own rows of a study they take part in, as CSV (never the partner's)."""
    participant = selectors.participation_or_404(request.user, pk)
    long = exports.participant_long_frame(request.user, participant)
    filename = f"my-study-data-{participant.study_id}-{timezone.now():%Y%m%d}.csv"
    return _download(exports.to_csv_bytes(long), "text/csv; charset=utf-8", filename)
