"""``make run``: Daphne, and beside it a Celery worker with beat, as one command.

On the embedded default (no REDIS_URL) the worker takes its tasks from a
broker of folders in ``var/broker/``, so emails leave the request, held-back
emails go when quiet hours end, and digests go at their time, with no server
to install. With REDIS_URL set, run the worker yourself (``make worker``):
in a cluster beat must run in exactly one process, so this starts none.

The worker's output goes to ``var/worker.log``. Ctrl-C stops both.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()
    var = Path(os.environ.get("KRING_VAR_DIR", ROOT / "var"))
    var.mkdir(parents=True, exist_ok=True)
    worker = None
    if not os.environ.get("REDIS_URL"):
        log = (var / "worker.log").open("ab")
        # One process, no pool of children: an organisation on one machine needs
        # no more, and SQLite prefers few writers.
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "project", "worker", "--beat"]
            + ["--pool", "solo", "--loglevel", "INFO"],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        print(f"Celery worker with beat started (its log: {var / 'worker.log'})", flush=True)
    daphne = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "--websocket_connect_timeout",
            "30",
            "-b",
            args.host,
            "-p",
            str(args.port),
            "project.asgi:application",
        ],
        cwd=ROOT,
    )
    try:
        return daphne.wait()
    except KeyboardInterrupt:
        daphne.send_signal(signal.SIGINT)
        return daphne.wait()
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()  # a warm shutdown: the task at hand is finished first
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()


if __name__ == "__main__":
    sys.exit(main())
