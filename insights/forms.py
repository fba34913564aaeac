"""The coach's forms: which figures (scope and period), the search-gap threshold, and nudges."""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communities.models import Person
from insights import figures
from insights.actions import MAX_HOLDOUT_PERCENT
from insights.models import Nudge

READY, OWN = "ready", "own"


class NudgeForm(forms.Form):
    """Who to nudge and with what: a ready-made message for the segment (in each
    recipient's language) or the coach's own words."""

    segment = forms.ChoiceField(
        label=_("Who"), choices=Nudge.Segment.choices, widget=forms.RadioSelect
    )
    inactive_days = forms.IntegerField(
        label=_("Not active for (days)"),
        min_value=1,
        max_value=365,
        initial=30,
        required=False,
        help_text=_("Only for “Not active for a while”."),
    )
    wording = forms.ChoiceField(
        label=_("Message"),
        choices=[
            (READY, _("The ready-made message for this group (in each person's language)")),
            (OWN, _("My own words")),
        ],
        initial=READY,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    message = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("{name} becomes the person's name."),
    )
    holdout_percent = forms.IntegerField(
        label=_("Holdout (%)"),
        min_value=0,
        max_value=MAX_HOLDOUT_PERCENT,
        initial=10,
        help_text=_(
            "This share of the people, drawn at random, gets nothing: the effect is "
            "measured against them."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("segment") == Nudge.Segment.INACTIVE and not data.get("inactive_days"):
            self.add_error("inactive_days", _("Say after how many days someone counts as away."))
        if data.get("wording") == OWN:
            for name in ("subject", "message"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("Write your own words, or pick the ready-made message."))
        return data

    def nudge_fields(self) -> dict:
        data = self.cleaned_data
        own = data["wording"] == OWN
        return {
            "segment": data["segment"],
            "inactive_days": data.get("inactive_days"),
            "template": "" if own else data["segment"],
            "subject": data["subject"] if own else "",
            "message": data["message"] if own else "",
            "holdout_percent": data["holdout_percent"],
        }


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


def _attributes(attrs: dict[str, Any]) -> str:
    """HTML attributes in their order, as Django's attrs.html writes them."""
    return "".join(
        f" {escape(str(name))}" + ("" if value is True else f'="{escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class ManyOptionsSelect(forms.Select):
    """A select of hundreds of options (every group), written out here as Django's
    select template would write it: through the template, each option is an include
    of its own, most of the page's time."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(name)}"{_attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{escape(str(group_name))}">')
            parts.extend(
                f'<option value="{escape(str(option["value"]))}"{_attributes(option["attrs"])}>'
                f"{escape(str(option['label']))}</option>"
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 - every value escaped above


class ScopeForm(forms.Form):
    """A GET form: the dashboard's address says what it shows, so it can be bookmarked."""

    scope = forms.ChoiceField(label=_("Figures for"), required=False, widget=ManyOptionsSelect)
    period = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        required=False,
        # A callable: worded in the reader's language each time a form is made.
        choices=lambda: [
            (n, ngettext("Last %(n)d day", "Last %(n)d days", n) % {"n": n})
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
        # A callable: worded in the reader's language each time a form is made.
        choices=lambda: [
            (n, ngettext("Last %(n)d day", "Last %(n)d days", n) % {"n": n})
            for n in figures.PERIODS
        ],
        empty_value=figures.DEFAULT_PERIOD,  # type: ignore[arg-type]
    )
