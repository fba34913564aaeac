"""Many real WebSocket clients, measured alike: the harness shared by every live benchmark.

Kring and the bare baseline (``bench.baseline``) are measured by this same
code, so their figures divide. A measurement triggers messages that carry a
*marker* and times, on every socket, the arrival of the frame holding it:

- ``latency``: one marker at a time, each delivered everywhere before the next;
- ``throughput``: markers at a steady rate for a bounded time;
- ``find_knee``: ``throughput`` at rising rates, up to the last one whose p99
  stays under a second.

A trigger is any ``async def trigger(marker: str)`` that makes the system under
test send a frame containing ``marker`` to every socket (a Redis PUBLISH for
the baseline, an HTTP post for Kring). Markers are letters and digits only, so
they survive Markdown, escaping and linkification unchanged.

Times are ``time.perf_counter()`` from the moment a trigger is due to the
moment the socket's frame is handed to this client. Per frame a client does
the least it can: a ``str.find`` for the measurement's tag and, on each hit, a
dict lookup and an append; it never parses the HTML. ``client_cpu`` in each
result is this process's CPU time over the wall time of the measurement, and
``server_cpu`` the same for each process id passed as ``server_pids``: a
client near 1.0 set the pace itself, and the server's figures are then an
upper bound.

Every wait is bounded; clients talk to whatever URLs they are given (the
benchmarks give only 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import gc
import math
import os
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from websockets.asyncio.client import ClientConnection, connect

Trigger = Callable[[str], Awaitable[object]]

SEQ_DIGITS = 6
# Between two throughput steps: let the previous step's stragglers land.
SETTLE_S = 0.5
# A rate is sustained when at least this share of what it offers is delivered.
SUSTAINED = 0.95


async def open_sockets(
    urls: Sequence[str],
    count: int,
    headers_for: Callable[[int], dict[str, str]] | None = None,
    *,
    batch: int = 100,
    open_timeout: float = 30.0,
) -> list[ClientConnection]:
    """Open ``count`` WebSocket connections, round-robin over ``urls``.

    ``headers_for(i)`` gives the extra request headers of connection ``i``
    (Cookie, Origin). Connections open ``batch`` at a time, so a server is not
    handed thousands of handshakes at once. Like a browser, a client sends no
    pings (it answers the server's). It offers no compression: Daphne accepts
    none, so Kring's frames travel uncompressed to browsers too, and the
    baseline server is set up the same way. Its incoming queue is unbounded
    (``max_queue=None``) so reading never throttles the server. If any
    connection fails, those already open are closed and the error is raised.

    Open connections live until the end of the measurement, so each batch is
    moved out of reach of the cyclic garbage collector (``gc.freeze``): with
    thousands of sockets its full collections would otherwise pause this
    client for hundreds of milliseconds, and be counted against the server.
    """
    sockets: list[ClientConnection] = []

    def opening(i: int):
        return connect(
            urls[i % len(urls)],
            additional_headers=headers_for(i) if headers_for else None,
            max_queue=None,
            ping_interval=None,
            compression=None,
            proxy=None,
            open_timeout=open_timeout,
        )

    try:
        for first in range(0, count, batch):
            opened = await asyncio.gather(
                *(opening(i) for i in range(first, min(first + batch, count))),
                return_exceptions=True,
            )
            sockets += [ws for ws in opened if isinstance(ws, ClientConnection)]
            errors = [error for error in opened if isinstance(error, BaseException)]
            if errors:
                raise errors[0]
            gc.freeze()
    except BaseException:
        await close_sockets(sockets)
        raise
    return sockets


async def close_sockets(sockets: Sequence[ClientConnection], *, batch: int = 500) -> None:
    """Close every connection with a closing handshake, ``batch`` at a time."""
    for first in range(0, len(sockets), batch):
        await asyncio.gather(
            *(ws.close() for ws in sockets[first : first + batch]), return_exceptions=True
        )


class _Watch:
    """Arrival times of one marker, and an event set once every socket has it."""

    __slots__ = ("start", "times", "expected", "done")

    def __init__(self, start: float, expected: int) -> None:
        self.start = start
        self.times: list[float] = []
        self.expected = expected
        self.done = asyncio.Event()


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Recorder:
    """One reader task per socket, recording when each marker of this measurement arrives."""

    def __init__(self, sockets: Sequence[ClientConnection], server_pids: Sequence[int]) -> None:
        self.sockets = sockets
        self.tag = f"kb{secrets.token_hex(4)}n"  # this measurement's markers start so
        self.watches: dict[str, _Watch] = {}
        self.readers = [asyncio.create_task(self._read(ws)) for ws in sockets]
        self.server_pids = server_pids
        self.server_cpu = [_cpu_seconds(pid) for pid in server_pids]
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def marker(self, seq: int, start: float) -> tuple[str, _Watch]:
        """A new marker, due at ``start``, and the watch that records its arrivals."""
        key = f"{seq:0{SEQ_DIGITS}d}"
        watch = self.watches[key] = _Watch(start, len(self.sockets))
        return self.tag + key, watch

    async def _read(self, ws: ClientConnection) -> None:
        """Record the first frame on this socket holding each marker. A frame may hold
        several (a server may send a burst of fragments to one socket as one frame)."""
        tag, skip, watches, clock = self.tag, len(self.tag), self.watches, time.perf_counter
        seen: set[str] = set()
        async for frame in ws:
            at = frame.find(tag)
            while at >= 0:
                key = frame[at + skip : at + skip + SEQ_DIGITS]
                watch = watches.get(key)
                if watch is not None and key not in seen:
                    seen.add(key)
                    watch.times.append(clock())
                    if len(watch.times) == watch.expected:
                        watch.done.set()
                at = frame.find(tag, at + skip)

    def cpu_shares(self) -> dict:
        """CPU seconds per wall second since the recorder started: this client
        process's, and each server process's."""
        wall = time.perf_counter() - self.wall
        return {
            "client_cpu": round((time.process_time() - self.cpu) / wall, 2),
            "server_cpu": [
                round((_cpu_seconds(pid) - used) / wall, 2)
                for pid, used in zip(self.server_pids, self.server_cpu, strict=True)
            ],
        }

    async def stop(self) -> None:
        for reader in self.readers:
            reader.cancel()
        await asyncio.gather(*self.readers, return_exceptions=True)


def _percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of an ascending sequence (``inf`` if empty)."""
    if not ordered:
        return math.inf
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _ms(seconds: float) -> float | None:
    """Milliseconds, rounded; None for a delivery that never came."""
    return None if math.isinf(seconds) else round(seconds * 1000, 1)


async def latency(
    sockets: Sequence[ClientConnection],
    trigger: Trigger,
    runs: int,
    *,
    timeout: float = 30.0,
    server_pids: Sequence[int] = (),
) -> dict:
    """Trigger ``runs`` markers one after another; time each one's arrival on every socket.

    Each run waits until every socket has its marker (at most ``timeout``
    seconds; a socket still without it then counts as ``missing``). Returns
    p50/p99/max over all (socket, run) pairs, the median over runs of the
    last socket's time, and the median time the trigger call itself took.
    """
    recorder = _Recorder(sockets, server_pids)
    delivery: list[float] = []
    slowest: list[float] = []
    triggers: list[float] = []
    missing = 0
    try:
        for run in range(runs):
            start = time.perf_counter()
            marker, watch = recorder.marker(run, start)
            await trigger(marker)
            triggers.append(time.perf_counter() - start)
            try:
                await asyncio.wait_for(watch.done.wait(), timeout)
            except TimeoutError:
                missing += len(sockets) - len(watch.times)
            arrivals = [t - start for t in watch.times]
            delivery += arrivals
            slowest.append(max(arrivals) if len(arrivals) == len(sockets) else math.inf)
        cpu = recorder.cpu_shares()
    finally:
        await recorder.stop()
    delivery.sort()
    slowest.sort()
    triggers.sort()
    return {
        "sockets": len(sockets),
        "runs": runs,
        "trigger_ms_p50": _ms(_percentile(triggers, 0.5)),
        "p50_ms": _ms(_percentile(delivery, 0.5)),
        "p99_ms": _ms(_percentile(delivery, 0.99)),
        "max_ms": _ms(delivery[-1]) if delivery else None,
        "last_socket_ms_p50": _ms(_percentile(slowest, 0.5)),
        "missing": missing,
        **cpu,
    }


async def throughput(
    sockets: Sequence[ClientConnection],
    trigger: Trigger,
    rate_per_s: float,
    seconds: float,
    *,
    warmup: float = 1.0,
    drain: float = 20.0,
    server_pids: Sequence[int] = (),
) -> dict:
    """Trigger markers at ``rate_per_s`` for ``seconds``; count what arrives.

    Triggers start on a fixed schedule, each in its own task, whether or not
    earlier ones have finished; a marker's time counts from when it was due,
    so a system that falls behind shows it as latency. After the last
    trigger, waits at most ``drain`` seconds for the stragglers.

    ``deliveries_per_s`` counts frames received on all sockets per second
    between the end of the warm-up and the end of triggering (sustained, not
    including the drain); ``offered_per_s`` is what the schedule asked for.
    ``p99_ms`` is over every (socket, marker) pair due after the warm-up; a
    pair still missing after the drain counts as infinitely late (``lost``),
    so p99 is None when more than 1 % of deliveries are lost.
    """
    count = max(1, round(rate_per_s * seconds))
    interval = 1 / rate_per_s
    recorder = _Recorder(sockets, server_pids)
    due_from = time.perf_counter() + 0.05
    steady_from = due_from + warmup
    steady_until = due_from + count * interval
    watches: list[_Watch] = []
    triggers: list[asyncio.Task] = []
    try:
        for seq in range(count):
            due = due_from + seq * interval
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            marker, watch = recorder.marker(seq, due)
            watches.append(watch)
            triggers.append(asyncio.create_task(trigger(marker)))
        await asyncio.sleep(max(0.0, steady_until - time.perf_counter()))
        cpu = recorder.cpu_shares()
        waiting = [asyncio.create_task(w.done.wait()) for w in watches if not w.done.is_set()]
        _, late = await asyncio.wait(waiting + triggers, timeout=drain)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
    finally:
        await recorder.stop()
    errors = sum(1 for t in triggers if t.cancelled() or t.exception() is not None)
    delivered = sum(1 for w in watches for t in w.times if steady_from <= t < steady_until)
    delays: list[float] = []
    lost = 0
    for watch in watches:
        if watch.start >= steady_from:
            delays += (t - watch.start for t in watch.times)
            lost += watch.expected - len(watch.times)
    delays.sort()
    delays += [math.inf] * lost
    window = steady_until - steady_from
    return {
        "rate_per_s": rate_per_s,
        "seconds": seconds,
        "triggered": count,
        "offered_per_s": round(rate_per_s * len(sockets)),
        "deliveries_per_s": round(delivered / window) if window > 0 else None,
        "p50_ms": _ms(_percentile(delays, 0.5)),
        "p99_ms": _ms(_percentile(delays, 0.99)),
        "lost": lost,
        "trigger_errors": errors,
        **cpu,
    }


async def find_knee(
    sockets: Sequence[ClientConnection],
    trigger: Trigger,
    *,
    start_rate: float = 2.0,
    factor: float = 2.0,
    max_steps: int = 8,
    refine: int = int(os.environ.get("BENCH_KNEE_REFINE", "2")),
    retries: int = 1,
    seconds: float = 5.0,
    limit_ms: float = 1000.0,
    server_pids: Sequence[int] = (),
) -> dict:
    """The highest trigger rate whose p99 stays under ``limit_ms``, and its deliveries/s.

    Multiplies the rate by ``factor`` from ``start_rate`` until a rate fails,
    at most ``max_steps`` times, then bisects ``refine`` times between the
    last rate that passed and the first that failed. A rate passes when one
    ``throughput`` run of ``seconds`` has p99 under the limit, delivers at
    least 95 % of what it offered (a backlog that grows would break the limit
    in a longer run), loses nothing and no trigger fails. A failing rate is
    tried ``retries`` more times before it counts as failed, so one burst of
    someone else's work on a shared machine does not end the search. Every
    run is listed in ``steps``. ``knee_rate_per_s`` is None if even
    ``start_rate`` failed, and equals the last rate tried if none failed
    (the knee is then above it).
    """
    steps: list[dict] = []

    def passed(result: dict) -> bool:
        return (
            result["p99_ms"] is not None
            and result["p99_ms"] < limit_ms
            and result["deliveries_per_s"] >= SUSTAINED * result["offered_per_s"]
            and not result["lost"]
            and not result["trigger_errors"]
        )

    async def passes(rate: float) -> bool:
        for _ in range(1 + retries):
            result = await throughput(sockets, trigger, rate, seconds, server_pids=server_pids)
            steps.append(result)
            await asyncio.sleep(SETTLE_S)
            if passed(result):
                return True
        return False

    best: float | None = None
    failed: float | None = None
    rate = start_rate
    for _ in range(max_steps):
        if not await passes(rate):
            failed = rate
            break
        best = rate
        rate *= factor
    if best is not None and failed is not None:
        for _ in range(refine):
            middle = round((best + failed) / 2, 1)
            if middle in (best, failed):
                break
            if await passes(middle):
                best = middle
            else:
                failed = middle
    at_best = next((s for s in reversed(steps) if s["rate_per_s"] == best and passed(s)), None)
    return {
        "knee_rate_per_s": best,
        "first_failing_rate_per_s": failed,
        "deliveries_per_s": at_best["deliveries_per_s"] if at_best else None,
        "p99_ms": at_best["p99_ms"] if at_best else None,
        "client_cpu": at_best["client_cpu"] if at_best else None,
        "server_cpu": at_best["server_cpu"] if at_best else None,
        "limit_ms": limit_ms,
        "steps": [{k: v for k, v in s.items() if k not in ("seconds", "triggered")} for s in steps],
    }
