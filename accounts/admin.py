"""Access tokens in the admin: every token (never its secret), a revoke action, and
"Add" making an integration token for an integration's account, whose secret the
next page shows once. And the links of people to their accounts at the OpenID
provider, which an administrator may read and delete (the next sign-on then finds
the person by email again, or makes someone new)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts import actions
from accounts.forms import IntegrationTokenForm
from accounts.models import AccessToken, SignOn
from communities.models import Person


@admin.action(description=gettext_lazy("Revoke the selected tokens"), permissions=["change"])
def revoke_tokens(modeladmin, request, queryset):
    revoked = sum(actions.revoke_token(token, by=request.user) for token in queryset)
    modeladmin.message_user(
        request,
        ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
        % {"count": revoked},
        messages.SUCCESS,
    )


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "person",
        "kind",
        "scope",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("kind", "scope", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "person__username", "person__display_name")
    list_select_related = ("person",)
    actions = [revoke_tokens]
    fields = (
        "name",
        "person",
        "kind",
        "scope",
        "made_by",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    readonly_fields = fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Nothing of a token is edited: it is made, used and revoked (the action).
        return obj is None and super().has_change_permission(request, obj)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        """An integration token. Its secret is shown on the answer to the form, as
        a message rendered at once: it is not kept in the session or anywhere."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = IntegrationTokenForm(request.POST if request.method == "POST" else None)
        made = None
        if form.is_bound and form.is_valid():
            assert isinstance(request.user, Person)  # has_add_permission: an administrator
            try:
                token, secret = actions.make_integration_token(
                    form.cleaned_data["person"],
                    form.cleaned_data["name"],
                    form.cleaned_data["scope"],
                    made_by=request.user,
                )
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                made = token
                messages.success(
                    request,
                    _(
                        "The token “%(name)s” for %(person)s is made. Copy it now, Kring "
                        "shows it only this once: %(secret)s"
                    )
                    % {"name": token.name, "person": token.person, "secret": secret},
                )
                form = IntegrationTokenForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Add an integration token"),
            "opts": self.model._meta,
            "form": form,
            "made": made,
        }
        response = TemplateResponse(request, "accounts/admin/integration_token_form.html", context)
        response["Cache-Control"] = "no-store"
        return response


@admin.register(SignOn)
class SignOnAdmin(admin.ModelAdmin):
    """Read-only: a link is made by a sign-on only. Deleting a wrong one is how it is
    undone."""

    list_display = ("person", "issuer", "subject", "created")
    search_fields = ("person__username", "person__display_name", "subject")
    list_select_related = ("person",)
    readonly_fields = ("person", "issuer", "subject", "created")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
