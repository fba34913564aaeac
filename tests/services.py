"""Are the real services the integration suite needs reachable?

``python -m tests.services DATABASE_URL REDIS_URL`` exits 0 if both answer,
1 (saying which is missing) if not. The Makefile uses it to fail in CI and to
say plainly, elsewhere, that the integration suite did not run.
"""

import sys

import psycopg
import redis


def missing_services(database_url: str, redis_url: str) -> list[str]:
    missing = []
    try:
        # Connect to the maintenance database: the test database is created later.
        url = database_url.rsplit("/", 1)[0] + "/postgres"
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error as error:
        missing.append(f"PostgreSQL at {database_url}: {error}")
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        missing.append(f"Redis at {redis_url}: {error}")
    return missing


if __name__ == "__main__":
    problems = missing_services(sys.argv[1], sys.argv[2])
    for problem in problems:
        print(f"not reachable: {problem}", file=sys.stderr)
    sys.exit(1 if problems else 0)
