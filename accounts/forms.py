from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import sso, tasks
from communities.models import Person
from limits import lockout
from limits.counting import Limited


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


class LockOut:
    """Login with the lock-out (``limits.lockout``): a username or an address
    that failed too often is refused, even with the right password, and told for
    how long; a successful login starts its username afresh. With ``LOCAL_LOGIN``
    off every password is refused, on Kring's login page and the admin's alike."""

    request: Any
    cleaned_data: dict[str, Any]
    locked: Limited | None = None

    def clean(self) -> dict[str, Any]:
        if not settings.LOCAL_LOGIN:
            # Nothing is checked, and nothing counts towards a lock-out.
            raise ValidationError(
                _("Logging in with a password is switched off here: sign in with %(provider)s.")
                % {"provider": sso.provider_name()},
                code="local_login_off",
            )
        username = self.cleaned_data.get("username") or ""
        self.locked = lockout.attempt(self.request, username)
        if self.locked is None:
            try:
                cleaned = super().clean()  # type: ignore[misc]
            except ValidationError:
                self.locked = lockout.failed(self.request, username)
                if self.locked is None:
                    raise
            else:
                lockout.succeeded(self.request, username)
                return cleaned
        raise ValidationError(self.locked.message, code="locked")


class LoginForm(LockOut, AuthenticationForm):
    pass


class AdminLoginForm(LockOut, AdminAuthenticationForm):
    pass


class AccessTokenForm(forms.Form):
    """A personal access token: what it is for, whether it may write, and until when."""

    name = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        help_text=_("For example: “My reports script”. Only you see it."),
    )
    scope = forms.ChoiceField(
        label=_("It may"),
        choices=[
            ("read", _("Read only")),
            ("read_write", _("Read and write (post, reply, react, as you)")),
        ],
        initial="read",
        widget=forms.RadioSelect,
    )
    expires_on = forms.DateField(
        label=_("Stops working on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a token that works until you revoke it."),
    )


class IntegrationTokenForm(forms.Form):
    """The admin's form for an integration token: the integration's own account."""

    person = forms.ModelChoiceField(
        label=_("The integration's account"),
        queryset=Person.objects.filter(is_active=True).order_by("username"),
        help_text=_("What the integration does through the API, this account does."),
    )
    name = forms.CharField(label=_("What the token is for"), max_length=100)
    scope = forms.ChoiceField(
        label=_("It may"),
        choices=[("read", _("Read only")), ("read_write", _("Read and write"))],
        initial="read",
    )
