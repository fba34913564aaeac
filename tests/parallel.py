"""Each pytest-xdist worker gets services of its own, so two workers never hear
each other: its own Redis database (hence its own channel-layer prefix, cache
and broker; see ``project.settings``) and its own ``var/`` folder (SQLite test
database, uploads, folder broker). PostgreSQL test databases are told apart by
pytest-django itself (``test_kring_gw0``).

Loaded as a plugin (``-p tests.parallel``, by the Makefile) so that this runs
before pytest-django reads the settings. Outside a worker it does nothing.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent

worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ...
if worker.startswith("gw"):
    number = int(worker[2:])
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        parts = urlsplit(redis_url)
        base = int(parts.path.strip("/") or 0)
        os.environ["REDIS_URL"] = urlunsplit(parts._replace(path=f"/{base + 1 + number}"))
    var = Path(os.environ.get("KRING_VAR_DIR", ROOT / "var"))
    os.environ["KRING_VAR_DIR"] = str(var / f"worker-{worker}")
