"""The notices of knowledge pages, registered with ``notices`` from
``KnowledgeConfig.ready`` (notices never imports this app)."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knowledge.actions import PAGE_CHANGED, PAGE_HANDED_OVER, PAGE_REVIEW_DUE
from knowledge.models import Page, PageReminder
from notices import registry
from notices.models import Delivery


def _title(notice) -> str:
    return notice.target.title if notice.target is not None else ""


def _review_text(notice) -> str:
    """Said with the review date the reminder was for (a later check moves the page's
    date, not what the reminder said), in the reader's language."""
    day = date_format(date.fromisoformat(notice.data["review_by"]), "j F Y")
    if notice.data.get("reminder") == PageReminder.Kind.PAST:
        return _("The knowledge page “%(title)s” was due for review on %(date)s") % {
            "title": _title(notice),
            "date": day,
        }
    return _("The knowledge page “%(title)s” is due for review on %(date)s") % {
        "title": _title(notice),
        "date": day,
    }


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
    registry.register_preference(
        "knowledge_review",
        gettext_lazy("A knowledge page I look after is due for review"),
        Delivery.EMAIL,
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
    registry.register_kind(
        registry.Kind(
            PAGE_REVIEW_DUE,
            "knowledge_review",
            _review_text,
            # To the page with "Still correct" at its top: one click from the reminder.
            lambda notice: notice.target.get_absolute_url() + "?review=1",
            target=target,
            tells_actor=True,  # the reminded person is its actor: nobody else did it
        )
    )
