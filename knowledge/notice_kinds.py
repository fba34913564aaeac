"""The notices of knowledge pages, registered with ``notices`` from
``KnowledgeConfig.ready`` (notices never imports this app)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knowledge.actions import PAGE_CHANGED, PAGE_HANDED_OVER
from knowledge.models import Page
from notices import registry
from notices.models import Delivery


def _title(notice) -> str:
    return notice.target.title if notice.target is not None else ""


def register() -> None:
    registry.register_preference(
        "knowledge_handover",
        gettext_lazy("A knowledge page is handed over to me or to my group"),
        Delivery.DIGEST,
    )
    registry.register_preference(
        "knowledge_changed",
        gettext_lazy("Someone changes a knowledge page I look after"),
        Delivery.DIGEST,
    )
    target = registry.register_target(
        Page, Page.objects.visible_to, related=("group", "owner_person", "owner_group")
    )
    registry.register_kind(
        registry.Kind(
            PAGE_HANDED_OVER,
            "knowledge_handover",
            lambda notice: (
                _("The knowledge page “%(title)s” has a new owner: %(owner)s")
                % {"title": _title(notice), "owner": notice.target.owner or _("nobody")}
            ),
            lambda notice: notice.target.get_absolute_url(),
            target=target,
        )
    )
    registry.register_kind(
        registry.Kind(
            PAGE_CHANGED,
            "knowledge_changed",
            lambda notice: (
                _("%(name)s changed the knowledge page “%(title)s”")
                % {"name": notice.actor, "title": _title(notice)}
            ),
            lambda notice: notice.target.get_absolute_url() + "history/",
            target=target,
        )
    )
