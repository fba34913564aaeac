"""The password-reset email, sent by the worker: a slow or failing SMTP server
never holds up or breaks the page that asked for it.

The task takes the person's id and makes the link when it runs, so no reset
token waits in the broker; a failing SMTP server is retried with growing waits.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import queries
from communities.models import Person
from notices.tasks import backoff, is_temporary

SUBJECT = "accounts/emails/password_reset_subject.txt"
TEXT = "accounts/emails/password_reset.txt"
HTML = "accounts/emails/password_reset.html"


def reset_email(person: Person) -> EmailMultiAlternatives:
    """The email with a fresh link to choose a new password, in the person's language."""
    context = {
        "user": person,
        "uid": urlsafe_base64_encode(force_bytes(person.pk)),
        "token": default_token_generator.make_token(person),
        "site_url": settings.SITE_URL,
    }
    with translation.override(queries.email_language(person)):
        subject = "".join(render_to_string(SUBJECT, context).splitlines())
        message = EmailMultiAlternatives(
            subject, render_to_string(TEXT, context), settings.DEFAULT_FROM_EMAIL, [person.email]
        )
        message.attach_alternative(render_to_string(HTML, context), "text/html")
    return message


@shared_task(bind=True, acks_late=True, max_retries=settings.EMAIL_RETRIES)
def send_password_reset(self, person_id: int) -> str:
    """Send the reset email; an SMTP server that fails for now is tried again later
    (the notices' waits), one that refuses for good is logged by Celery as failed."""
    person = Person.objects.filter(pk=person_id, is_active=True).first()
    if person is None or not person.email:
        return "gone"
    try:
        reset_email(person).send()
    except Exception as error:
        if is_temporary(error):
            raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error
        raise
    return "sent"
