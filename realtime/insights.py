"""A nudge's progress, live on its page for the coaches watching it.

A socket on ``ws/insights/nudges/<id>/`` joins ``insights.nudge.<id>`` only if its
person is a community coach (else it is closed, 4403). As the worker sends, each
step (``nudge_progressed``) is rendered once per language and pushed to that group.
The database is the truth: the socket gets the progress as it stands when it opens
(so a reload or a reconnect misses nothing), and while the nudge is sending it reads
the progress again now and then, for a worker whose pushes cannot reach this
process (the embedded setup: a worker process beside Daphne, each with its own
in-memory channel layer).
"""

import asyncio
import contextlib

from channels.db import database_sync_to_async
from django.conf import settings
from django.dispatch import receiver

from communities.fragments import in_language
from insights import fragments, queries, signals
from insights.models import Nudge
from realtime.broadcast import feed_message, send_to_groups
from realtime.consumers import FeedConsumer


def nudge_group(nudge_id: int) -> str:
    return f"insights.nudge.{nudge_id}"


@receiver(signals.nudge_progressed, dispatch_uid="realtime:nudge_progressed")
def push_nudge_progress(sender, nudge_id, **kwargs) -> None:
    message = fragments.progress_messages(nudge_id)
    if message:
        send_to_groups([nudge_group(nudge_id)], feed_message(message))


class NudgeConsumer(FeedConsumer):
    """One nudge's progress bar, for coaches."""

    polling: asyncio.Task | None = None

    def feed_groups(self, user) -> set[str] | None:
        nudge_id = self.scope["url_route"]["kwargs"]["pk"]
        if not queries.is_coach(user) or queries.progress(nudge_id) is None:
            return None
        return {nudge_group(nudge_id)}

    async def connect(self) -> None:
        await super().connect()
        if self.ended or not self.subscribed:
            return
        self.polling = asyncio.ensure_future(self.follow_the_database())

    async def disconnect(self, code: int) -> None:
        if self.polling is not None:
            self.polling.cancel()
        await super().disconnect(code)

    def current(self) -> tuple[tuple[str, int] | None, str]:
        nudge = queries.progress(self.scope["url_route"]["kwargs"]["pk"])
        if nudge is None:
            return None, ""
        html = in_language(fragments.progress_messages(nudge.pk), self.language)
        return (nudge.status, nudge.done), html

    async def follow_the_database(self) -> None:
        shown = None
        with contextlib.suppress(asyncio.CancelledError):
            while not self.ended:
                state, html = await database_sync_to_async(self.current)()
                if state is None:
                    return
                if state != shown:
                    shown = state
                    await self.send(text_data=html)
                if state[0] == Nudge.Status.SENT:
                    return
                await asyncio.sleep(settings.INSIGHTS_NUDGE_POLL_SECONDS)
