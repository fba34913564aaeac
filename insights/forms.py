"""The coach's forms: which figures (scope and period), and the search-gap threshold."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from communities.models import Person
from insights import figures


def scope_choices(coach: Person) -> list[tuple[Any, Any]]:
    """The organisation, each department and each group the coach may know exists."""
    choices: list[tuple[Any, Any]] = [(figures.ORGANISATION.query, _("The organisation"))]
    departments = [(f"department:{name}", name) for name in figures.departments()]
    if departments:
        choices.append((_("Departments"), departments))
    groups = [
        (f"group:{pk}", name) for pk, name in figures.scope_groups(coach).values_list("pk", "name")
    ]
    if groups:
        choices.append((_("Groups"), groups))
    return choices


class ScopeForm(forms.Form):
    """A GET form: the dashboard's address says what it shows, so it can be bookmarked."""

    scope = forms.ChoiceField(label=_("Figures for"), required=False)
    period = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        required=False,
        choices=[
            (n, ngettext_lazy("Last %(n)d day", "Last %(n)d days", "n") % {"n": n})
            for n in figures.PERIODS
        ],
        empty_value=figures.DEFAULT_PERIOD,  # type: ignore[arg-type]
    )

    def __init__(self, *args: Any, coach: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.coach = coach
        self.fields["scope"].choices = scope_choices(coach)  # type: ignore[attr-defined]

    def chosen(self) -> tuple[figures.Scope, int] | None:
        """The scope and period asked for; None when the address names one that the
        coach may not see or that does not exist."""
        if not self.is_valid():
            return None
        scope = figures.scope_of(
            self.coach, self.cleaned_data["scope"] or figures.ORGANISATION.query
        )
        if scope is None:
            return None
        return scope, self.cleaned_data["period"] or figures.DEFAULT_PERIOD


class ThresholdForm(forms.Form):
    searches = forms.IntegerField(label=_("Searches"), min_value=1, max_value=100_000)
    searchers = forms.IntegerField(label=_("by different people"), min_value=1, max_value=100_000)
    days = forms.IntegerField(label=_("within days"), min_value=1, max_value=365)


class PeriodForm(forms.Form):
    period = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        required=False,
        choices=[
            (n, ngettext_lazy("Last %(n)d day", "Last %(n)d days", "n") % {"n": n})
            for n in figures.PERIODS
        ],
        empty_value=figures.DEFAULT_PERIOD,  # type: ignore[arg-type]
    )
