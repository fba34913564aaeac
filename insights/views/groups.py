"""A group's own figures, for its owners and managers (and coaches)."""

from __future__ import annotations

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from communities.models import Group
from communities.queries import manages
from insights import figures, tables
from insights.forms import PeriodForm
from insights.queries import is_coach
from insights.views import person_of


def _group_for(request: HttpRequest, slug: str) -> Group:
    # A secret group is, to people who may not know it, a group that does not exist.
    group = get_object_or_404(Group.objects.visible_to(request.user), slug=slug)
    person = person_of(request)
    if not (is_coach(person) or manages(person, group)):
        raise PermissionDenied(_("Only the group's owners and managers see its figures."))
    return group


@require_GET
@figures.one_view()
def group_figures(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group_for(request, slug)
    form = PeriodForm(request.GET)
    period = form.cleaned_data["period"] if form.is_valid() else figures.DEFAULT_PERIOD
    scope = figures.Scope(figures.Scope.GROUP, str(group.pk), group.name)
    small = figures.too_small(scope)
    return render(
        request,
        "insights/group.html",
        {
            "group": group,
            "form": form,
            "period": period,
            "too_small": small,
            "table": None if small else tables.group_summary(group, period),
            "export_url": reverse("insights_group_export", args=[group.slug]) + f"?period={period}",
        },
    )


@require_GET
@figures.one_view()
def group_export(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group_for(request, slug)
    form = PeriodForm(request.GET)
    period = form.cleaned_data["period"] if form.is_valid() else figures.DEFAULT_PERIOD
    scope = figures.Scope(figures.Scope.GROUP, str(group.pk), group.name)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="group-{group.slug}-{period}.csv"'
    table = tables.group_summary(group, period) if figures.too_small(scope) is None else None
    writer = csv.writer(response)
    for line in table.lines() if table else []:
        writer.writerow(line)
    return response
