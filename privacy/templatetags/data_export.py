"""``{% data_export_section %}``: the "Your data" part of the settings page (which the
accounts app renders): ask for a download, see it being prepared, download it."""

from django import template
from django.conf import settings

from privacy import queries

register = template.Library()


@register.inclusion_tag("privacy/fragments/settings_section.html", takes_context=True)
def data_export_section(context):
    request = context["request"]
    return {
        "export": queries.current_export(request.user),
        "days": settings.DATA_EXPORT_DAYS,
        "csrf_token": context.get("csrf_token"),
    }
