"""The notice privacy gives: "Your data download is ready", registered with
``notices`` from ``PrivacyConfig.ready`` (notices never imports this app)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Person
from notices import registry
from notices.models import Delivery
from privacy.models import DataExport

EXPORT_READY = "export_ready"


def _own_downloads(person: Person):
    """A download is seen by its owner alone, until it expires: then its notice goes."""
    return DataExport.objects.downloadable().filter(person=person)


def register() -> None:
    registry.register_preference(
        "data_export", gettext_lazy("My data download is ready"), Delivery.DIGEST
    )
    target = registry.register_target(DataExport, _own_downloads)
    registry.register_kind(
        registry.Kind(
            EXPORT_READY,
            "data_export",
            lambda notice: _("Your data download is ready"),
            lambda notice: reverse("settings") + "#settings-data",
            target=target,
            tells_actor=True,
        )
    )
