from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """The document library: files with a title, a description and #tags, in the
    organisation's library or a group's, every replaced file kept as a version, the
    text inside found by search."""

    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from documents import notice_kinds, search_kinds, tasks  # noqa: F401 - tasks: Celery's

        search_kinds.register()
        notice_kinds.register()
