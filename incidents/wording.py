"""The service desk's own words mapped onto Kring's small fixed sets.

TOPdesk's processing statuses are named per installation ("Registered",
"In behandeling", "Wacht op leverancier", "Afgemeld", ...): what is not known to
be done or started counts as open, so a major incident never hides."""

from __future__ import annotations

from incidents.models import Impact, Status

_RESOLVED = {
    "resolved", "closed", "completed", "done", "solved", "afgemeld", "opgelost", "gesloten",
    "afgehandeld", "gereed",
}  # fmt: skip
_IN_PROGRESS = {
    "in progress", "in_progress", "in behandeling", "being processed", "working on it",
    "waiting for supplier", "wacht op leverancier", "waiting for user", "wacht op gebruiker",
    "assigned", "toegewezen", "investigating", "identified", "monitoring",
}  # fmt: skip


def status_from(word: str | None) -> str:
    """Open, in progress or resolved, from whatever the desk calls it."""
    text = (word or "").strip().lower()
    if text in Status.values:
        return text
    if text in _RESOLVED:
        return Status.RESOLVED
    if text in _IN_PROGRESS:
        return Status.IN_PROGRESS
    return Status.OPEN


def impact_from(word: str | None) -> str:
    """High, medium or low, from a desk's impact name ("Organisation", "Department",
    "Person", "Hoog", "P1"...); "" when it says nothing we know."""
    text = (word or "").strip().lower()
    if not text:
        return ""
    if text in Impact.values:
        return text
    for value, words in (
        (Impact.HIGH, ("high", "hoog", "organisation", "organization", "organisatie", "p1", "1")),
        (Impact.MEDIUM, ("medium", "middel", "gemiddeld", "department", "afdeling", "p2", "2")),
        (Impact.LOW, ("low", "laag", "person", "persoon", "user", "p3", "3")),
    ):
        if any(text == w or text.startswith(w + " ") for w in words):
            return value
    return ""
