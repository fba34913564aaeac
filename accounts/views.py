"""The settings page (with one's access tokens), password change, and password reset
by email (Django's views, in Kring's templates)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import actions, queries, sso
from accounts.forms import AccessTokenForm, LanguageForm, LoginForm, ResetByEmailForm
from accounts.models import AccessToken
from communities.models import Person
from limits.counting import check
from limits.responses import refuse


def _person(request: HttpRequest) -> Person:
    # LoginRequiredMiddleware: only a logged-in person reaches these views.
    assert isinstance(request.user, Person)
    return request.user


@require_GET
def settings_home(request: HttpRequest) -> HttpResponse:
    return _settings_page(request, LanguageForm(initial=_current_language(request)))


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Sets the interface language (Django's language cookie, as its ``set_language``
    view does) and the language of the person's emails, in one choice."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, form, status=422)
    try:
        code = actions.choose_language(_person(request), form.cleaned_data["language"])
    except ValidationError as refusal:
        form.add_error("language", refusal)
        return _settings_page(request, form, status=422)
    with translation.override(code):
        messages.success(request, _("Kring and its emails now speak your language."))
    response = redirect("settings")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _current_language(request: HttpRequest) -> dict[str, str]:
    return {"language": queries.language_choice(_person(request), request.LANGUAGE_CODE)}


def _settings_page(
    request: HttpRequest,
    form: LanguageForm,
    status: int = 200,
    token_form: AccessTokenForm | None = None,
    made: tuple[AccessToken, str] | None = None,
) -> HttpResponse:
    person = _person(request)
    return render(
        request,
        "accounts/settings.html",
        {
            "language_form": form,
            "email_language": queries.email_language(person),
            "logins": queries.logins_of(person, request.session.session_key),
            "tokens": queries.tokens_of(person),
            "token_form": token_form or AccessTokenForm(),
            "made_token": made[0] if made else None,
            "made_secret": made[1] if made else None,
            "now": timezone.now(),
            # No password to change with local login off, or for someone who has none
            # (made at their first single sign-on).
            "password_change_offered": settings.LOCAL_LOGIN and person.has_usable_password(),
        },
        status=status,
    )


@require_POST
def make_token(request: HttpRequest) -> HttpResponse:
    """Makes a personal access token and shows its secret on the page this once: it
    is not stored anywhere (no session, no message), so a reload cannot show it
    again. The page is not cached."""
    person = _person(request)
    language = LanguageForm(initial=_current_language(request))
    form = AccessTokenForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, language, status=422, token_form=form)
    expires_on = form.cleaned_data["expires_on"]
    expires_at = timezone.make_aware(datetime.combine(expires_on, time.min)) if expires_on else None
    try:
        made = actions.make_personal_token(
            person, form.cleaned_data["name"], form.cleaned_data["scope"], expires_at
        )
    except ValidationError as refusal:
        form.add_error("expires_on" if expires_at else "name", refusal)
        return _settings_page(request, language, status=422, token_form=form)
    response = _settings_page(request, language, made=made)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revokes one of one's own tokens; another person's is not found (404)."""
    person = _person(request)
    token = queries.own_token(person, token_id)
    if token is None:
        raise Http404
    actions.revoke_token(token, by=person)
    messages.success(
        request,
        _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name},
    )
    return redirect(reverse("settings") + "#settings-tokens")


@require_POST
def end_login(request: HttpRequest, login_id: int) -> HttpResponse:
    """Log out one of one's logins (another device, or this one). Another person's
    login is not found (404), as is one that has ended already."""
    person = _person(request)
    this_device = queries.is_this_device(person, login_id, request.session.session_key)
    if this_device:
        logout(request)
        messages.success(request, _("You are logged out."))
        return redirect(settings.LOGOUT_REDIRECT_URL)
    if not actions.end_login(person, login_id):
        raise Http404
    messages.success(request, _("That login has ended: its open pages are logged out too."))
    return redirect(reverse("settings") + "#settings-logins")


@require_POST
def end_all_logins(request: HttpRequest) -> HttpResponse:
    """Log out everywhere: every session of the person ends, this one too, and every
    open page of theirs, on any device, says it is logged out."""
    person = _person(request)
    actions.end_all_logins(person)
    logout(request)
    messages.success(request, _("You are logged out everywhere, on this device and every other."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """Django's login, with the lock-out: a locked login is refused with 429 and
    says for how long. With single sign-on, a button to the provider; with
    ``LOCAL_LOGIN`` off, only that button, and a password sent anyway is refused
    (403) without being checked."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["local_login"] = settings.LOCAL_LOGIN
        context["sso"] = sso.enabled()
        context["provider_name"] = sso.provider_name()
        return context

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if not settings.LOCAL_LOGIN:
            response.status_code = 403
            return response
        locked = getattr(form, "locked", None)
        return refuse(response, locked) if locked is not None else response


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's login page, or, with ``LOCAL_LOGIN`` off, Kring's (its single
    sign-on), which returns to the admin. (The admin's form refuses a password
    then too: ``forms.LockOut``.)"""
    if settings.LOCAL_LOGIN:
        return admin.site.login(request)
    query = request.GET.urlencode()
    return redirect(reverse("login") + (f"?{query}" if query else ""))


class LogoutView(auth_views.LogoutView):
    """Django's logout (the session ends, and with it the open pages' sockets); a
    single sign-on with the provider's end-session endpoint configured goes on
    there (``OIDC_OP_LOGOUT_URL_METHOD``), which ends the provider's session too
    and sends the browser back to the login page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider = import_string(settings.OIDC_OP_LOGOUT_URL_METHOD)(request)
        response = super().post(request, *args, **kwargs)
        return redirect(provider) if provider else response


class LocalLoginOnly:
    """The password pages exist only while passwords log in (``LOCAL_LOGIN``)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.LOCAL_LOGIN:
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class PasswordChangeView(LocalLoginOnly, auth_views.PasswordChangeView):
    """A new password ends every other login of the person (``accounts.signals``);
    this one goes on, under a new session key."""

    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(LocalLoginOnly, auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(LocalLoginOnly, auth_views.PasswordResetView):
    """Asks for an email address and sends a link there if it belongs to someone.
    The link points at ``SITE_URL`` (as every email of Kring does), not at whatever
    host the request named: a forged Host header cannot send a reset link elsewhere."""

    form_class = ResetByEmailForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: ResetByEmailForm) -> HttpResponse:
        """Counted per address asked for and per network address, known or not."""
        limited = check(self.request, "password_reset", subject=form.cleaned_data["email"])
        if limited is None:
            return super().form_valid(form)
        form.add_error("email", limited.message)
        return refuse(self.form_invalid(form), limited)


class PasswordResetDoneView(LocalLoginOnly, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(LocalLoginOnly, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(LocalLoginOnly, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
