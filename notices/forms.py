from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from notices import registry
from notices.models import Delivery, NotificationPreferences


class NotificationPreferencesForm(forms.ModelForm):
    """The settings page: a choice per registered preference, then the digest,
    quiet hours and the language of emails."""

    class Meta:
        model = NotificationPreferences
        fields = ["digest_frequency", "quiet_from", "quiet_until", "language"]
        widgets = {
            "quiet_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = {
            p.name: forms.ChoiceField(
                label=p.label,
                choices=Delivery.choices,
                initial=self.instance.delivery(p.name),
            )
            for p in registry.preferences()
        }
        self.fields = {**chosen, **self.fields}
        self.delivery_names = list(chosen)

    def deliveries(self) -> list[forms.BoundField]:
        """The fields of "what you hear of", for the template."""
        return [self[name] for name in self.delivery_names]

    def clean(self) -> dict:
        data = super().clean()
        if (data.get("quiet_from") is None) != (data.get("quiet_until") is None):
            raise ValidationError(_("Give both ends of the quiet hours, or neither."))
        return data
