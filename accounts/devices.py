"""What a browser says it is (its User-Agent), in words a person recognises:
"Firefox", "Android". The patterns are the ua-parser project's (uap-core)."""

from __future__ import annotations

from functools import lru_cache

from ua_parser import parse

FIELD_MAX = 100


@lru_cache(maxsize=256)
def describe(user_agent: str) -> tuple[str, str]:
    """(browser, operating system); empty where the browser does not say."""
    if not user_agent:
        return "", ""
    found = parse(user_agent[:500])
    browser = found.user_agent.family if found.user_agent else ""
    system = found.os.family if found.os else ""
    return _known(browser)[:FIELD_MAX], _known(system)[:FIELD_MAX]


def _known(family: str) -> str:
    return "" if family == "Other" else family
