from django.contrib import admin
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse

from organisation import actions, queries
from organisation.forms import OrganisationForm
from organisation.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """One row: the list goes straight to it; saving goes through the action."""

    form = OrganisationForm
    fields = ["name", "short_name", "accent", "logo_upload", "remove_logo"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        organisation = queries.current()
        if organisation._state.adding:
            organisation.save()  # the defaults, so that the admin has a row to edit
        return redirect(reverse("admin:organisation_organisation_change", args=[organisation.pk]))

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = actions.update_style(
            name=data["name"],
            short_name=data["short_name"],
            accent=data["accent"],
            logo=data.get("logo_upload"),
            remove_logo=data.get("remove_logo", False),
        )
        obj.pk = saved.pk
