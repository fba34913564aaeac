"""The box's ceiling: what Redis itself does per second here, with ``redis-benchmark``.

Every live message in Kring is a handful of Redis commands (channels-redis:
ZADD into a socket's queue through a Lua script for ``group_send``, BZPOPMIN
to take it out; the baseline: one PUBLISH). This measures those commands, and
SET/GET and LPUSH/LPOP for reference, each alone, from 50 connections, without
and with pipelining (``-P 16``), with small and post-sized (2 KB) payloads.
``redis-benchmark`` and Redis have this machine's cores to themselves for the
run, so these are upper bounds no Python server will reach.

    python -m bench.redis_ceiling

It prints one JSON object: requests per second by payload, pipelining and
command. It talks only to 127.0.0.1:6379, database 9, under keys it deletes
afterwards; PUBLISH goes to a channel nobody subscribes to. It takes well
under 30 seconds.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import time

import redis

HOST, PORT, DB = "127.0.0.1", 6379, 9
PIPELINES = (1, 16)
# Built-in tests send -d bytes; ZADD, BZPOPMIN, EVAL and PUBLISH send a distinct
# member of at least 12 bytes (the random number that keeps members apart).
PAYLOADS = {"small": 3, "2 KB": 2048}
# Requests per run, by (payload, pipeline): each run lasts well under a second,
# and at most ~120 MB of 2 KB members sit in Redis at once.
REQUESTS = {(3, 1): 30_000, (3, 16): 200_000, (2048, 1): 20_000, (2048, 16): 60_000}
ZSET = "kring:bench:ceiling:z"
QUEUE = "kring:bench:ceiling:q"
# channels-redis's group_send for one socket: ZADD under the capacity, refresh expiry.
GROUP_SEND = (
    "if redis.call('ZCOUNT', KEYS[1], '-inf', '+inf') < tonumber(ARGV[2]) then "
    "redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) redis.call('EXPIRE', KEYS[1], 60) end "
    "return 0"
)
# What redis-benchmark's built-in tests leave behind in the database.
BUILTIN_KEYS = ("key:__rand_int__", "mylist")


def redis_benchmark(requests: int, pipeline: int, payload: int, *command: str) -> list[dict]:
    """One ``redis-benchmark`` run; its CSV rows as dicts (one per test).

    A ``command`` of its own gets distinct random numbers for ``__rand_int__``;
    built-in tests (``-t``) then hit one key each, so they leave nothing behind.
    """
    args = [
        shutil.which("redis-benchmark") or "/usr/bin/redis-benchmark",
        *("-h", HOST, "-p", str(PORT), "--dbnum", str(DB), "-q", "--csv"),
        *("-n", str(requests), "-P", str(pipeline), "-d", str(payload)),
        *(("-r", "1000000000") if command[0] != "-t" else ()),
        *command,
    ]
    out = subprocess.run(args, capture_output=True, text=True, timeout=60, check=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def rps(row: dict) -> int:
    return round(float(row["rps"]))


def measure(client: redis.Redis, payload: int, pipeline: int) -> dict[str, int]:
    """Requests/s of each command at one payload size and pipelining depth."""
    n = REQUESTS[payload, pipeline]
    # __rand_int__ makes every member distinct, as every channel-layer message is.
    member = "__rand_int__" + "x" * (payload - 12) if payload > 12 else "__rand_int__"
    result = {}
    for row in redis_benchmark(n, pipeline, payload, "-t", "set,get,lpush,lpop"):
        result[row["test"]] = rps(row)
    (row,) = redis_benchmark(n, pipeline, payload, "PUBLISH", "kring-bench-ceiling", member)
    result["PUBLISH"] = rps(row)
    (row,) = redis_benchmark(n, pipeline, payload, "ZADD", ZSET, "__rand_int__", member)
    result["ZADD"] = rps(row)
    # Pop exactly what is there, so BZPOPMIN never waits.
    popped = max(1, client.zcard(ZSET))
    (row,) = redis_benchmark(popped, pipeline, payload, "BZPOPMIN", ZSET, "1")
    result["BZPOPMIN"] = rps(row)
    command = ("EVAL", GROUP_SEND, "1", QUEUE, member, str(n + 1), "__rand_int__")
    (row,) = redis_benchmark(n, pipeline, payload, *command)
    result["EVAL group_send"] = rps(row)
    client.delete(ZSET, QUEUE, *BUILTIN_KEYS)
    return result


def run() -> dict:
    """Every command at every payload and pipelining depth; requests/s, nested so."""
    started = time.monotonic()
    client = redis.Redis(host=HOST, port=PORT, db=DB)
    try:
        client.delete(ZSET, QUEUE, *BUILTIN_KEYS)
        figures = {
            name: {f"P{pipeline}": measure(client, payload, pipeline) for pipeline in PIPELINES}
            for name, payload in PAYLOADS.items()
        }
        version = client.info("server")["redis_version"]
    finally:
        client.delete(ZSET, QUEUE, *BUILTIN_KEYS)
        client.close()
    return {
        "setup": f"redis-benchmark, 50 connections, Redis {version} on {HOST}:{PORT}",
        "cores": os.cpu_count(),
        "requests_per_s": figures,
        "duration_s": round(time.monotonic() - started, 1),
    }


if __name__ == "__main__":
    print(json.dumps(run()))
