"""Knowledge pages can be found: the title weighs most, then the text. Registered
with ``search`` from ``KnowledgeConfig.ready``. A page past its review date is
found all the same: it says so when opened."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities import parsing
from knowledge.models import Page
from search import registry
from search.models import Audience
from search.registry import Document, Kind


def page_document(page: Page) -> Document:
    return Document(
        title=page.title,
        body=parsing.plain_text(page.body_html),
        created_at=page.changed_at,
        audience=Audience.of_group_or_organisation(page.group_id),
        group_id=page.group_id,
        person_id=page.created_by_id,
    )


def _described(page: Page) -> str:
    if page.group is None:
        return gettext("Knowledge page")
    return gettext("Knowledge page in %(group)s") % {"group": page.group.name}


def register() -> None:
    registry.register_section("knowledge", _("Knowledge pages"), order=22, preview=5)
    registry.register_kind(
        Kind(
            name="page",
            section="knowledge",
            model=Page,
            document=page_document,
            visible_to=lambda person: Page.objects.visible_to(person),
            everything=lambda: Page.objects.all(),
            template="search/fragments/hit_page.html",
            url=lambda page: page.get_absolute_url(),
            described=_described,
            related=("group", "changed_by"),
            fields=frozenset({"title", "body", "body_html", "group", "changed_at"}),
        )
    )
