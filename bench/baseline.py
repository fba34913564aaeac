"""The limit: a bare WebSocket fan-out fed by Redis pub/sub, measured like Kring.

Kring's live-loop figures are divided by these. Each server process is the
``websockets`` library's asyncio server: it SUBSCRIBEs once to one Redis
channel and broadcasts every message, as it comes, to all its connected
clients. No database, no sessions, no per-socket channel-layer queue: what
is left is the cost of Redis, the sockets and Python itself.

The clients and the measurements are ``bench.clients``, the very harness run
against Kring; a trigger here is one Redis PUBLISH of a post-sized (~2 KB)
HTML fragment holding the marker.

    python -m bench.baseline [SERVERS] [SOCKETS] [latency-only]   # 1 or 2 processes; 1000 sockets

It prints one JSON object. Traffic goes only to 127.0.0.1 (Redis database
9; pub/sub channels are server-wide, so the channel name is unique per
run); every loop is bounded.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import select
import subprocess
import sys
import time
from pathlib import Path

from bench import clients
from tests.live import end_process, free_port

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("BENCH_BASELINE_REDIS_URL", "redis://127.0.0.1:6379/9")
SOCKETS = int(os.environ.get("BENCH_SOCKETS", "1000"))
RUNS = int(os.environ.get("BENCH_POSTS", "30"))
READY = b"ready\n"

# What a post's fragment weighs on the wire in Kring, give or take: ~2 KB.
FRAGMENT = """\
<article class="post" id="post-{n}" data-post-id="{n}" data-author-id="17" data-group-id="3" \
data-author-name="Anouk de Vries" aria-labelledby="post-{n}-author" hx-swap-oob="afterbegin:#feed">
  <header>
    <a class="post-author" id="post-{n}-author" href="/people/anouk/">Anouk de Vries</a>
    <span class="muted">Verpleegkundige, afdeling cardiologie</span>
    <span class="post-group">in <a href="/groups/cardiologie/">Cardiologie</a></span>
    <time datetime="2026-11-24T15:17:00+01:00">24-11-2026 15:17</time>
  </header>
  <div class="post-content" id="post-{n}-content">
    <p>{marker} Vanaf maandag draaien we de nieuwe overdracht om 7.30 uur in de
    teamkamer. Neem je aantekeningen mee; de checklist staat in
    <a href="/groups/cardiologie/files/" rel="nofollow noopener">de bestanden</a>.
    Vragen? Stel ze hieronder of spreek <a class="mention" href="/people/bram/">@bram</a> aan.
    <a class="tag" href="/tags/overdracht/">#overdracht</a></p>
  </div>
  <footer class="post-actions">
    <div class="reactions" id="post-{n}-reactions">
      <button type="button" class="reaction" hx-post="/posts/{n}/react/"
              hx-vals='{{"kind": "like"}}'
              aria-pressed="false">&#128077; <span class="count">0</span></button>
      <button type="button" class="reaction" hx-post="/posts/{n}/react/"
              hx-vals='{{"kind": "heart"}}'
              aria-pressed="false">&#10084;&#65039; <span class="count">0</span></button>
      <button type="button" class="reaction" hx-post="/posts/{n}/react/"
              hx-vals='{{"kind": "clap"}}'
              aria-pressed="false">&#128079; <span class="count">0</span></button>
    </div>
    <button type="button" class="link edit" hx-get="/posts/{n}/edit/" hx-target="#post-{n}-content"
            hx-swap="outerHTML" data-owner-only data-owner-id="17" hidden>Edit<span
            class="visually-hidden"> post</span></button>
  </footer>
  <section class="replies" id="post-{n}-replies" aria-label="Replies">
    <ol class="reply-list" id="post-{n}-reply-list"></ol>
  </section>
</article>
"""


def fragment(marker: str) -> bytes:
    """A post-sized HTML fragment holding ``marker``, as Kring would send it."""
    n = 100000 + int(marker[-clients.SEQ_DIGITS :])
    return FRAGMENT.format(n=n, marker=marker).encode()


async def serve(port: int, redis_url: str, channel: str) -> None:
    """One server process: subscribe, then accept clients and fan every message out to them."""
    import redis.asyncio as redis
    from websockets.asyncio.server import broadcast
    from websockets.asyncio.server import serve as websocket_serve

    connected = set()

    async def handler(ws) -> None:
        connected.add(ws)
        try:
            await ws.wait_closed()
        finally:
            connected.discard(ws)

    subscriber = redis.Redis.from_url(redis_url).pubsub(ignore_subscribe_messages=True)
    await subscriber.subscribe(channel)
    # Like Daphne: no permessage-deflate, a ping every 20 s.
    async with websocket_serve(handler, "127.0.0.1", port, compression=None):
        sys.stdout.buffer.write(READY)
        sys.stdout.flush()
        async for message in subscriber.listen():
            broadcast(connected, message["data"], text=True)


class BaselineServer:
    """One ``python -m bench.baseline serve`` process on a free local port."""

    def __init__(self, channel: str) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.baseline", "serve", str(self.port), REDIS_URL, channel],
            cwd=ROOT,
            stdout=subprocess.PIPE,
        )

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Wait for the process to say it is subscribed and listening."""
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready or self.process.stdout.readline() != READY:
            self.stop()
            raise RuntimeError("baseline server did not start")

    def stop(self) -> None:
        end_process(self.process)
        self.process.stdout.close()


async def measure(
    servers: list[BaselineServer], channel: str, sockets: int, runs: int, knee: bool
) -> dict:
    import redis.asyncio as redis

    pids = [server.process.pid for server in servers]

    publisher = redis.Redis.from_url(REDIS_URL)

    async def trigger(marker: str) -> None:
        await publisher.publish(channel, fragment(marker))

    opened = await clients.open_sockets([server.url for server in servers], sockets)
    try:
        result = {"latency": await clients.latency(opened, trigger, runs, server_pids=pids)}
        if knee:
            result["knee"] = await clients.find_knee(opened, trigger, server_pids=pids)
    finally:
        await clients.close_sockets(opened)
        await publisher.aclose()
    return result


def run(servers: int = 1, sockets: int = SOCKETS, runs: int = RUNS, knee: bool = True) -> dict:
    """Start ``servers`` (1 or 2) fan-out processes, hold ``sockets`` clients split
    over them, and measure latency (``runs`` publishes) and, if ``knee``, the
    throughput knee. Returns the figures of ``bench.clients`` under
    ``latency`` and ``knee``."""
    if servers not in (1, 2):
        raise ValueError("servers must be 1 or 2")
    channel = f"kring-bench-baseline-{secrets.token_hex(6)}"
    started = time.monotonic()
    processes = [BaselineServer(channel) for _ in range(servers)]
    try:
        for process in processes:
            process.wait_ready()
        result = asyncio.run(measure(processes, channel, sockets, runs, knee))
    finally:
        for process in processes:
            process.stop()
    payload = len(fragment("kb00000000n" + "0" * clients.SEQ_DIGITS))
    return {
        "setup": f"baseline: websockets + Redis pub/sub, {servers} server process(es)",
        "servers": servers,
        "sockets": sockets,
        "payload_bytes": payload,
        **result,
        "duration_s": round(time.monotonic() - started, 1),
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        asyncio.run(serve(int(sys.argv[2]), sys.argv[3], sys.argv[4]))
    else:
        servers = int(sys.argv[1]) if len(sys.argv) > 1 else 1
        count = int(sys.argv[2]) if len(sys.argv) > 2 else SOCKETS
        knee = sys.argv[3:4] != ["latency-only"]
        print(json.dumps(run(servers, count, knee=knee)))
