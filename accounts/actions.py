"""The one write path of a person's account settings."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from communities.models import Person
from notices import actions as notice_actions


def choose_language(person: Person, code: str) -> str:
    """The language a person reads Kring in is also the one their emails come in
    (notification emails, digests, a password reset). The interface language is the
    browser's cookie, which the view sets; this stores the emails' side."""
    if code not in {c for c, _name in settings.LANGUAGES}:
        raise ValidationError(_("Choose one of the languages."))
    notice_actions.save_notification_preferences(person, {"language": code})
    return code
