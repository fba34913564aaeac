"""Real email parts for tests: an SMTP server (aiosmtpd) that keeps what it
receives, and a real `celery -A project worker` process."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.live import ROOT, free_port


class Mailbox:
    """An SMTP server's handler that keeps what it accepts, and can misbehave on request."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.stall_next_recipient = False
        self.stalled = threading.Event()
        self.try_later = 0  # answer "451 try again later" to this many messages

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.stall_next_recipient:
            # Hold the conversation open, as a slow server does: the worker is mid-send.
            self.stall_next_recipient = False
            self.stalled.set()
            await asyncio.sleep(60)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.try_later:
            self.try_later -= 1
            return "451 Try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, count: int, timeout: float = 30) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(self.messages) >= count, f"{len(self.messages)} of {count} emails arrived"
        return self.messages


class Worker:
    """A real `celery -A project worker` process, in a process group of its own."""

    def __init__(self, env: dict[str, str], log_path, args: list[str] | None = None) -> None:
        self.env = env
        self.args = args or []
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.started = 0  # "ready" lines in the log so far: one per start

    def start(self) -> Worker:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "project", "worker"]
            + ["--loglevel=INFO", "--concurrency=1", "--without-gossip", "--without-mingle"]
            + self.args,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited: {self.log_path.read_text()}")
            if self.log_path.read_text().count(" ready.") > self.started:
                self.started += 1
                return self
            time.sleep(0.1)
        raise RuntimeError(f"worker not ready: {self.log_path.read_text()}")

    def kill(self) -> None:
        """SIGKILL the whole group: no goodbye, no acknowledgement, no requeue."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text()


def smtp_server(port: int | None = None):
    """A real SMTP server on ``port`` (a free one by default): yields ``(port,
    mailbox)``, and stops when closed (the ``smtp`` fixture of tests/conftest.py)."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    try:
        yield controller.port, mailbox
    finally:
        controller.stop()


def wait_until(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
