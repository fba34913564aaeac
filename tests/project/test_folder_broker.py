"""The embedded default's folder broker: a task file appears whole or not at all."""

from __future__ import annotations

import os
from queue import Empty

import pytest
from kombu import Connection

from project import folder_broker
from project.settings import FOLDER_BROKER_URL
from project.settings import folder_broker as folder_options


@pytest.fixture
def channel(tmp_path):
    options = folder_options(tmp_path)
    for folder in options.values():
        os.makedirs(folder, exist_ok=True)
    with Connection(
        FOLDER_BROKER_URL, transport=folder_broker.Transport, transport_options=options
    ) as connection:
        yield connection.default_channel


def test_a_reader_that_looks_while_the_task_is_written_finds_nothing(channel, monkeypatch):
    seen_while_writing = []
    rename = os.replace

    def look_then_rename(source, target):
        # The whole message is written; the queue still shows nothing to take.
        try:
            seen_while_writing.append(channel._get("celery"))
        except Empty:
            seen_while_writing.append(None)
        rename(source, target)

    monkeypatch.setattr(folder_broker.os, "replace", look_then_rename)
    channel._put("celery", {"body": "digest"})
    assert seen_while_writing == [None]
    assert channel._get("celery") == {"body": "digest"}
    with pytest.raises(Empty):
        channel._get("celery")


def test_the_settings_name_this_transport():
    from django.conf import settings

    assert settings.CELERY_BROKER_TRANSPORT == "project.folder_broker:Transport"
