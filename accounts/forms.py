from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts import tasks


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class ResetByEmailForm(PasswordResetForm):
    """Django's reset form, its email sent by the worker. Whether the
    address is known or not, the page that follows is the same (Django's view): no
    one learns from it who has an account."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Queue the email for the worker (``accounts.tasks``), which writes it in
        the person's own language with a link to ``SITE_URL``."""
        for person in self.get_users(self.cleaned_data["email"]):
            tasks.send_password_reset.delay(person.pk)
