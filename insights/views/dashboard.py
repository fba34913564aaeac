"""The coach's dashboard: figures for a scope and a period, every table also a CSV file."""

from __future__ import annotations

import csv

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from insights import actions, figures, queries, tables
from insights.forms import ScopeForm, ThresholdForm
from insights.views import coach_of


def _chosen(request: HttpRequest) -> tuple[ScopeForm, figures.Scope, int]:
    asked = request.GET.copy()
    # An address without a period or scope shows (and selects) the defaults.
    asked.setdefault("period", str(figures.DEFAULT_PERIOD))
    asked.setdefault("scope", figures.ORGANISATION.query)
    form = ScopeForm(asked, coach=coach_of(request))
    chosen = form.chosen()
    if chosen is None:
        # A scope the coach may not know (a secret group) is one that does not exist.
        raise Http404("no such scope")
    return form, *chosen


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    coach_of(request)
    return _dashboard(request)


@require_POST
def threshold(request: HttpRequest) -> HttpResponse:
    """The coach sets when a term that finds nothing becomes a page to write."""
    coach = coach_of(request)
    form = ThresholdForm(request.POST)
    if form.is_valid():
        try:
            actions.set_threshold(coach, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            query = request.GET.urlencode()
            return redirect(reverse("insights") + (f"?{query}" if query else "") + "#search")
    return _dashboard(request, threshold_form=form, status=422)


@figures.one_view()
def _dashboard(
    request: HttpRequest, *, threshold_form: ThresholdForm | None = None, status: int = 200
) -> HttpResponse:
    form, scope, period = _chosen(request)
    coach = coach_of(request)
    small = figures.too_small(scope)
    context: dict = {
        "form": form,
        "scope": scope,
        "period": period,
        "too_small": small,
        "query": request.GET.urlencode(),
        "export_query": f"scope={scope.query}&period={period}",
    }
    if small is None:
        found = figures.participation(scope, period)
        weeks = figures.weekly(scope)
        active_chart, posts_chart = tables.week_charts(weeks)
        context.update(
            participation=found,
            funnel=tables.funnel(coach, scope, period, found=found),
            weeks=tables.weeks(coach, scope, period, found=weeks),
            active_chart=active_chart,
            posts_chart=posts_chart,
            groups=tables.groups(coach, scope, period),
            news=tables.news(coach, scope, period),
        )
    use = figures.page_use(coach, period)
    gaps = figures.search_gaps(period)
    limit = gaps.threshold
    context.update(
        menu=tables.menu(coach, scope, period, use=use),
        pages=tables.pages(coach, scope, period, use=use),
        places=tables.places(coach, scope, period, use=use),
        unopened=tables.unopened(coach, scope, period, use=use),
        found_nothing=tables.found_nothing(coach, scope, period, gaps=gaps),
        nobody_opened=tables.nobody_opened(coach, scope, period, gaps=gaps),
        to_write=tables.to_write(coach, scope, period, gaps=gaps),
        past_review=tables.past_review(coach, scope, period),
        threshold=limit,
        threshold_form=threshold_form
        or ThresholdForm(
            initial={"searches": limit.searches, "searchers": limit.searchers, "days": limit.days}
        ),
        # Each nudge's effect next to its holdout's.
        effects=queries.nudge_effects(limit=10),
    )
    return render(request, "insights/dashboard.html", context, status=status)


@require_GET
@figures.one_view()
def export(request: HttpRequest, name: str) -> HttpResponse:
    """One of the dashboard's tables as a CSV file, with the header row the page shows,
    in the reader's language."""
    coach = coach_of(request)
    build = tables.TABLES.get(name)
    if build is None:
        raise Http404("no such table")
    _form, scope, period = _chosen(request)
    small = name in tables.SCOPED and figures.too_small(scope) is not None
    table = build(coach, scope, period)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{name}-{scope.kind}{'-' + scope.key if scope.key else ''}-{period}.csv"
    response["Content-Disposition"] = f'attachment; filename="{_safe(filename)}"'
    writer = csv.writer(response)
    # Too small a scope: the header only, no figures (the page says why).
    for line in table.lines()[:1] if small else table.lines():
        writer.writerow(line)
    return response


def _safe(filename: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in filename)
