"""What a new post sets off, run after it committed and off the request.

The post request writes the post and answers with it; announcing it (the live
push to open feeds, the notifications of mentions and "new post" followers,
webhooks, whatever else listens to ``signals.post_published``) is one task per
post. Scaled out (``ANNOUNCE_POSTS_IN_WORKER``, on with ``REDIS_URL``) a Celery
worker runs it; on the embedded default, whose channel layer lives in the web
process, the web process runs it right after the commit, as before.

A post is announced once: the task writes a ``PostAnnouncement`` row in the
same transaction as the notifications its receivers make, so a task delivered
again (Redis redelivers after a worker died) finds the row and does nothing.
A push sent before a failed commit may go out twice; a page places each post
once, by its id.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction

from communities import signals
from communities.models import Post, PostAnnouncement

logger = logging.getLogger(__name__)


def announce_after_commit(post: Post) -> None:
    """Once the current transaction commits: announce ``post``, in a worker when one
    runs, else here. Nothing is announced for a write that rolled back."""
    transaction.on_commit(lambda: _hand_on(post))


def _hand_on(post: Post) -> None:
    if settings.ANNOUNCE_POSTS_IN_WORKER:
        try:
            announce_post.delay(post.pk)
            return
        except Exception:
            # The broker is away: announcing late here beats not at all.
            logger.exception("could not queue the announcement of post %s", post.pk)
    announce(post)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def announce_post(post_id: int) -> str:
    """The worker's side: the post as it now is (gone or removed: nothing to say)."""
    post = (
        Post.objects.select_related("author", "group")
        .filter(pk=post_id, deleted_at__isnull=True)
        .first()
    )
    if post is None:
        return "gone"
    return announce(post)


def announce(post: Post) -> str:
    """Send ``post_published`` for ``post``, unless it was announced before."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                PostAnnouncement.objects.create(post=post)
        except IntegrityError:
            return "announced before"
        signals.send_to_each_apart(signals.post_goes_live, Post, post=post)
        signals.send_to_each_apart(signals.post_published, Post, post=post)
    return "announced"
