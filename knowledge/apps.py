from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """Knowledge pages: organisation-wide or in a group, in Markdown with #tags, an
    owner and a deputy who review them on a schedule, every save a version."""

    name = "knowledge"
    verbose_name = _("Knowledge pages")

    def ready(self) -> None:
        # Found by search, told by notices; a closed account's pages pass on.
        from knowledge import notice_kinds, receivers, search_kinds  # noqa: F401

        search_kinds.register()
        notice_kinds.register()
