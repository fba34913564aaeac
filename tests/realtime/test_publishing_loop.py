"""A Celery worker has no event loop: its pushes go through one loop of the process,
kept running, so its channel-layer connections stay open between sends."""

from __future__ import annotations

import asyncio

import pytest

from realtime import broadcast


class RecordingLayer:
    """A stand-in channel layer that notes the loop of each send."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, asyncio.AbstractEventLoop]] = []

    async def group_send(self, name: str, message: dict) -> None:
        self.sent.append((name, asyncio.get_running_loop()))


@pytest.fixture
def layer(monkeypatch):
    recording = RecordingLayer()
    monkeypatch.setattr(broadcast, "get_channel_layer", lambda: recording)
    return recording


def test_a_workers_sends_share_one_running_loop(layer, monkeypatch):
    monkeypatch.setenv(broadcast.IN_WORKER, "1")

    broadcast.send_to_groups(["feed.a", "feed.b"], {"type": "feed.html"})
    broadcast.send_to_groups(["feed.c"], {"type": "feed.html"})

    loops = {loop for _name, loop in layer.sent}
    assert sorted(name for name, _loop in layer.sent) == ["feed.a", "feed.b", "feed.c"]
    assert len(loops) == 1
    assert loops.pop().is_running()


def test_outside_a_worker_each_send_runs_as_before(layer, monkeypatch):
    monkeypatch.delenv(broadcast.IN_WORKER, raising=False)

    broadcast.send_to_groups(["feed.a"], {"type": "feed.html"})
    broadcast.send_to_groups(["feed.b"], {"type": "feed.html"})

    assert [name for name, _loop in layer.sent] == ["feed.a", "feed.b"]
    assert not any(loop is broadcast._publishing_loop() for _name, loop in layer.sent)
