"""``make run``: Daphne and, beside it, the Celery worker with beat that the
embedded setup needs, started and stopped as one.

Without ``REDIS_URL`` tasks go to the folder broker in ``var/broker/``
(settings), and nothing sends emails or digests unless a worker takes them:
so this starts ``celery -A project worker --beat --pool solo`` as a child,
shows its output with each line starting ``worker |``, runs Daphne, and stops
the worker when Daphne stops, on Ctrl-C or on SIGTERM. A worker that dies
stops Daphne too: a Kring that looks fine and silently sends no email is
worse than one that stops and says why. With ``REDIS_URL`` set the workers
are processes of their own (``make worker``, or several behind one beat), so
only Daphne runs here.

Usage: ``python -m project.serve [-b HOST] [-p PORT]``
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
STOP_SECONDS = 30  # a warm shutdown finishes the task at hand (an SMTP conversation)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def daphne_command(host: str, port: int) -> list[str]:
    # Daphne that refuses a body too large before reading it (realtime.daphne_server).
    # Handshakes get 30 s instead of 5, so a reconnect storm is not dropped.
    return [sys.executable, "-m", "realtime.daphne_server", "--websocket_connect_timeout", "30"] + [
        "-b",
        host,
        "-p",
        str(port),
        "project.asgi:application",
    ]


def worker_command(loglevel: str = "INFO") -> list[str]:
    """One process that takes tasks one at a time (solo: the least memory; an
    email's retry waits on a timer, not in the pool) and runs beat in a child.
    Gossip, mingle and heartbeats talk to other workers: there are none, and on
    the folder broker they would only leave messages nobody reads."""
    return [sys.executable, "-m", "celery", "-A", "project", "worker", "--beat"] + [
        "--pool",
        "solo",
        "--loglevel",
        loglevel,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]


def _prefixed(stream: IO[bytes], prefix: bytes, out: IO[bytes]) -> None:
    """Copy a child's output line by line, each line marked as the child's."""
    for line in iter(stream.readline, b""):
        out.write(prefix + line)
        out.flush()
    stream.close()


def _start(command: Sequence[str], **kwargs) -> subprocess.Popen:
    # A process group of its own: Ctrl-C reaches only this supervisor, which
    # stops the children once each and in order. Were it to reach them too,
    # Celery would take the second signal as "stop now", mid-task.
    # The commands are built above from sys.executable: no outside input.
    return subprocess.Popen(command, cwd=ROOT, process_group=0, **kwargs)  # noqa: S603


def _stop(process: subprocess.Popen) -> None:
    """Stop a child, and whatever it left in its group: the worker's beat runs in
    a process of its own, which outlives a worker that was killed."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return
    with contextlib.suppress(ProcessLookupError):  # nothing left: the usual case
        os.killpg(process.pid, signal.SIGTERM)


def serve(host: str, port: int, with_worker: bool) -> int:
    """Run Daphne (and the worker) until one of them stops or we are told to;
    returns the exit status: Daphne's, or 1 if the worker died first."""
    stopping = threading.Event()
    for signum in STOP_SIGNALS:
        signal.signal(signum, lambda *_: stopping.set())

    worker, copier = None, None
    if with_worker:
        command = worker_command(os.environ.get("LOG_LEVEL", "INFO"))
        worker = _start(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        copier = threading.Thread(
            target=_prefixed, args=(worker.stdout, b"worker | ", sys.stdout.buffer), daemon=True
        )
        copier.start()
    daphne = _start(daphne_command(host, port))

    children = [p for p in (daphne, worker) if p is not None]
    while not stopping.is_set() and all(p.poll() is None for p in children):
        stopping.wait(0.5)

    worker_died = worker is not None and worker.poll() is not None and daphne.poll() is None
    if worker is not None and worker_died:
        print(f"The worker stopped (exit status {worker.returncode}); stopping Kring.", flush=True)
    # Daphne first, so a request still running can queue its task; then the
    # worker, which hands back to the broker the tasks it holds (a retry waiting).
    for process in children:
        _stop(process)
    if copier is not None:
        copier.join(timeout=5)  # the worker's last lines (its goodbye) shown too
    # Stopped by a signal of ours is a clean end; a child that failed is not.
    return 1 if worker_died else max(daphne.returncode, 0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-b", "--bind", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=8000)
    args = parser.parse_args(argv)
    return serve(args.bind, args.port, with_worker=not os.environ.get("REDIS_URL"))


if __name__ == "__main__":
    sys.exit(main())
