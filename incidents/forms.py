"""What a follow button and an incoming hook may send."""

from __future__ import annotations

from django import forms


class FollowForm(forms.Form):
    follow = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


class HookForm(forms.Form):
    """An incident as a service desk posts it to ``/incidents/hook/`` (JSON). Status
    and impact are the desk's own words, mapped by ``incidents.wording``."""

    external_id = forms.CharField(max_length=200)
    title = forms.CharField(max_length=300, required=False)
    number = forms.CharField(max_length=64, required=False)
    status = forms.CharField(max_length=64, required=False)
    impact = forms.CharField(max_length=64, required=False)
    url = forms.URLField(max_length=1000, required=False, assume_scheme="https")
    opened_at = forms.DateTimeField(required=False)
    updated_at = forms.DateTimeField(required=False)
    resolved_at = forms.DateTimeField(required=False)

    def fields_to_record(self) -> dict:
        """Only what the desk sent: a field it left out keeps its value."""
        sent = {name for name in self.data if name in self.fields and name != "external_id"}
        return {name: self.cleaned_data[name] for name in sent}
