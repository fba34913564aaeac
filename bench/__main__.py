"""``make bench``: run every benchmark and record the figures in docs/BENCHMARKS.md."""

import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "BENCHMARKS.md"


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (
        f"{platform.node()}: {os.cpu_count()} cores ({cpu}), {mem_kb // 1024 // 1024} GiB, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def run(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.live_loop", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    results = [
        run("embedded", "group", "200"),
        run("scaled", "group", "200"),
        run("embedded", "home", "1000"),
        run("scaled", "home", "1000"),
    ]
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {machine()}",
        "",
        "### Live loop: a post's HTTP request until its fragment is on every socket",
        "",
        "| setup | sockets | posts | POST p50 ms | delivery p50 ms | p95 ms | max ms | "
        "last socket p50 ms |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r['setup']} | {r['sockets']} | {r['posts']} | {r['post_request_ms_p50']} | "
            f"{r['delivery_ms_p50']} | {r['delivery_ms_p95']} | {r['delivery_ms_max']} | "
            f"{r['last_socket_ms_p50']} |"
        )
    section = "\n".join(lines) + "\n"
    print(section)
    header = "# Benchmarks\n\nWritten by `make bench`; newest first.\n\n"
    old = REPORT.read_text().removeprefix(header) if REPORT.exists() else ""
    REPORT.write_text(header + section + ("\n" + old if old else ""))


if __name__ == "__main__":
    main()
