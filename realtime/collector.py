"""The cyclic garbage collector of a server process: kept off the objects of
start-up, and timed.

A Daphne process holding thousands of sockets tracks millions of objects, and
a full collection walks them all while the event loop waits (~1 s at 10,000
sockets, docs/BENCHMARKS.md). What was made at start-up (Django, its apps,
templates, URL patterns: most of the objects) lives as long as the process:
``gc.freeze()`` moves it out of the collector's sight once the server runs.
``GC_FREEZE_SECONDS`` (default 0: never) freezes again that often what lived
on since (after a full collection of just that): a full collection then walks
only the last seconds' objects, not every open socket's. It is off because it
costs memory: a socket's objects are in cycles that only the collector frees,
so a socket frozen while open is kept whole after it closes (measured: ~50 KiB
per socket opened and closed, docs/BENCHMARKS.md).

Every collection is timed (``gc.callbacks``): a pause longer than
``GC_WARN_MS`` (100) is logged as a warning, and with ``GC_REPORT_FILE`` set
the counts and the longest pause per generation are written there as JSON
(the benchmarks read it).
"""

from __future__ import annotations

import gc
import json
import logging
import os
import time
from collections import deque
from pathlib import Path

logger = logging.getLogger(__name__)

# A young collection is ~0.1 ms; the file is rewritten after a full one, one over
# the warning, or at most once a second. It lists the latest full or slow ones.
REPORT_EVERY_S = 1.0
SLOW_MS = 10.0
LISTED = 50


class Pauses:
    """How many collections of each generation ran, for how long in all, the longest."""

    def __init__(self, report: Path | None, warn_ms: float) -> None:
        self.report = report
        self.warn_ms = warn_ms
        self.count = [0, 0, 0]
        self.total_ms = [0.0, 0.0, 0.0]
        self.max_ms = [0.0, 0.0, 0.0]
        self.max_cpu_ms = [0.0, 0.0, 0.0]
        self.listed: deque[tuple[float, int, float, float]] = deque(maxlen=LISTED)
        self.started = 0.0
        self.started_cpu = 0.0
        self.start_up_longest_ms: float | None = None
        # Counted once, at start-up: gc.get_freeze_count() walks every frozen object.
        self.frozen_at_start_up = 0
        self.freezes = 0
        self.written = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if phase == "start":
            self.started, self.started_cpu = now, cpu
            return
        generation = info["generation"]
        # The pause is wall time; its CPU time tells a busy machine's share apart.
        ms, cpu_ms = (now - self.started) * 1000, (cpu - self.started_cpu) * 1000
        self.max_cpu_ms[generation] = max(self.max_cpu_ms[generation], cpu_ms)
        self.count[generation] += 1
        self.total_ms[generation] += ms
        self.max_ms[generation] = max(self.max_ms[generation], ms)
        if generation == 2 or ms > SLOW_MS:
            self.listed.append((round(time.time(), 3), generation, round(ms, 1), round(cpu_ms, 1)))
        if ms > self.warn_ms and self.start_up_longest_ms is not None:  # serving
            logger.warning(
                "Garbage collection of generation %d paused the process %.0f ms", generation, ms
            )
        if self.report and (
            generation == 2 or ms > self.warn_ms or now - self.written > REPORT_EVERY_S
        ):
            self.write(now)

    def serving(self) -> None:
        """Start-up is over: count from here (start-up's collections pause no one)."""
        self.start_up_longest_ms = max(self.max_ms)
        self.count, self.total_ms = [0, 0, 0], [0.0, 0.0, 0.0]
        self.max_ms, self.max_cpu_ms = [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]
        self.listed.clear()

    def figures(self) -> dict:
        return {
            "collections": self.count,
            "total_ms": [round(ms, 1) for ms in self.total_ms],
            "max_ms": [round(ms, 1) for ms in self.max_ms],
            "longest_ms": round(max(self.max_ms), 1),
            "max_cpu_ms": [round(ms, 1) for ms in self.max_cpu_ms],
            "start_up_longest_ms": self.start_up_longest_ms,
            "frozen_at_start_up": self.frozen_at_start_up,
            "freezes": self.freezes,
            "thresholds": gc.get_threshold(),
            # (Unix time, generation, ms, CPU ms) of the latest full or slow collections.
            "full_or_slow": list(self.listed),
        }

    def write(self, now: float) -> None:
        self.written = now
        assert self.report is not None
        self.report.write_text(json.dumps(self.figures()))


def settings_from_environment() -> tuple[float, float, Path | None]:
    freeze_s = float(os.environ.get("GC_FREEZE_SECONDS", "0"))
    warn_ms = float(os.environ.get("GC_WARN_MS", "100"))
    report = os.environ.get("GC_REPORT_FILE")
    return freeze_s, warn_ms, Path(report) if report else None


def tune_after_start_up() -> Pauses:
    """Time every collection from now on, and freeze what exists once the reactor
    runs (the application is imported by then), then every ``GC_FREEZE_SECONDS``
    if set."""
    from twisted.internet import reactor

    freeze_s, warn_ms, report = settings_from_environment()
    pauses = Pauses(report, warn_ms)
    gc.callbacks.append(pauses)

    def freeze() -> None:
        # A collection first, so what start-up (or the last minute) left as
        # garbage is freed rather than kept for good.
        gc.collect()
        gc.freeze()
        pauses.freezes += 1
        if freeze_s > 0:
            reactor.callLater(freeze_s, freeze)  # type: ignore[arg-type]  # a zope interface, seen unbound

    def start_serving() -> None:
        freeze()
        pauses.frozen_at_start_up = gc.get_freeze_count()
        pauses.serving()

    reactor.callWhenRunning(start_serving)
    return pauses
