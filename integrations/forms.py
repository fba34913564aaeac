"""The admin's forms for integrations, and the shape of an incoming delivery."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from integrations.models import Event, Subscription


class SubscriptionForm(forms.ModelForm):
    """Events as checkboxes; the address checked against the allowed hosts
    (``Subscription.clean``), so a host not allowed is refused with a message."""

    url = forms.URLField(label=_("address"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Subscription
        fields = ["integration", "url", "events", "active"]


class IncomingDelivery(forms.Form):
    """What an incoming webhook's JSON body holds: the post's text (Markdown), and
    optionally a key that makes a retried delivery post once."""

    text = forms.CharField(max_length=settings.POST_MAX_LENGTH, strip=True)
    idempotency_key = forms.CharField(max_length=200, required=False)

    @classmethod
    def from_body(cls, body: bytes) -> IncomingDelivery:
        """The form for a raw body; a body that is not a JSON object leaves it invalid."""
        try:
            data: Any = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            form = cls(data={})
            form.add_error(None, _("The body is not a JSON object."))
            return form
        return cls(data={key: data[key] for key in ("text", "idempotency_key") if key in data})
