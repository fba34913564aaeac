from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """Profiles (phone, bio, "ask me about" expertise), editing one's own, the
    profile page and the people directory. The core keeps who someone is (Person:
    name, job title, department, location, photo); this app adds the rest."""

    name = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        # People are found by search (name, job, department, expertise).
        from people import search_kinds

        search_kinds.register()
