"""Benchmarks (``make bench``). They post, reply and react far faster than
people do, from one address: the rate limits are off for every server they
start (they inherit this environment), unless a run sets them on."""

import os

os.environ.setdefault("RATE_LIMITS_ENABLED", "false")
