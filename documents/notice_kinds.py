"""The notice the document library gives: "Bob uploaded a new version of Protocol
X", told to who uploaded the document when someone else replaced its file.
Registered with ``notices`` from ``DocumentsConfig.ready``; its target's rule is the
document rule, applied again at every read and email."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.actions import NEW_VERSION
from documents.models import Document
from notices import registry
from notices.models import Delivery


def register() -> None:
    registry.register_preference(
        "documents",
        gettext_lazy("Someone uploads a new version of a document I added"),
        Delivery.DIGEST,
    )
    target = registry.register_target(
        Document, lambda person: Document.objects.visible_to(person), related=("group",)
    )
    registry.register_kind(
        registry.Kind(
            NEW_VERSION,
            "documents",
            lambda notice: (
                _("%(name)s uploaded a new version of “%(title)s”")
                % {"name": notice.actor, "title": notice.target.title}
            ),
            lambda notice: notice.target.get_absolute_url(),
            target=target,
        )
    )
