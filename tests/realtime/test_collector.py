"""The Daphne that ``make run`` starts keeps the garbage collector off what start-up
made (``gc.freeze``), freezes what lives on now and then, and times every collection
(``realtime.collector``)."""

import json
import time
import urllib.request

from tests.live import DaphneProcess, server_environment


def report_once(server, path, ready, timeout: float = 30.0) -> dict:
    """The server's report, once ``ready(report)`` holds; a page is asked for meanwhile,
    so the server makes garbage and collects."""
    deadline = time.monotonic() + timeout
    report: dict = {}
    while time.monotonic() < deadline:
        if path.exists():
            report = json.loads(path.read_text() or "{}")
            if report and ready(report):
                return report
        with urllib.request.urlopen(f"{server.url}/login/", timeout=10) as response:
            response.read()
        time.sleep(0.2)
    raise AssertionError(f"the server's report never got there: {report}")


def test_the_server_freezes_what_start_up_made_and_times_every_collection(
    transactional_db, tmp_path
):
    path = tmp_path / "gc.json"
    env = {**server_environment(), "GC_REPORT_FILE": str(path), "GC_FREEZE_SECONDS": "2"}
    server = DaphneProcess("gc", tmp_path, env=env).start()
    try:
        first = report_once(server, path, lambda r: r["freezes"] and sum(r["collections"]))
        # Django and the apps are out of the collector's sight, and start-up's own
        # collections are not counted as the serving process's pauses.
        assert first["frozen_at_start_up"] > 50_000
        assert first["start_up_longest_ms"] is not None
        assert first["longest_ms"] == max(first["max_ms"])
        # A while later what lived on since is frozen too, by a full collection
        # that is itself timed.
        later = report_once(
            server,
            path,
            lambda r: r["freezes"] > first["freezes"] and r["collections"][2],
        )
        assert any(generation == 2 for _at, generation, _ms, _cpu in later["full_or_slow"])
    finally:
        server.stop()
