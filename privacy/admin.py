"""The administrator's "Erase" on people, with a confirmation page that asks what
becomes of their posts and replies and says which groups change owner."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from communities import queries as core_queries
from communities.admin import PersonAdmin
from communities.models import Person
from privacy import actions
from privacy.forms import ErasureForm


@admin.action(description=gettext_lazy("Erase the selected people"), permissions=["delete"])
def erase_people(modeladmin, request, queryset):
    people = list(queryset.filter(erased_at=None).order_by("display_name"))
    if not people:
        modeladmin.message_user(request, _("They were erased already."), messages.WARNING)
        return None
    form = ErasureForm(request.POST if "confirmed" in request.POST else None)
    if form.is_bound and form.is_valid():
        erased = 0
        for person in people:
            name = str(person)
            try:
                actions.erase_person(
                    request.user, person, keep_contributions=form.keep_contributions
                )
            except (PermissionDenied, ValidationError) as refusal:
                modeladmin.message_user(
                    request, f"{name}: {' '.join(refusal.messages)}", messages.ERROR
                )
            else:
                erased += 1
        if erased:
            modeladmin.message_user(
                request,
                ngettext("%(count)d person erased.", "%(count)d people erased.", erased)
                % {"count": erased},
                messages.SUCCESS,
            )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Erase people"),
        "opts": modeladmin.model._meta,
        "form": form,
        "people": [
            {
                "person": person,
                "contributions": core_queries.contributions_of(person),
                "handovers": core_queries.handovers_of(person),
            }
            for person in people
        ],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "privacy/admin/erase_confirmation.html", context)


class ErasablePersonAdmin(PersonAdmin):
    actions = [*PersonAdmin.actions, erase_people]
    list_filter = (*PersonAdmin.list_filter, "erased_at")


admin.site.unregister(Person)
admin.site.register(Person, ErasablePersonAdmin)
