from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import queries


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class ResetByEmailForm(PasswordResetForm):
    """Django's reset form, with the email in the person's own language. Whether the
    address is known or not, the page that follows is the same (Django's view): no
    one learns from it who has an account."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        with translation.override(queries.email_language(context["user"])):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
