"""The coach's forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
