"""A nudge's email: HTML with a plain-text twin, in the recipient's language, with the
unsubscribe link of the coach's messages (as every Kring email has)."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from insights.models import NudgeRecipient
from insights.notice_kinds import PREFERENCE
from insights.wording import message_for
from notices import emails
from notices import queries as notice_queries


def nudge_email(recipient: NudgeRecipient) -> EmailMultiAlternatives | None:
    person = recipient.person
    if not person.is_active or person.erased_at is not None or not person.email:
        return None
    prefs = notice_queries.preferences(person)
    with translation.override(prefs.email_language()):
        said = message_for(recipient.nudge, str(person))
        context = {
            "person": person,
            "subject": said.subject,
            "text": said.text,
            "url": emails.absolute(said.path),
            "settings_url": emails.absolute(reverse("notice_settings")),
            "unsubscribe_url": emails.unsubscribe_url(person.pk, PREFERENCE),
        }
        message = EmailMultiAlternatives(
            subject=said.subject,
            body=render_to_string("insights/emails/nudge.txt", context),
            to=[person.email],
            headers={
                "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )
        message.attach_alternative(
            render_to_string("insights/emails/nudge.html", context), "text/html"
        )
    return message
